/**
 * Property-based fuzz of the declare → derive → compile pipeline over random whitelisted
 * expressions of the parameters (mu, sigma) and the data variable x (depth ≤ 8, every whitelisted
 * function, random constants). Each family either
 *  - derives completely (deriveFamilyWith: score, Hessian, Fisher metric by quadrature, its
 *    derivatives, Amari–Chentsov tensor, KL) and its compiled score and Hessian entries agree with
 *    central finite differences of the compiled log-density wherever those are finite and
 *    self-consistent (h and h/2 agree), or
 *  - fails with a FamilyError (exit 2 in the CLI) or an UnsupportedError,
 * never with a RangeError, any other error, a hang or an out-of-memory abort (the derivation budgets
 * of src/derive/budget.ts bound time and size). Seeded, with a bounded number of runs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FamilyError, UnsupportedError } from '../../src/core/errors.js';
import { FUNCTIONS } from '../../src/core/functions.js';
import { parseFamily } from '../../src/declare/parseFamily.js';
import { deriveFamilyWith } from '../../src/derive/deriveFamily.js';
import { compileExprs } from '../../src/compile/compileExprs.js';
import type { Derivation } from '../../src/derive/types.js';

const ONE_ARG = [...FUNCTIONS.values()].filter((f) => f.arity === 1).map((f) => f.name);

/** Random expression text of depth ≤ d over mu, sigma, x and constants. */
function exprArb(d: number): fc.Arbitrary<string> {
  const constant = fc.oneof(
    fc.integer({ min: 0, max: 5 }).map(String),
    fc.double({ min: 0.01, max: 4, noNaN: true, noDefaultInfinity: true }).map((v) => v.toPrecision(4)),
    fc.constantFrom('pi', 'e'),
  );
  const leaf = fc.oneof({ weight: 3, arbitrary: fc.constantFrom('mu', 'sigma', 'x') }, { weight: 1, arbitrary: constant });
  if (d <= 1) return leaf;
  const sub = exprArb(d - 1);
  return fc.oneof(
    { weight: 2, arbitrary: leaf },
    { weight: 3, arbitrary: fc.tuple(sub, fc.constantFrom('+', '-', '*', '/'), sub).map(([a, o, b]) => `(${a}) ${o} (${b})`) },
    { weight: 1, arbitrary: fc.tuple(sub, fc.integer({ min: -3, max: 4 })).map(([a, k]) => `(${a})^(${k})`) },
    { weight: 1, arbitrary: fc.tuple(sub, sub).map(([a, b]) => `(${a})^(${b})`) },
    { weight: 1, arbitrary: sub.map((a) => `-(${a})`) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...ONE_ARG), sub).map(([f, a]) => `${f}(${a})`) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 3 }), sub).map(([n, a]) => `polygamma(${n}, ${a})`) },
  );
}

function familyText(extra: string): string {
  return [
    'name: fuzz',
    'title: fuzz family',
    'params:',
    "  - { name: mu, domain: real, tex: '\\mu' }",
    "  - { name: sigma, domain: positive, tex: '\\sigma' }",
    'variables: [x]',
    'support: real',
    `logDensity: "-log(sigma) - (x - mu)^2/(2*sigma^2) + ${extra.replace(/"/g, '')}"`,
  ].join('\n');
}

const nestedLog = (depth: number) => Array.from({ length: depth }).reduce<string>((e) => `log(1 + ${e})`, 'sigma');
const product = (k: number) => ['sigma', ...Array.from({ length: k - 1 }, (_, i) => `(sigma + ${i + 1})`)].join('*');

/** Hand-picked cases run before the random ones: non-finite constants, the explosive shapes, a budget overflow. */
const EXAMPLES: [string, number][] = [
  ['0*(0/0)', 1], // refused: constant NaN
  ['mu*log(0)', 2], // refused: constant −Infinity
  ['(1/0)*0', 3], // refused: constant Infinity
  [Array.from({ length: 200 }, () => 'sigma').join(' + '), 4], // refused: 200 terms > 150
  [`0.001*${nestedLog(30)}`, 5], // derives (DAG stays small)
  [`0.001*log(${product(40)})`, 6], // derives
];

type Outcome = { kind: 'derived'; d: Derivation } | { kind: 'refused'; err: Error };

function run(text: string): Outcome {
  try {
    const spec = parseFamily(text, 'fuzz.yaml');
    return { kind: 'derived', d: deriveFamilyWith(spec) };
  } catch (err) {
    if (err instanceof FamilyError || err instanceof UnsupportedError) return { kind: 'refused', err };
    throw err; // RangeError, TypeError, plain Error: a defect
  }
}

/** Central difference of f at t along coordinate k with step h. */
function cd(f: (t: number[]) => number, t: number[], k: number, h: number): number {
  const a = t.slice();
  const b = t.slice();
  a[k] += h;
  b[k] -= h;
  return (f(a) - f(b)) / (2 * h);
}

/** Second central difference ∂_i∂_j f. */
function cd2(f: (t: number[]) => number, t: number[], i: number, j: number, h: number): number {
  return cd((u) => cd(f, u, j, h), t, i, h);
}

function close(a: number, b: number, tol: number): boolean {
  return Math.abs(a - b) <= tol * (1 + Math.abs(a) + Math.abs(b));
}

/** Checks score and Hessian of a derivation against finite differences at a few points; returns how many entries were compared. */
function checkAgainstFd(d: Derivation, seed: number): number {
  const inputs = { theta: d.params, x: d.family.variables };
  const ld = compileExprs([d.logDensity], inputs, d.family.constants);
  const sc = compileExprs(d.score, inputs, d.family.constants);
  const he = compileExprs(d.hessian.flat(), inputs, d.family.constants);
  let r = seed >>> 0;
  const rnd = () => ((r = (Math.imul(r, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  let compared = 0;
  for (let p = 0; p < 3; p++) {
    const x = -2 + 4 * rnd();
    const t = [-1 + 2 * rnd(), 0.6 + 1.4 * rnd()];
    const f = (u: number[]) => ld.evaluate(x, u)[0];
    if (!Number.isFinite(f(t))) continue;
    const s = sc.evaluate(x, t);
    const H = he.evaluate(x, t);
    for (let i = 0; i < 2; i++) {
      const h = 1e-4 * Math.max(1, Math.abs(t[i]));
      const a = cd(f, t, i, h);
      const b = cd(f, t, i, h / 2);
      // only where the finite difference is reliable (finite, h and h/2 agree, values moderate)
      if (![a, b, s[i]].every(Number.isFinite) || !close(a, b, 1e-6) || Math.abs(a) > 1e6) continue;
      expect(close(s[i], b, 1e-5), `score ${i}: derived ${s[i]} vs FD ${b} at x=${x}, θ=${t}`).toBe(true);
      compared++;
    }
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++) {
        const h = 1e-3 * Math.max(1, Math.abs(t[i]), Math.abs(t[j]));
        const a = cd2(f, t, i, j, h);
        const b = cd2(f, t, i, j, h / 2);
        const v = H[i * 2 + j];
        if (![a, b, v].every(Number.isFinite) || !close(a, b, 1e-4) || Math.abs(a) > 1e5) continue;
        expect(close(v, b, 1e-3), `Hessian ${i},${j}: derived ${v} vs FD ${b} at x=${x}, θ=${t}`).toBe(true);
        compared++;
      }
  }
  return compared;
}

describe('fuzz: random whitelisted expressions derive correctly or are refused cleanly', () => {
  it('score and Hessian agree with finite differences of the compiled log-density, or a FamilyError/UnsupportedError', () => {
    const stats = { derived: 0, refused: 0, compared: 0 };
    fc.assert(
      fc.property(exprArb(8), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (extra, seed) => {
        const out = run(familyText(extra));
        if (out.kind === 'refused') {
          stats.refused++;
          expect(out.err.message.length).toBeGreaterThan(0);
          return;
        }
        stats.derived++;
        stats.compared += checkAgainstFd(out.d, seed);
      }),
      { seed: 20261126, numRuns: 20, endOnFailure: true, examples: EXAMPLES },
    );
    // the property must actually exercise both branches and compare numbers
    expect(stats.derived).toBeGreaterThan(10);
    expect(stats.refused).toBeGreaterThanOrEqual(4);
    expect(stats.compared).toBeGreaterThan(50);
  }, 60_000);
});
