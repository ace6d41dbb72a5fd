// A hidden Markov model whose transitions have one shape: stay with probability p_t, or move to any
// other state with probability (1 − p_t) / (S − 1). That makes Viterbi and forward–backward O(T·S).

function clampStay(p: number): number {
  return Math.min(1 - 1e-9, Math.max(1e-9, p));
}

/**
 * Most likely state path. `logEmission[t][s]` are log-likelihoods; `stay[t]` is the probability of
 * staying in the same state between steps t − 1 and t (stay[0] is unused).
 */
export function viterbi(logEmission: readonly Float64Array[], stay: ArrayLike<number>): number[] {
  const T = logEmission.length;
  if (T === 0) return [];
  const S = logEmission[0]!.length;
  let score = Float64Array.from(logEmission[0]!);
  let next = new Float64Array(S);
  const back = new Int32Array(T * S);
  for (let t = 1; t < T; t++) {
    const p = clampStay(stay[t]!);
    const logStay = Math.log(p);
    const logMove = Math.log((1 - p) / Math.max(1, S - 1));
    let best1 = -Infinity;
    let arg1 = 0;
    let best2 = -Infinity;
    let arg2 = 0;
    for (let s = 0; s < S; s++) {
      const v = score[s]!;
      if (v > best1) {
        best2 = best1;
        arg2 = arg1;
        best1 = v;
        arg1 = s;
      } else if (v > best2) {
        best2 = v;
        arg2 = s;
      }
    }
    const e = logEmission[t]!;
    const row = t * S;
    for (let s = 0; s < S; s++) {
      const stayV = score[s]! + logStay;
      const other = arg1 !== s;
      const moveV = (other ? best1 : best2) + logMove;
      if (stayV >= moveV) {
        next[s] = stayV + e[s]!;
        back[row + s] = s;
      } else {
        next[s] = moveV + e[s]!;
        back[row + s] = other ? arg1 : arg2;
      }
    }
    [score, next] = [next, score];
  }
  let state = 0;
  for (let s = 1; s < S; s++) if (score[s]! > score[state]!) state = s;
  const path = new Array<number>(T);
  for (let t = T - 1; t >= 0; t--) {
    path[t] = state;
    if (t > 0) state = back[t * S + state]!;
  }
  return path;
}

/**
 * Posterior probability P(state_t = path[t] | all emissions) of a given path's state at every step,
 * by scaled forward–backward (the full posteriors are computed, only the path's are kept).
 */
export function pathPosteriors(logEmission: readonly Float64Array[], stay: ArrayLike<number>, path: readonly number[]): Float64Array {
  const T = logEmission.length;
  const out = new Float64Array(T);
  if (T === 0) return out;
  const S = logEmission[0]!.length;
  // Emission probabilities scaled per step by their maximum (the scale cancels in the posteriors).
  const em = new Float64Array(T * S);
  for (let t = 0; t < T; t++) {
    const row = logEmission[t]!;
    let m = -Infinity;
    for (let s = 0; s < S; s++) if (row[s]! > m) m = row[s]!;
    for (let s = 0; s < S; s++) em[t * S + s] = Math.exp(row[s]! - m);
  }
  const alpha = new Float64Array(T * S);
  for (let t = 0; t < T; t++) {
    const o = t * S;
    let total = 0;
    if (t === 0) {
      for (let s = 0; s < S; s++) total += alpha[s] = em[s]! / S;
    } else {
      const p = clampStay(stay[t]!);
      const q = (1 - p) / Math.max(1, S - 1);
      const po = o - S;
      let sum = 0;
      for (let s = 0; s < S; s++) sum += alpha[po + s]!;
      for (let s = 0; s < S; s++) total += alpha[o + s] = (p * alpha[po + s]! + q * (sum - alpha[po + s]!)) * em[o + s]!;
    }
    if (total > 0) for (let s = 0; s < S; s++) alpha[o + s]! /= total;
  }
  let beta = new Float64Array(S).fill(1);
  let nb = new Float64Array(S);
  const eb = new Float64Array(S);
  for (let t = T - 1; t >= 0; t--) {
    if (t < T - 1) {
      const p = clampStay(stay[t + 1]!);
      const q = (1 - p) / Math.max(1, S - 1);
      const o = (t + 1) * S;
      let sum = 0;
      for (let s = 0; s < S; s++) sum += eb[s] = em[o + s]! * beta[s]!;
      let total = 0;
      for (let s = 0; s < S; s++) total += nb[s] = p * eb[s]! + q * (sum - eb[s]!);
      if (total > 0) for (let s = 0; s < S; s++) nb[s]! /= total;
      [beta, nb] = [nb, beta];
    }
    const o = t * S;
    let total = 0;
    for (let s = 0; s < S; s++) total += alpha[o + s]! * beta[s]!;
    out[t] = total > 0 ? (alpha[o + path[t]!]! * beta[path[t]!]!) / total : 0;
  }
  return out;
}
