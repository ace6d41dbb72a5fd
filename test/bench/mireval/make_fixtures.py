#!/usr/bin/env python3
"""Regenerates fixtures.json: reference outputs of the real mir_eval for test/bench/mireval.test.ts.

Run with mir_eval 0.8.2 installed (pip install mir_eval==0.8.2; outside the repo):
    python3 test/bench/mireval/make_fixtures.py > test/bench/mireval/fixtures.json
Deterministic (fixed seed). Not needed to run the tests.
"""
import json
import warnings

import mir_eval
import numpy as np

warnings.filterwarnings("ignore")
rng = np.random.default_rng(909)

LABELS = [
    "N", "X", "C", "C:maj", "C:min", "C:7", "C:maj7", "C:min7", "C:dim", "C:aug", "C:sus2", "C:sus4",
    "C:hdim7", "C:dim7", "C:min6", "C:maj6", "C:9", "C:maj9", "C:min9", "C:11", "C:13", "C:minmaj7",
    "C:maj/3", "C:maj/5", "C:min/b3", "C:min/5", "C:7/3", "C:7/b7", "C:maj7/7", "C:min7/b7", "C:maj/b7",
    "C:maj/2", "C:(1)", "C:(1,5)", "C:(1,3)", "C:(1,b3)", "C:(1,5,b7)", "C:maj(9)", "C:maj(*5)", "C:min(*b3)",
    "C:aug(b7)", "C:1", "C:5", "C:sus2/2", "C:maj(4)", "B#:maj", "Cb:maj", "Dbb:min", "G:7/3", "A:min7",
    "Eb:maj7/3", "F#:hdim7/b3", "Bb:sus4/5", "E:min/b3", "D:7(b9)", "A:maj6/6", "G:maj(b7)",
]
ESTIMATES = ["N", "X", "C:maj", "C:min", "C:7", "C:maj7", "C:min7", "C:maj/3", "C:maj/5", "C:min/b3", "C:7/3",
             "C:sus2", "C:dim", "C:hdim7", "C:min6", "B#:maj", "G:7/3", "A:min7", "Eb:maj7/3", "C:maj6", "C:7/b7"]

fixtures = {"version": mir_eval.__version__}

enc = {}
for label in LABELS:
    root, bitmap, bass = mir_eval.chord.encode(label)
    enc[label] = {"root": int(root), "bitmap": [int(b) for b in bitmap], "bass": int(bass)}
fixtures["encode"] = enc

ref, est = [], []
for r in LABELS:
    for e in ESTIMATES:
        ref.append(r)
        est.append(e)
fixtures["comparisons"] = {
    "ref": ref,
    "est": est,
    "root": mir_eval.chord.root(ref, est).tolist(),
    "majmin": mir_eval.chord.majmin(ref, est).tolist(),
    "majmin_inv": mir_eval.chord.majmin_inv(ref, est).tolist(),
    "sevenths": mir_eval.chord.sevenths(ref, est).tolist(),
    "sevenths_inv": mir_eval.chord.sevenths_inv(ref, est).tolist(),
}

VOCAB = ["N", "C:maj", "C:min", "G:7", "A:min7", "F:maj7", "F:maj/3", "D:sus4", "E:dim", "G:7/3", "C:(1,5)", "X"]


def random_track(t0, t1, n):
    bounds = np.unique(np.concatenate([[t0], rng.uniform(t0 + 0.01, t1 - 0.01, n - 1).round(3), [t1]]))
    n = len(bounds) - 1
    ivs = np.stack([bounds[:-1], bounds[1:]], axis=1)
    labels = [VOCAB[i] for i in rng.integers(0, len(VOCAB), n)]
    return ivs, labels


evals = []
for k in range(12):
    ref_ivs, ref_labels = random_track(0.0, 30.0, int(rng.integers(4, 12)))
    # estimates: a different span (starting late / ending early or late) to exercise adjust_intervals
    e0 = float(rng.choice([0.0, 1.5, -1.0]))
    e1 = float(rng.choice([30.0, 27.25, 33.0]))
    est_ivs, est_labels = random_track(e0, e1, int(rng.integers(3, 12)))
    if k % 3 == 0:  # make some of them mostly right
        inner = np.sort(ref_ivs[1:, 0] + rng.normal(0, 0.2, len(ref_ivs) - 1)).round(3)
        bounds = np.unique(np.concatenate([[0.0], np.clip(inner, 0.01, 29.99), [30.0]]))
        est_ivs = np.stack([bounds[:-1], bounds[1:]], axis=1)
        est_labels = list(ref_labels[: len(est_ivs)]) + ["N"] * (len(est_ivs) - len(ref_labels))
    scores = mir_eval.chord.evaluate(ref_ivs, ref_labels, est_ivs, est_labels)
    evals.append({
        "ref_intervals": ref_ivs.tolist(), "ref_labels": ref_labels,
        "est_intervals": est_ivs.tolist(), "est_labels": est_labels,
        "scores": {m: float(scores[m]) for m in ["root", "majmin", "majmin_inv", "sevenths", "sevenths_inv"]},
    })
fixtures["chord_evaluate"] = evals

adj = []
for ivs, t0, t1 in [([[1.0, 2.0], [2.0, 5.0]], 0.0, 6.0), ([[0.0, 2.0], [2.0, 5.0], [5.0, 9.0]], 1.0, 6.0),
                    ([[0.0, 1.0], [3.0, 4.0]], 2.0, 3.5), ([[0.5, 1.0]], 0.0, 1.0)]:
    labels = ["a%d" % i for i in range(len(ivs))]
    out_ivs, out_labels = mir_eval.util.adjust_intervals(np.array(ivs), list(labels), t0, t1, "N", "N")
    adj.append({"intervals": ivs, "labels": labels, "t_min": t0, "t_max": t1,
                "out_intervals": out_ivs.tolist(), "out_labels": out_labels})
fixtures["adjust_intervals"] = adj

NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
keys = ["%s %s" % (n, m) for m in ["major", "minor"] for n in NAMES]
fixtures["key"] = {"keys": keys, "scores": [[mir_eval.key.weighted_score(r, e) for e in keys] for r in keys]}

beats = []
for k in range(10):
    period = float(rng.uniform(0.4, 0.8))
    ref = np.arange(0.3, 40.0, period).round(4)
    est = ref.copy()
    if k % 2 == 0:
        est = est + rng.normal(0, 0.05, est.shape)
    else:
        est = est + float(rng.uniform(-0.1, 0.1))
    if k % 3 == 0:
        est = np.concatenate([est, est[:-1] + period / 2])
    if k % 4 == 0:
        est = est[rng.uniform(size=est.shape) > 0.2]
    est = np.sort(np.maximum(est, 0)).round(4)
    scores = mir_eval.beat.evaluate(ref, est)
    untrimmed = mir_eval.beat.f_measure(ref, est)
    beats.append({"ref": ref.tolist(), "est": est.tolist(), "f_measure": float(scores["F-measure"]),
                  "f_measure_untrimmed": float(untrimmed)})
fixtures["beat"] = beats

print(json.dumps(fixtures, separators=(",", ":")))
