/** Runs `work` over `items` with at most `concurrency` promises in flight, in order of start. */
export async function forEachConcurrent<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) {
      signal?.throwIfAborted();
      const i = next++;
      await work(items[i]!, i);
    }
  });
  await Promise.all(lanes);
}
