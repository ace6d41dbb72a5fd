// Retrieval metrics with binary relevance (Manning, Raghavan & Schütze, Introduction to IR, ch. 8).

/** Precision of the top k returned (1 when nothing is returned and nothing is relevant). */
export function precisionAtK(returned: number[], relevant: Set<number>, k = 10): number {
  const top = returned.slice(0, k);
  if (top.length === 0) return relevant.size === 0 ? 1 : 0;
  return top.filter((id) => relevant.has(id)).length / top.length;
}

/** Share of the relevant items returned at all (1 when nothing is relevant). */
export function recall(returned: number[], relevant: Set<number>): number {
  if (relevant.size === 0) return 1;
  return returned.filter((id) => relevant.has(id)).length / relevant.size;
}

/** nDCG@k, binary gains, log2 discount (Järvelin & Kekäläinen 2002); 1 when nothing is relevant and nothing returned. */
export function ndcgAtK(returned: number[], relevant: Set<number>, k = 10): number {
  if (relevant.size === 0) return returned.length === 0 ? 1 : 0;
  let dcg = 0;
  returned.slice(0, k).forEach((id, i) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return dcg / ideal;
}
