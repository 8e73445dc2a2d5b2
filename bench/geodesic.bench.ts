/**
 * Exp map and Fisher–Rao distance on gamma (shape, rate) and beta at ≥ 1e-10 accuracy.
 * Prints one JSON object: µs per call, accuracy against tight references, and the speed-up over
 * the geomstats reference quoted in issue 3 (9–21 ms per exp map, 61–162 ms per distance at
 * 1e-10 on this machine type).
 *
 * Metrics: the compiled family (declare → derive → compile) when that pipeline is available,
 * and always a hand-coded closed-form metric (Float64Array, own ψ₂) as a baseline.
 * Accuracy references: exp map by the other integrator (Dormand–Prince 5(4)) at rtol = 1e-14; distance reference ‖v‖_{g(a)} for
 * b = exp_a(v) computed at 1e-14 (gamma and beta are Hadamard manifolds, so this geodesic is minimizing).
 * Run: node bin/run-ts.js bench/geodesic.bench.ts
 */
import trigamma from '@stdlib/math-base-special-trigamma';
import { psi2 } from '../src/core/special.js';
import { batchTime } from './batchTiming.js';
import type { Metric } from '../src/core/types.js';
import { distance } from '../src/solve/geodesic/distance.js';
import { DEFAULT_RTOL, expMap, GEODESIC_RTOL, metricNorm } from '../src/solve/geodesic/expMap.js';

/** 2-parameter metric from g(θ) and ∂_k g_ij(θ) written into flat buffers (Koszul formula, explicit 2×2 inverse). */
function metric2(fill: (t: ArrayLike<number>, g: Float64Array, dg: Float64Array) => void, check: (t: ArrayLike<number>) => string | null): Metric {
  const g = new Float64Array(4), dg = new Float64Array(8);
  return {
    dim: 2,
    fisher(t, out = new Float64Array(4)) {
      fill(t, g, dg);
      out.set(g);
      return out;
    },
    christoffel(t, out = new Float64Array(8)) {
      fill(t, g, dg);
      const det = g[0] * g[3] - g[1] * g[2];
      const i00 = g[3] / det, i01 = -g[1] / det, i11 = g[0] / det;
      // first kind Γ_ij,l = ½(∂_i g_jl + ∂_j g_il − ∂_l g_ij), dg[k*4 + i*2 + j] = ∂_k g_ij
      for (let i = 0; i < 2; i++)
        for (let j = i; j < 2; j++) {
          const c0 = 0.5 * (dg[i * 4 + j * 2] + dg[j * 4 + i * 2] - dg[i * 2 + j]);
          const c1 = 0.5 * (dg[i * 4 + j * 2 + 1] + dg[j * 4 + i * 2 + 1] - dg[4 + i * 2 + j]);
          const k0 = i00 * c0 + i01 * c1, k1 = i01 * c0 + i11 * c1;
          out[i * 2 + j] = out[j * 2 + i] = k0;
          out[4 + i * 2 + j] = out[4 + j * 2 + i] = k1;
        }
      return out;
    },
    checkPoint: check,
  };
}

const positive = (a: string, b: string) => (t: ArrayLike<number>) => (t[0] > 0 ? (t[1] > 0 ? null : `${b} must be > 0`) : `${a} must be > 0`);

const handGamma = metric2((t, g, dg) => {
  const a = t[0], b = t[1];
  g[0] = trigamma(a); g[1] = g[2] = -1 / b; g[3] = a / (b * b);
  dg[0] = psi2(a); dg[1] = dg[2] = 0; dg[3] = 1 / (b * b);
  dg[4] = 0; dg[5] = dg[6] = 1 / (b * b); dg[7] = (-2 * a) / (b * b * b);
}, positive('alpha', 'beta'));

const handBeta = metric2((t, g, dg) => {
  const a = t[0], b = t[1];
  const c = trigamma(a + b), d = psi2(a + b);
  g[0] = trigamma(a) - c; g[1] = g[2] = -c; g[3] = trigamma(b) - c;
  dg[0] = psi2(a) - d; dg[1] = dg[2] = -d; dg[3] = -d;
  dg[4] = -d; dg[5] = dg[6] = -d; dg[7] = psi2(b) - d;
}, positive('a', 'b'));

async function compiledMetric(name: string): Promise<Metric | null> {
  try {
    const { loadFamily } = await import('../src/node/loadFamily.js');
    const { deriveFamily } = await import('../src/derive/deriveFamily.js');
    const { compileFamily } = await import('../src/compile/compileFamily.js');
    return compileFamily(deriveFamily(loadFamily(name, { cwd: process.cwd() })));
  } catch (e) {
    process.stderr.write(`compiled ${name} unavailable: ${(e as Error).message.split('\n')[0]}\n`);
    return null;
  }
}

/** µs per call: fastest batch (robust to interference); the median batch is kept in `median_us`. */
function timeIt(fn: () => void, totalMs = 1500): number {
  const t = batchTime(fn, totalMs);
  medians.push(+t.median.toFixed(2));
  return t.best;
}
const medians: number[] = [];

const CASES: Record<string, { points: [number[], number[]][] }> = {
  gamma: { points: [[[2, 1], [1, -0.5]], [[0.7, 3], [-0.3, 2]], [[5, 0.5], [4, 1]], [[1.5, 2], [0.8, 0.8]]] },
  beta: { points: [[[2, 3], [-0.8, 1.1]], [[0.5, 0.5], [0.3, 0.2]], [[5, 1.5], [3, -0.5]], [[1, 1], [1, 1]]] },
};

const GEOMSTATS = { expMapMs: [9, 21], distanceMs: [61, 162] };

async function benchFamily(name: string, metric: Metric) {
  const pts = CASES[name].points;
  let expErr = 0, distErr = 0;
  const pairs: [number[], number[], number][] = [];
  for (const [a, v] of pts) {
    const ref = expMap(metric, a, v, { rtol: 1e-14, method: 'dopri5' });
    const got = expMap(metric, a, v);
    for (let i = 0; i < 2; i++) expErr = Math.max(expErr, Math.abs(got.value[i] - ref.value[i]) / Math.max(1, Math.abs(ref.value[i])));
    pairs.push([a, Array.from(ref.value), metricNorm(metric, a, v)]);
  }
  const iterations: number[] = [];
  for (const [a, b, d] of pairs) {
    const r = distance(metric, a, b);
    if (!r.converged) throw new Error(`${name}: distance did not converge for ${a} → ${b}: ${r.message}`);
    iterations.push(r.iterations);
    distErr = Math.max(distErr, Math.abs(r.value - d) / Math.max(1, d));
  }
  let k = 0;
  const expUs = timeIt(() => {
    const [a, v] = pts[k++ % pts.length];
    expMap(metric, a, v);
  });
  k = 0;
  const distUs = timeIt(() => {
    const [a, b] = pairs[k++ % pairs.length];
    distance(metric, a, b);
  }, 3000);
  const steps = pts.map(([a, v]) => expMap(metric, a, v).steps);
  k = 0;
  const dp5Us = timeIt(() => {
    const [a, v] = pts[k++ % pts.length];
    expMap(metric, a, v, { method: 'dopri5' });
  });
  let dp5Err = 0;
  for (const [a, v] of pts) {
    const ref = expMap(metric, a, v, { rtol: 1e-14 });
    const got = expMap(metric, a, v, { method: 'dopri5' });
    for (let i = 0; i < 2; i++) dp5Err = Math.max(dp5Err, Math.abs(got.value[i] - ref.value[i]) / Math.max(1, Math.abs(ref.value[i])));
  }
  const med = medians.splice(0);
  return {
    median_us: { expMap: med[0], distance: med[1], expMap_dopri5: med[2] },
    expMap: {
      us_per_call: +expUs.toFixed(2),
      max_rel_error: expErr,
      steps: steps,
      speedup_vs_geomstats: [Math.round((GEOMSTATS.expMapMs[0] * 1000) / expUs), Math.round((GEOMSTATS.expMapMs[1] * 1000) / expUs)],
    },
    expMap_dopri5: { us_per_call: +dp5Us.toFixed(2), max_rel_error: dp5Err, rtol: DEFAULT_RTOL.dopri5 },
    distance: {
      us_per_call: +distUs.toFixed(2),
      max_rel_error: distErr,
      newton_iterations: iterations,
      speedup_vs_geomstats: [Math.round((GEOMSTATS.distanceMs[0] * 1000) / distUs), Math.round((GEOMSTATS.distanceMs[1] * 1000) / distUs)],
    },
  };
}

const results: Record<string, unknown> = {};
for (const [name, hand] of [['gamma', handGamma], ['beta', handBeta]] as const) {
  const entry: Record<string, unknown> = { hand_coded: await benchFamily(name, hand) };
  const compiled = await compiledMetric(name);
  if (compiled) entry.compiled = await benchFamily(name, compiled);
  results[name] = entry;
}
console.log(JSON.stringify({
  bench: 'geodesic',
  tolerance: { rtol: GEODESIC_RTOL, atol: 'rtol × (|θ0_i| + |v_i|) per component', target_accuracy: 1e-10 },
  integrator: 'dormand-prince-8(5,3) (dop853); expMap_dopri5 = dormand-prince-5(4) for comparison',
  geomstats_reference_ms: GEOMSTATS,
  results,
}));
