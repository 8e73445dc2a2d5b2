/**
 * α-geodesic exp and log maps beside the Levi-Civita (α = 0) ones, on the compiled gamma and beta
 * families, in one run: µs per call (fastest and median 20 ms batch) and the ratio to α = 0 measured
 * in the same run, plus the accuracy of log ∘ exp (max relative error of the recovered velocity).
 * Run: node bin/run-ts.js bench/alphaGeodesic.bench.ts
 */
import { compileFamily } from '../src/compile/compileFamily.js';
import { loadFamily } from '../src/node/loadFamily.js';
import { deriveFamily } from '../src/derive/deriveFamily.js';
import { alphaConnection } from '../src/solve/geodesic/alphaConnection.js';
import { expMap } from '../src/solve/geodesic/expMap.js';
import { logMap } from '../src/solve/geodesic/logMap.js';
import { batchTime } from './batchTiming.js';

const CASES: Record<string, [number[], number[]][]> = {
  gamma: [[[2, 1], [0.3, -0.1]], [[0.7, 3], [-0.1, 0.5]], [[5, 0.5], [1, 0.2]]],
  beta: [[[2, 3], [-0.3, 0.4]], [[0.8, 0.8], [0.1, 0.05]], [[5, 1.5], [1, -0.2]]],
};
const ALPHAS = [0, 1, -1, 0.5];

const results: Record<string, unknown> = {};
for (const [name, pts] of Object.entries(CASES)) {
  const fam = compileFamily(deriveFamily(loadFamily(name, { cwd: process.cwd() })));
  const rows: Record<string, unknown> = {};
  let base: { exp: number; log: number } | null = null;
  for (const alpha of ALPHAS) {
    const m = alphaConnection(fam, alpha);
    const targets = pts.map(([a, v]) => {
      const e = expMap(m, a, v);
      if (!e.converged) throw new Error(`${name} α=${alpha}: exp map from ${a} did not converge`);
      return Array.from(e.value);
    });
    let err = 0;
    pts.forEach(([a, v], k) => {
      const l = logMap(m, a, targets[k]);
      if (!l.converged) throw new Error(`${name} α=${alpha}: log map did not converge`);
      v.forEach((vi, i) => (err = Math.max(err, Math.abs(l.value[i] - vi) / Math.max(1e-300, Math.abs(vi)))));
    });
    let k = 0;
    const exp = batchTime(() => {
      const [a, v] = pts[k++ % pts.length];
      expMap(m, a, v);
    });
    k = 0;
    const log = batchTime(() => {
      const j = k++ % pts.length;
      logMap(m, pts[j][0], targets[j]);
    }, 2500);
    if (alpha === 0) base = { exp: exp.median, log: log.median };
    rows[`alpha=${alpha}`] = {
      expMap_us: { best: +exp.best.toFixed(2), median: +exp.median.toFixed(2) },
      logMap_us: { best: +log.best.toFixed(2), median: +log.median.toFixed(2) },
      ratio_to_levi_civita: base ? { expMap: +(exp.median / base.exp).toFixed(2), logMap: +(log.median / base.log).toFixed(2) } : null,
      log_exp_max_rel_error: err,
    };
  }
  results[name] = { christoffel_method: fam.methods.christoffel, amari_chentsov_method: fam.methods.amariChentsov, rows };
}
console.log(JSON.stringify({ bench: 'alpha-geodesic', note: 'median µs per call; ratios against α = 0 measured in the same run', results }));
