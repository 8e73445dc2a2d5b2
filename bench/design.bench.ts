/**
 * Fisher information of a design with 10⁴ points for the 3-parameter sinusoid model
 * (examples/models/sinusoid.yaml), as evaluations per second, beside a vectorised numpy implementation
 * of the same Σ_k J_kᵀ g J_k sum (bench/design_numpy.py, run with Debian's python3 in the same run).
 * Also reports the agreement of the two results. Run: node bin/run-ts.js bench/design.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel } from '../src/cli/model.js';
import { parseDesign } from '../src/declare/design.js';
import { batchTime } from './batchTiming.js';

const here = dirname(fileURLToPath(import.meta.url));
const N = 10000;
const m = loadModel(join(here, '../examples/models/sinusoid.yaml'), process.cwd()).compiled;
const design = parseDesign(`n = 0..${N - 1}`, ['n']);
const theta = [1.3, 0.12, 0.4];
const out = new Float64Array(9);
const mine = Array.from(m.designFisher(design, theta, out));
const runs = [1, 2, 3].map(() => batchTime(() => m.designFisher(design, theta, out), 1000).median);
runs.sort((a, b) => a - b);
const us = runs[1];

let peer: Record<string, unknown> = { note: 'skipped: no python3 with numpy' };
for (const py of ['/usr/bin/python3', 'python3']) {
  const r = spawnSync(py, [join(here, 'design_numpy.py'), String(N)], { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } });
  if (r.status !== 0) continue;
  const j = JSON.parse(r.stdout.trim().split('\n').pop()!) as { numpy: string; median_s: number; fisher: number[][] };
  const ref = j.fisher.flat();
  const scale = Math.max(...ref.map(Math.abs));
  const agree = Math.max(...ref.map((v, i) => Math.abs(v - mine[i]) / scale));
  peer = { numpy: j.numpy, evals_per_s: +(1 / j.median_s).toFixed(1), max_rel_difference: agree };
  break;
}
const evals = 1e6 / us;
console.log(JSON.stringify({
  bench: 'design-fisher',
  model: 'sinusoid (A, f0, phi), normal observations',
  design_points: N,
  method: m.method,
  infogeo: { evals_per_s: +evals.toFixed(1), median_us: +us.toFixed(1) },
  numpy: peer,
  ratio_infogeo_over_numpy: typeof peer.evals_per_s === 'number' ? +(evals / (peer.evals_per_s as number)).toFixed(2) : null,
}));
