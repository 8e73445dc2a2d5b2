/**
 * µs per call of a function on a shared, noisy machine: calls are timed in batches of ~20 ms for
 * `totalMs` and the fastest and the median batch are returned.
 */
export function batchTime(fn: () => void, totalMs = 1500): { best: number; median: number } {
  for (let i = 0; i < 20; i++) fn();
  let batch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn();
    if (performance.now() - t0 > 20 || batch > 1 << 20) break;
    batch *= 2;
  }
  const per: number[] = [];
  const start = performance.now();
  while (performance.now() - start < totalMs || per.length < 5) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) fn();
    per.push(((performance.now() - t0) * 1000) / batch);
  }
  per.sort((x, y) => x - y);
  return { best: per[0], median: per[Math.floor(per.length / 2)] };
}
