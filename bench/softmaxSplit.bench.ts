/**
 * Cost of splitting one product over two threads (solve/softmax/parallel.ts), the measurement behind
 * PARALLEL_MIN_WORK: a 240×10 NT product with summation length k from 4 to 4096 (9.6·10³ to 9.8·10⁶
 * multiply-adds), unsplit on the calling thread vs split in row blocks with one worker-thread helper (the
 * split threshold set to 0). Median wall time over many repetitions; `helper_share` is the fraction of
 * blocks the helper computed. Load average printed: on a busy machine the helper waits for a core, and the
 * speed-up shrinks towards 1 (or below). Prints one JSON object. Usage: node bin/run-ts.js bench/softmaxSplit.bench.ts
 */
import { loadavg } from 'node:os';
import { nodeThreadSpawner } from '../src/node/softmaxThreads.js';
import { gemmNT } from '../src/solve/softmax/kernels.js';
import { ParallelRunner, PARALLEL_MIN_WORK, runnerDoubles } from '../src/solve/softmax/parallel.js';
import { createArena } from '../src/solve/softmax/wasmTiles.js';

const m = 240, n = 10, K = 4096;
const arena = createArena(m * K + n * K + m * n + runnerDoubles(2), { shared: true });
if (!arena) throw new Error('WebAssembly SIMD with shared memory is unavailable');
const runner = new ParallelRunner(arena, 2, nodeThreadSpawner, { minWork: 0, adaptive: false });
const A = arena.alloc(m * K), B = arena.alloc(n * K), C = arena.alloc(m * n);
for (let i = 0; i < A.length; i++) A[i] = Math.sin(i);
for (let i = 0; i < B.length; i++) B[i] = Math.cos(i);
runner.run(() => gemmNT(m, n, 64, 1, A, 0, K, B, 0, K, 0, C, 0, n));
const t0 = Date.now();
const nap = new Int32Array(new SharedArrayBuffer(4));
while (runner.ready < 1 && Date.now() - t0 < 10_000) Atomics.wait(nap, 0, 0, 20);
if (runner.ready < 1) throw new Error('the helper thread did not start');

function medianUs(f: () => void, reps: number): number {
  for (let i = 0; i < 5; i++) f();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    f();
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  return ts[reps >> 1] * 1e3;
}

const load0 = loadavg();
const rows: Record<string, number>[] = [];
for (const k of [4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096]) {
  const work = m * n * k;
  const reps = Math.max(51, Math.min(2001, Math.round(2e8 / work)));
  const one = medianUs(() => gemmNT(m, n, k, 1, A, 0, K, B, 0, K, 0, C, 0, n), reps);
  runner.stats.blocks = runner.stats.callerBlocks = 0;
  const two = medianUs(() => runner.run(() => gemmNT(m, n, k, 1, A, 0, K, B, 0, K, 0, C, 0, n)), reps);
  rows.push({
    work, one_thread_us: +one.toFixed(1), two_threads_us: +two.toFixed(1), speedup: +(one / two).toFixed(2),
    split_overhead_us: +(two - one / 2).toFixed(1), helper_share: +(1 - runner.stats.callerBlocks / runner.stats.blocks).toFixed(2),
  });
}
runner.close();
console.log(JSON.stringify({
  bench: 'softmaxSplit', node: process.version, parallel_min_work: PARALLEL_MIN_WORK,
  loadavg_before: load0.map((x) => +x.toFixed(2)), loadavg_after: loadavg().map((x) => +x.toFixed(2)), rows,
}));
