/**
 * Compiled closures vs mathjs `compile().evaluate()` of the same derived expressions: metric and
 * Christoffel symbols of gamma, beta, normal and mvnormal2, in evaluations of the whole object per
 * second, plus derivation/compilation time per family and the CSE operation counts.
 * Prints one JSON line. Run: node bin/run-ts.js bench/compile.bench.ts
 *
 * mathjs gets a full scope (parameters and the special functions of src/core/special.ts), one
 * compiled expression per entry. Each timed loop is its own `new Function`, so call sites stay
 * monomorphic; θ is varied inside the loop so nothing is hoisted; best of 5 runs after a warm-up.
 * For gamma a hand-written Christoffel function (same special functions) gives the hand/generated ratio.
 * The machine is shared: rates vary by ±30 % between runs.
 */
import { compile as mathjsCompile } from 'mathjs';
import type { MathNode } from 'mathjs';
import { compileFamily } from '../src/compile/compileFamily.js';
import { compileExprs } from '../src/compile/compileExprs.js';
import { SPECIAL, psi2 } from '../src/core/special.js';
import { listFamilies, loadFamily } from '../src/node/loadFamily.js';
import { deriveFamily } from '../src/derive/deriveFamily.js';
import type { Derivation } from '../src/derive/types.js';

type ObjFn = (theta: Float64Array, out: Float64Array) => Float64Array;

function makeLoop(): (f: ObjFn, theta: Float64Array, out: Float64Array, reps: number) => number {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function(
    'f',
    'theta',
    'out',
    'reps',
    'const t0 = theta[0]; let s = 0; for (let r = 0; r < reps; r++) { theta[0] = t0 + (r & 7) * 1e-3; s += f(theta, out)[1]; } theta[0] = t0; return s;',
  ) as (f: ObjFn, theta: Float64Array, out: Float64Array, reps: number) => number;
}

/** Object evaluations per second (best of 3, ~budget ms each). */
function rate(f: ObjFn, theta: Float64Array, m: number, budgetMs = 250): number {
  const loop = makeLoop();
  const out = new Float64Array(m);
  let reps = 64;
  for (;;) {
    const t0 = performance.now();
    loop(f, theta, out, reps);
    if (performance.now() - t0 > 20) break;
    reps *= 2;
  }
  const t1 = performance.now();
  loop(f, theta, out, reps);
  const per = (performance.now() - t1) / reps;
  const n = Math.max(1, Math.floor(budgetMs / per));
  let best = 0;
  for (let k = 0; k < 5; k++) {
    const t = performance.now();
    loop(f, theta, out, n);
    best = Math.max(best, n / ((performance.now() - t) / 1e3));
  }
  return best;
}

function flat(x: unknown): MathNode[] {
  return Array.isArray(x) ? x.flatMap(flat) : [x as MathNode];
}

/** The same entries evaluated by mathjs with a full scope. */
function mathjsObject(trees: MathNode[], d: Derivation): ObjFn {
  const compiled = trees.map((t) => mathjsCompile(t.toString()));
  const scope: Record<string, unknown> = { ...d.family.constants };
  for (const k of Object.keys(SPECIAL)) scope[k] = SPECIAL[k];
  return (theta, out) => {
    d.params.forEach((p, i) => (scope[p] = theta[i]));
    for (let k = 0; k < compiled.length; k++) out[k] = compiled[k].evaluate(scope) as number;
    return out;
  };
}

/** Hand-written gamma Christoffel symbols Γ^k_ij (shape α, rate β), for the hand/generated ratio. */
function gammaChristoffelByHand(theta: Float64Array, out: Float64Array): Float64Array {
  const a = theta[0];
  const b = theta[1];
  const t1 = SPECIAL.trigamma(a);
  const p2 = psi2(a);
  const den = a * t1 - 1;
  out[0] = (a * p2) / (2 * den);
  out[1] = out[2] = 1 / (2 * b * den);
  out[3] = -a / (2 * b * b * den);
  out[4] = (b * p2) / (2 * den);
  out[5] = out[6] = t1 / (2 * den);
  out[7] = (1 - 2 * a * t1) / (2 * b * den);
  return out;
}

const POINTS: Record<string, number[]> = {
  gamma: [2.3, 0.7],
  beta: [0.7, 3.2],
  normal: [0.3, 1.7],
  mvnormal2: [0.3, -0.4, 1.7, 0.3, 1.2],
};

const results: Record<string, unknown> = {};
for (const name of Object.keys(POINTS)) {
  const spec = loadFamily(name);
  const t0 = performance.now();
  const d = deriveFamily(spec);
  const tDerive = performance.now() - t0;
  const t1 = performance.now();
  const c = compileFamily(d);
  const tCompile = performance.now() - t1;
  const theta = Float64Array.from(POINTS[name]);
  const n = d.dim;
  const entry: Record<string, unknown> = { deriveMs: +tDerive.toFixed(1), derivationMillisField: +d.millis.toFixed(1), compileMs: +tCompile.toFixed(1), methods: c.methods };
  const objects: [string, MathNode[], ObjFn, number][] = [
    ['fisher', flat(d.fisher), c.fisher as ObjFn, n * n],
    [
      d.christoffel ? 'christoffel' : 'christoffel (mathjs: first kind only; compiled: first kind + LU)',
      flat(d.christoffel ?? d.christoffelFirst),
      c.christoffel as ObjFn,
      n * n * n,
    ],
  ];
  for (const [label, trees, fn, m] of objects) {
    const ref = mathjsObject(trees, d);
    // Same values first (sanity), then speed.
    const a = fn(theta, new Float64Array(m));
    const b = ref(theta, new Float64Array(m));
    const key = label.startsWith('christoffel') && !d.christoffel ? 'christoffelFirst' : label;
    const check = key === 'christoffelFirst' ? c.christoffelFirst(theta) : a;
    const maxRel = Math.max(...Array.from(check, (v, i) => Math.abs(v - b[i]) / Math.max(Math.abs(b[i]), 1e-300)));
    const bundle = compileExprs(trees, { theta: d.params }, d.family.constants);
    const compiledRate = rate(fn, theta, m);
    const mathjsRate = rate(ref, theta, m, 150);
    entry[label] = {
      entries: m,
      compiledEvalsPerSec: Math.round(compiledRate),
      mathjsEvalsPerSec: Math.round(mathjsRate),
      ratio: +(compiledRate / mathjsRate).toFixed(1),
      maxRelDiffVsMathjs: maxRel,
      opsAfterCse: bundle.ops,
      opsInTrees: bundle.treeOps,
    };
  }
  if (name === 'gamma') {
    const h = gammaChristoffelByHand(theta, new Float64Array(8));
    const g = c.christoffel(theta);
    const handRate = rate(gammaChristoffelByHand, theta, 8);
    const genRate = rate(c.christoffel as ObjFn, theta, 8);
    entry.christoffelHandWritten = {
      handEvalsPerSec: Math.round(handRate),
      generatedEvalsPerSec: Math.round(genRate),
      handOverGenerated: +(handRate / genRate).toFixed(2),
      maxRelDiff: Math.max(...Array.from(h, (v, i) => Math.abs(v - g[i]) / Math.abs(v))),
    };
  }
  results[name] = entry;
}
// Derivation and compilation time of every built-in family (first call in this process; deriveFamily
// caches, so the four families above keep their first timing).
const pipeline: Record<string, { deriveMs: number; compileMs: number }> = {};
for (const name of listFamilies()) {
  const first = results[name] as { deriveMs: number; compileMs: number } | undefined;
  if (first) {
    pipeline[name] = { deriveMs: first.deriveMs, compileMs: first.compileMs };
    continue;
  }
  const spec = loadFamily(name);
  const t0 = performance.now();
  const d = deriveFamily(spec);
  const t1 = performance.now();
  compileFamily(d);
  pipeline[name] = { deriveMs: +(t1 - t0).toFixed(1), compileMs: +(performance.now() - t1).toFixed(1) };
}
console.log(JSON.stringify({ bench: 'compile', node: process.version, results, pipeline }));
