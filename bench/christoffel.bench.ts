/**
 * Christoffel symbols of a 5-parameter family (mvnormal2) per second: the compiled closure
 * (one CSE bundle for g and Γ_ij,k, then the generated LDLᵀ solve) beside an independent sympy
 * derivation lambdified with numpy (bench/christoffel_sympy.py, Debian python3, same run), and the
 * former path (compiled Γ_ij,k, then an LU inverse per call) for reference. Also checks that the
 * three agree. Run: node bin/run-ts.js bench/christoffel.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileFamily } from '../src/compile/compileFamily.js';
import { raiseFirstIndex, raiseWorkspace } from '../src/compile/numericGeometry.js';
import { deriveFamily } from '../src/derive/deriveFamily.js';
import { loadFamily } from '../src/node/loadFamily.js';
import { batchTime } from './batchTiming.js';

const here = dirname(fileURLToPath(import.meta.url));
const c = compileFamily(deriveFamily(loadFamily('mvnormal2', { cwd: process.cwd() })));
const theta = Float64Array.of(0.3, -0.4, 1.7, 0.3, 1.2);
const out = new Float64Array(125);
const g = new Float64Array(25);
const first = new Float64Array(125);
const ws = raiseWorkspace(5);
const median = (f: () => void) => {
  const r = [1, 2, 3].map(() => batchTime(f, 700).median).sort((a, b) => a - b);
  return r[1];
};
const us = median(() => c.christoffel(theta, out));
const luUs = median(() => raiseFirstIndex(c.fisher(theta, g), c.christoffelFirst(theta, first), 5, out, ws));
const mine = Array.from(c.christoffel(theta));
let sympy: Record<string, unknown> = { note: 'skipped: no python3 with sympy' };
const r = spawnSync('/usr/bin/python3', [join(here, 'christoffel_sympy.py'), '5'], { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } });
if (r.status === 0) {
  const j = JSON.parse(r.stdout.trim().split('\n').pop()!) as { sympy: string; median_us: number; christoffel: number[][][] };
  const ref = j.christoffel.flat(2);
  const diff = Math.max(...ref.map((v, i) => Math.abs(v - mine[i]) / (1 + Math.abs(v))));
  sympy = { sympy: j.sympy, median_us: +j.median_us.toFixed(2), max_difference: diff };
}
console.log(JSON.stringify({
  bench: 'christoffel-5-params',
  family: 'mvnormal2',
  method: c.methods.christoffel,
  infogeo: { median_us: +us.toFixed(3), evals_per_s: Math.round(1e6 / us) },
  former_lu_path: { median_us: +luUs.toFixed(3), ratio_to_now: +(luUs / us).toFixed(1) },
  sympy_lambdify: sympy,
  speedup_vs_sympy: typeof sympy.median_us === 'number' ? +((sympy.median_us as number) / us).toFixed(1) : null,
}));
