/**
 * Softmax fast path vs PyTorch (CPU, float64, one thread) vs @tensorflow/tfjs (CPU backend).
 *
 * Rows, for (C, D, N) = (10, 784, 1024) and (100, 512, 256):
 *   fwd_bwd       loss and gradient of softmax regression
 *   kfac_factors  A = X̃ᵀX̃/N and G = (1/N) Σ diag p − p pᵀ
 *   kfac_solve    Cholesky of A + √λI and G + √λI, then (G+√λI)^{-1} ∇W̃ (A+√λI)^{-1}
 *   cg20          20 conjugate-gradient iterations on (F + λI) x = ∇ with exact Fisher-vector products
 *                 (ExactFisher.multiplyInverse, tol 0: 21 products counting the final residual)
 * and gemm2000: a square 2000³ product C = A Bᵀ (GFLOP/s), beside torch's dgemm (OpenBLAS, 1 thread,
 * AVX2 FMA: the attainable single-core peak, measured in the same run) and the 128-bit WebAssembly
 * path's own ceiling (a register-only loop of independent f64x2 multiply-adds, plain and relaxed).
 * Columns: js (WebAssembly kernels, relaxed SIMD when the runtime has it), js_simd (plain SIMD
 * forced), js_scalar (scalar JS kernels), torch (bench/softmax_torch.py, OPENBLAS_NUM_THREADS=1),
 * tfjs (CPU backend; float32; no Cholesky, so no kfac_solve row).
 * rows_threads: the same rows with `threads` = 2 (worker threads over shared memory, src/node/softmaxThreads.ts)
 * beside torch with torch.set_num_threads(2) and OPENBLAS/OMP_NUM_THREADS=2, in the same run. CPU time there is
 * the whole process's (all threads), so cpu/wall shows how much of the second core each side used.
 * Milliseconds: median and minimum wall time and median CPU time; js/torch ratios of each; the load
 * average before and after (the machine may be shared). Prints one JSON object.
 * Usage: node bin/run-ts.js bench/softmax.bench.ts [--quick] [--no-tfjs]
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { enableRelaxedSimd } from '../src/node/wasmFeatures.js';
import { useNodeThreads } from '../src/node/softmaxThreads.js';
import { ExactFisher } from '../src/solve/softmax/exactFisher.js';
import { createRng } from '../src/solve/softmax/rng.js';
import { SoftmaxRegression } from '../src/solve/softmax/softmaxRegression.js';
import { gemmNT } from '../src/solve/softmax/kernels.js';
import * as wasm from '../src/solve/softmax/wasmTiles.js';

enableRelaxedSimd();
const load0 = loadavg();

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const noTfjs = process.argv.includes('--no-tfjs');
const REPS = quick ? 3 : 21;
const LAMBDA = 1e-3;
const SIZES: [number, number, number][] = [[10, 784, 1024], [100, 512, 256]];
const THREADS = 2;
useNodeThreads(1);

interface Timing { median: number; min: number; cpu: number }

/**
 * Median and minimum wall time and median process CPU time (ms) over `reps` runs after `warm`
 * warm-up runs. CPU time is the robust figure on a shared machine (time spent waiting for a core
 * is not counted).
 */
function medianMs(fn: () => void, reps = REPS, warm = 2): Timing {
  for (let i = 0; i < warm; i++) fn();
  const ts: number[] = [], cs: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cs.push((c.user + c.system) / 1000);
  }
  ts.sort((a, b) => a - b);
  cs.sort((a, b) => a - b);
  const mid = Math.floor(ts.length / 2);
  return { median: ts[mid], min: ts[0], cpu: cs[mid] };
}

function makeData(C: number, D: number, N: number) {
  const rng = createRng(0);
  const X = Float64Array.from({ length: N * D }, () => rng.normal());
  const y = Int32Array.from({ length: N }, () => Math.floor(rng.next() * C));
  const theta = Float64Array.from({ length: C * (D + 1) }, () => 0.01 * rng.normal());
  return { data: { C, D, N, X, y }, theta };
}

type Flavour = 'auto' | 'simd' | 'scalar';

function jsRows(C: number, D: number, N: number, flavour: Flavour, threads = 1): Record<string, Timing> {
  const { data, theta } = makeData(C, D, N);
  const setVariant = (wasm as { setDefaultWasmVariant?: (v: string) => void }).setDefaultWasmVariant;
  if (flavour !== 'scalar') setVariant?.(flavour);
  const model = new SoftmaxRegression(data, { simd: flavour !== 'scalar', threads });
  setVariant?.('auto');
  if (flavour !== 'scalar' && !model.simd) throw new Error('WebAssembly SIMD unavailable');
  const grad = new Float64Array(model.dim);
  if (threads > 1) {
    // Helpers start on the first split product; wait (a few seconds at most) until they are attached.
    const t0 = Date.now();
    while (model.runner && model.runner.ready < threads - 1 && Date.now() - t0 < 10_000) model.kfacFactors(true);
    if (model.runner?.ready !== threads - 1) throw new Error(`${threads - 1} helper threads did not start`);
  }
  const fwdBwd = medianMs(() => model.lossAndGrad(theta, grad));
  const factors = medianMs(() => model.kfacFactors(true));
  const out = new Float64Array(model.dim);
  // Fresh factorisations every repetition: alternating λ between two nearby values defeats the per-λ cache.
  let flip = false;
  const solve = medianMs(() => {
    flip = !flip;
    if (!model.kfacSolve(flip ? LAMBDA : LAMBDA * (1 + 1e-9), grad, out)) throw new Error('K-FAC factor not positive definite');
  });
  model.lossAndGrad(theta, grad);
  const fisher = new ExactFisher(model, { tol: 0, maxIter: 20 });
  const cg = medianMs(() => fisher.multiplyInverse(grad, LAMBDA, out), quick ? 3 : 11);
  if (fisher.lastSolve!.iterations !== 20) throw new Error(`CG ran ${fisher.lastSolve!.iterations} iterations, not 20`);
  model.close();
  return { fwd_bwd: fwdBwd, kfac_factors: factors, kfac_solve: solve, cg20: cg };
}

/** GFLOP/s of the 2000³ product A Bᵀ in arena memory (best and median of a few runs), and the register-only ceilings. */
function gemmRow(n: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const variants = ['relaxed', 'simd'] as const;
  const flop = 2 * n * n * n;
  const create = wasm.createArena as (d: number, o?: { variant?: string }) => ReturnType<typeof wasm.createArena>;
  for (const v of variants) {
    const arena = create(3 * n * n + 64, { variant: v });
    if (!arena) { out[v] = null; continue; }
    const a = arena.alloc(n * n), b = arena.alloc(n * n), c = arena.alloc(n * n);
    const rng = createRng(1);
    for (let i = 0; i < n * n; i++) { a[i] = rng.normal(); b[i] = rng.normal(); }
    const t = medianMs(() => gemmNT(n, n, n, 1, a, 0, n, b, 0, n, 0, c, 0, n), quick ? 1 : 5, 1);
    // Spot check against a dot product (the bench must not time a broken kernel).
    let s = 0;
    for (let p = 0; p < n; p++) s += a[7 * n + p] * b[11 * n + p];
    if (Math.abs(c[7 * n + 11] - s) > 1e-9 * n) throw new Error('gemm2000 spot check failed');
    const peakFn = (arena as unknown as { kernels?: { peak?: (it: number) => number } }).kernels?.peak;
    let ceiling: number | null = null;
    if (peakFn) {
      const iters = 2e7, acc = (wasm as { PEAK_ACC?: number }).PEAK_ACC ?? 12;
      const tp = medianMs(() => { peakFn(iters); }, 5, 1);
      ceiling = +((4 * acc * iters) / (tp.cpu * 1e6)).toFixed(2);
    }
    out[v] = { ms: +t.median.toFixed(1), cpu_ms: +t.cpu.toFixed(1), gflops: +(flop / (t.median * 1e6)).toFixed(2), gflops_cpu: +(flop / (t.cpu * 1e6)).toFixed(2), register_ceiling_gflops_cpu: ceiling };
  }
  return out;
}

async function tfjsRows(C: number, D: number, N: number): Promise<Record<string, Timing> | { error: string }> {
  try {
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    const { data, theta } = makeData(C, D, N);
    const X = tf.tensor2d(Float32Array.from(data.X), [N, D]);
    const Xa = tf.concat([X, tf.ones([N, 1])], 1);
    const onehot = tf.oneHot(tf.tensor1d(Int32Array.from(data.y), 'int32'), C);
    const Wt = new Float32Array(C * D), bt = new Float32Array(C);
    for (let c = 0; c < C; c++) {
      for (let j = 0; j < D; j++) Wt[c * D + j] = theta[c * (D + 1) + j];
      bt[c] = theta[c * (D + 1) + D];
    }
    const W = tf.variable(tf.tensor2d(Wt, [C, D]));
    const b = tf.variable(tf.tensor1d(bt));
    const reps = quick ? 2 : 5;
    const fwdBwd = medianMs(() => {
      const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(onehot, tf.add(tf.matMul(X, W, false, true), b)) as never);
      grads[W.name].dataSync();
      grads[b.name].dataSync();
      value.dispose();
      Object.values(grads).forEach((g) => g.dispose());
    }, reps, 1);
    const P = tf.softmax(tf.add(tf.matMul(X, W, false, true), b));
    const factors = medianMs(() => {
      const r = tf.tidy(() => {
        const A = tf.div(tf.matMul(Xa, Xa, true, false), N);
        const G = tf.sub(tf.diag(tf.mean(P, 0)), tf.div(tf.matMul(P, P, true, false), N));
        return [A, G];
      });
      r.forEach((t) => { t.dataSync(); t.dispose(); });
    }, reps, 1);
    return { fwd_bwd: fwdBwd, kfac_factors: factors };
  } catch (e) {
    return { error: String((e as Error).message ?? e) };
  }
}

function torchRows(threads = 1): { rows?: Record<string, Record<string, Timing>>; gemm?: unknown; torch?: string; note?: string } {
  const script = join(here, 'softmax_torch.py');
  const n = String(threads);
  const env = { ...process.env, OPENBLAS_NUM_THREADS: n, OMP_NUM_THREADS: n, MKL_NUM_THREADS: n };
  for (const py of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8', env });
    if (probe.status !== 0) continue;
    const r = spawnSync(py, [script, String(quick ? 5 : 21), n], { encoding: 'utf8', env, maxBuffer: 1 << 20 });
    if (r.status !== 0) return { note: `torch script failed: ${r.stderr.slice(-500)}` };
    const parsed = JSON.parse(r.stdout.trim().split('\n').pop()!);
    return { rows: parsed.rows, gemm: parsed.gemm2000, torch: parsed.torch };
  }
  return { note: 'skipped: no python3 with torch (apt-get install python3-torch)' };
}

const ROWS = ['fwd_bwd', 'kfac_factors', 'kfac_solve', 'cg20'] as const;
const torch = torchRows();
const torch2 = torchRows(THREADS);
const table: Record<string, unknown>[] = [];
const table2: Record<string, unknown>[] = [];
const r3 = (x: number) => +x.toFixed(3);
const ratio = (x: number | undefined, y: number | undefined) => (x === undefined || y === undefined ? null : +(x / y).toFixed(2));
for (const [C, D, N] of SIZES) {
  const key = `${C},${D},${N}`;
  process.stderr.write(`softmax bench ${key} ...\n`);
  const js = jsRows(C, D, N, 'auto');
  const jsSimd = jsRows(C, D, N, 'simd');
  const jsScalar = jsRows(C, D, N, 'scalar');
  const tfjs = noTfjs ? { error: 'skipped (--no-tfjs)' } : await tfjsRows(C, D, N);
  const js2 = jsRows(C, D, N, 'auto', THREADS);
  for (const row of ROWS) {
    const t2 = torch2.rows?.[key]?.[row];
    table2.push({
      size: key, row, threads: THREADS,
      js_ms: r3(js2[row].median), js_min_ms: r3(js2[row].min), js_cpu_ms: r3(js2[row].cpu),
      torch_ms: t2 === undefined ? null : r3(t2.median), torch_min_ms: t2 === undefined ? null : r3(t2.min), torch_cpu_ms: t2 === undefined ? null : r3(t2.cpu),
      js_over_torch: ratio(js2[row].median, t2?.median),
      js_over_torch_min: ratio(js2[row].min, t2?.min),
      js_speedup_vs_1_thread: ratio(js[row].median, js2[row].median),
      torch_speedup_vs_1_thread: ratio(torch.rows?.[key]?.[row]?.median, t2?.median),
    });
  }
  for (const row of ROWS) {
    const t = torch.rows?.[key]?.[row];
    const tj = 'error' in tfjs ? undefined : tfjs[row as 'fwd_bwd'];
    table.push({
      size: key, row,
      js_ms: r3(js[row].median), js_min_ms: r3(js[row].min), js_cpu_ms: r3(js[row].cpu),
      js_simd_ms: r3(jsSimd[row].median), js_scalar_ms: r3(jsScalar[row].median),
      torch_ms: t === undefined ? null : r3(t.median), torch_min_ms: t === undefined ? null : r3(t.min),
      torch_cpu_ms: t === undefined ? null : r3(t.cpu),
      tfjs_cpu_f32_ms: tj === undefined ? null : r3(tj.median),
      js_over_torch: ratio(js[row].median, t?.median),
      js_over_torch_min: ratio(js[row].min, t?.min),
      js_over_torch_cpu: ratio(js[row].cpu, t?.cpu),
      js_simd_over_torch_cpu: ratio(jsSimd[row].cpu, t?.cpu),
      simd_speedup: +(jsScalar[row].median / js[row].median).toFixed(2),
      tfjs_over_js: tj === undefined ? null : +(tj.median / js[row].median).toFixed(1),
    });
  }
}
process.stderr.write('softmax bench gemm2000 ...\n');
const g = gemmRow(2000) as Record<string, { gflops: number; gflops_cpu: number; register_ceiling_gflops_cpu: number | null } | null>;
const tg = torch.gemm as { gflops: number; gflops_cpu: number } | undefined;
const gemm2000 = {
  ...g,
  torch_dgemm_1thread: tg ?? null,
  peak_note: 'measured single-core peak = torch/OpenBLAS dgemm 2000³ with 1 thread (AVX2 FMA), CPU-time GFLOP/s',
  relaxed_fraction_of_peak_cpu: g.relaxed && tg ? +(g.relaxed.gflops_cpu / tg.gflops_cpu).toFixed(3) : null,
  simd_fraction_of_peak_cpu: g.simd && tg ? +(g.simd.gflops_cpu / tg.gflops_cpu).toFixed(3) : null,
  js_over_torch_time_cpu: g.relaxed && tg ? +(tg.gflops_cpu / g.relaxed.gflops_cpu).toFixed(2) : null,
  relaxed_fraction_of_wasm_ceiling: g.relaxed?.register_ceiling_gflops_cpu ? +(g.relaxed.gflops_cpu / g.relaxed.register_ceiling_gflops_cpu).toFixed(3) : null,
};
console.log(JSON.stringify({
  bench: 'softmax', node: process.version, reps: REPS, damping: LAMBDA,
  wasm_variant: (wasm as { bestWasmVariant?: () => string | null }).bestWasmVariant?.() ?? 'simd',
  load_average_before: load0.map((x) => +x.toFixed(2)), load_average_after: loadavg().map((x) => +x.toFixed(2)),
  torch: torch.torch ?? null, torch_note: torch.note ?? 'torch.set_num_threads(1), OPENBLAS_NUM_THREADS=1, float64',
  tfjs_note: 'CPU backend, float32 only; no Cholesky/solve ops, so kfac_solve and cg20 are not measured',
  rows: table,
  gemm2000,
  threads_note: `threads = ${THREADS}: infogeo worker threads over shared memory vs torch.set_num_threads(${THREADS}); CPU time of all threads. Load average before/after: ${load0.map((x) => x.toFixed(2)).join(' ')} / ${loadavg().map((x) => x.toFixed(2)).join(' ')}; with other processes on the cores, multi-thread timings (both sides) are distorted`,
  torch_threads_note: torch2.note ?? null,
  rows_threads: table2,
}));
