import { nodeThreadSpawner } from '../src/node/softmaxThreads.js';
import { ParallelRunner } from '../src/solve/softmax/parallel.js';
import { createArena } from '../src/solve/softmax/wasmTiles.js';
import { gemmNT } from '../src/solve/softmax/kernels.js';
const m = 240, n = 10, K = 4096;
const arena = createArena(2 * m * K + n * K + m * n + 1000, true)!;
const r = new ParallelRunner(arena, 2, nodeThreadSpawner, 0);
const A = arena.alloc(m * K), B = arena.alloc(n * K), C = arena.alloc(m * n);
for (let i = 0; i < A.length; i++) A[i] = Math.sin(i);
for (let i = 0; i < B.length; i++) B[i] = Math.cos(i);
r.run(() => gemmNT(m, n, 64, 1, A, 0, K, B, 0, K, 0, C, 0, n));
const t0 = Date.now(); while (r.ready < 1 && Date.now() - t0 < 5000) { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20); }
const med = (f: () => void, reps: number) => { for (let i = 0; i < 5; i++) f(); const ts: number[] = []; for (let i = 0; i < reps; i++) { const t = performance.now(); f(); ts.push(performance.now() - t); } ts.sort((a, b) => a - b); return ts[reps >> 1]; };
for (const k of [4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096]) {
  const work = m * n * k;
  const reps = Math.max(51, Math.min(2001, Math.round(2e8 / work)));
  const one = med(() => gemmNT(m, n, k, 1, A, 0, K, B, 0, K, 0, C, 0, n), reps);
  const two = med(() => r.run(() => gemmNT(m, n, k, 1, A, 0, K, B, 0, K, 0, C, 0, n)), reps);
  const st = { ...r.stats }; r.stats.blocks = 0; r.stats.callerBlocks = 0;
  console.log(JSON.stringify({ helperShare: +(1 - st.callerBlocks / st.blocks).toFixed(2), work, one_us: +(one * 1e3).toFixed(1), two_us: +(two * 1e3).toFixed(1), speedup: +(one / two).toFixed(2) }));
}
r.close();
