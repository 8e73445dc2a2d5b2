/**
 * Numeric self-check of a family (built-in or user file) at a few in-domain points:
 *  - normalisation: ∫ p dx (Σ p) = 1 within 1e-8;
 *  - exponential-family identity l = η·T − A + log h at sample data points, and E[T] by quadrature
 *    equal to the declared ET (when an `expfam` block exists);
 *  - Fisher metric symmetric, positive definite (Cholesky), and equal to quadrature of
 *    E[∂_i l ∂_j l] (relative to its largest entry, 1e-8).
 * Points: every parameter at its domain's midpoint (real 0.3, positive 1.7, unit 0.35) and a
 * second point (real −1.1, positive 0.8, unit 0.2); real and unit parameters are halved until the
 * constraints hold. Never throws on numeric trouble: a NaN is a failed check.
 */
import { OperatorNode } from '../core/mathjs.js';
import type { MathNode } from 'mathjs';
import { cholesky } from '../core/linalg.js';
import type { CompiledFamily } from '../core/types.js';
import type { Derivation } from '../derive/types.js';
import { normalizerEvaluator } from './normalizer.js';
import { compileExprs } from './compileExprs.js';
import type { DataBundle } from './compileExprs.js';
import { expectationEngine, logDensitySampler, logNormaliser } from './expectation.js';
import { scoreMeanProblem, singularMetricProblem } from './guards.js';
import type { SupportInfo } from './expectation.js';

export interface Check {
  readonly name: string;
  /** Parameter point, as `name=value` text. */
  readonly at: string;
  readonly ok: boolean;
  /** The measured discrepancy (or value). */
  readonly value: number;
  readonly tol: number;
  readonly detail: string;
}

const FIRST = { real: 0.3, positive: 1.7, unit: 0.35, circle: 0.3 } as const;
const SECOND = { real: -1.1, positive: 0.8, unit: 0.2, circle: -1.1 } as const;

/** The check points of a family (midpoints first), adjusted to satisfy the constraints. */
export function checkPoints(c: CompiledFamily, d: Derivation): number[][] {
  const pts: number[][] = [];
  for (const table of [FIRST, SECOND]) {
    const th = d.family.params.map((p) => table[p.domain]);
    for (let k = 0; k < 20 && c.checkPoint(th) !== null; k++) {
      d.family.params.forEach((p, i) => {
        if (p.domain !== 'positive') th[i] *= 0.5;
      });
    }
    if (c.checkPoint(th) === null) pts.push(th);
  }
  return pts;
}

/** Sample data points inside the support (numbers, or pairs for two variables). */
function dataPoints(d: Derivation): (number | number[])[] {
  const s = d.family.support;
  const two = d.family.variables.length === 2;
  switch (s.kind) {
    case 'real':
      return two ? [[0.1, -0.5], [1, 2], [-2.5, 0.3]] : [-1.3, 0.2, 2.1];
    case 'positive':
      return two ? [[0.3, 1.1], [2, 0.5]] : [0.3, 1.1, 3.7];
    case 'unit':
      return two ? [[0.2, 0.6], [0.7, 0.3]] : [0.15, 0.5, 0.8];
    case 'circle':
      return [-2, 0.5, 2.5];
    case 'nonnegint':
      return [0, 1, 3, 7];
    case 'integers':
      return [s.lo, Math.round((s.lo + s.hi) / 2), s.hi].filter(Number.isFinite);
    case 'finite':
      return [...s.values];
    case 'simplex':
      return [[0.2, 0.3], [0.5, 0.1], [0.1, 0.8]];
  }
}

function fmtPoint(names: readonly string[], th: readonly number[]): string {
  return names.map((n, i) => `${n}=${th[i]}`).join(', ');
}

/** Runs every check (at the given points, default {@link checkPoints}); see the module comment. */
export function checkFamily(d: Derivation, c: CompiledFamily, at?: readonly (readonly number[])[]): Check[] {
  const spec = d.family;
  const n = d.dim;
  const checks: Check[] = [];
  const info: SupportInfo = {
    support: spec.support,
    variables: spec.variables,
    breakpoints: spec.breakpoints.length ? compileExprs(spec.breakpoints, { theta: d.params }, spec.constants).evaluate : null,
  };
  // A series normaliser's symbols (log Z, …) are extra inputs after θ.
  const norm = d.normalizer ? normalizerEvaluator(d.normalizer, d.params, spec.constants, 1e-13) : null;
  const P = norm ? [...d.params, ...norm.names] : d.params;
  const aug = (th: ArrayLike<number>): ArrayLike<number> => (norm ? norm.augment(th) : th);
  const lSampleP = logDensitySampler(d.logDensity, P, info, spec.constants);
  const lSample = (th: ArrayLike<number>) => lSampleP(aug(th));
  const mul = (a: MathNode, b: MathNode): MathNode => new OperatorNode('*', 'multiply', [a, b]);
  const pairs: MathNode[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) pairs.push(mul(d.score[i], d.score[j]));
  const fisherQuad = expectationEngine(pairs, d.logDensity, P, info, spec.constants);
  const ef = spec.expfam;
  const etEngine = ef ? expectationEngine(ef.T, d.logDensity, P, info, spec.constants) : null;
  const etBundle = ef ? compileExprs(ef.ET, { theta: d.params }, spec.constants) : null;
  const identity = ef
    ? (() => {
        // l − (η·T − A + base) as one per-sample expression.
        let rhs: MathNode = new OperatorNode('-', 'unaryMinus', [ef.A]);
        ef.eta.forEach((eta, a) => (rhs = new OperatorNode('+', 'add', [rhs, mul(eta, ef.T[a])])));
        rhs = new OperatorNode('+', 'add', [rhs, ef.base]);
        return compileExprs([d.logDensity, rhs], { theta: P, x: spec.variables }, spec.constants) as DataBundle;
      })()
    : null;

  const points = at ? at.map((t) => [...t]) : checkPoints(c, d);
  if (points.length === 0) {
    checks.push({ name: 'check points', at: '-', ok: false, value: NaN, tol: 0, detail: 'no parameter point satisfies the domains and constraints' });
  }
  for (const th of points) {
    const at = fmtPoint(d.params, th);
    const logZ = logNormaliser(info, lSample, th);
    const z = Math.exp(logZ);
    checks.push({
      name: 'normalization',
      at,
      ok: Math.abs(z - 1) <= 1e-8,
      value: z,
      tol: 1e-8,
      detail: `${spec.support.kind === 'nonnegint' || spec.support.kind === 'integers' || spec.support.kind === 'finite' ? 'sum' : 'integral'} of the density = ${z} (expected 1)`,
    });
    const scoreMean = scoreMeanProblem(d, th, at);
    checks.push({ name: 'score mean zero', at, ok: scoreMean === null, value: scoreMean === null ? 0 : 1, tol: 0, detail: scoreMean ?? 'E[∂_i l] = 0 within 1e-8 (normalised near this point too)' });
    if (ef && identity && etEngine && etBundle) {
      let worst = 0;
      let where = '';
      for (const x of dataPoints(d)) {
        const v = identity.evaluate(x as number, aug(th));
        const diff = Math.abs(v[0] - v[1]) / (1 + Math.abs(v[0]));
        if (!(diff <= worst)) {
          worst = diff;
          where = `x=${JSON.stringify(x)}: l = ${v[0]}, η·T − A + log h = ${v[1]}`;
        }
      }
      checks.push({ name: 'expfam identity', at, ok: worst <= 1e-10, value: worst, tol: 1e-10, detail: worst <= 1e-10 ? 'l = η·T − A + log h at sample points' : where });
      const eq = etEngine.evaluate(aug(th));
      const ed = etBundle.evaluate(th);
      let rel = 0;
      let bad = '';
      for (let a = 0; a < ef.T.length; a++) {
        const r = Math.abs(eq[a] - ed[a]) / Math.max(1, Math.abs(eq[a]));
        if (!(r <= rel)) {
          rel = r;
          bad = `E[T_${a + 1}]: quadrature ${eq[a]}, declared ${ed[a]}`;
        }
      }
      checks.push({ name: 'expfam E[T]', at, ok: rel <= 1e-8, value: rel, tol: 1e-8, detail: rel <= 1e-8 ? 'declared ET equals quadrature of T' : bad });
    }
    const g = c.fisher(th);
    let gmax = 0;
    let asym = 0;
    for (let i = 0; i < n * n; i++) gmax = Math.max(gmax, Math.abs(g[i]));
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) asym = Math.max(asym, Math.abs(g[i * n + j] - g[j * n + i]));
    const symOk = asym <= 1e-12 * gmax && Number.isFinite(gmax);
    checks.push({ name: 'fisher symmetric', at, ok: symOk, value: asym, tol: 1e-12 * gmax, detail: symOk ? `max |g_ij − g_ji| = ${asym}` : `g is not symmetric (max |g_ij − g_ji| = ${asym})` });
    const pd = cholesky(g, n) !== false;
    const singular = singularMetricProblem(g, d.params, at);
    checks.push({ name: 'fisher positive definite', at, ok: pd, value: pd ? 1 : 0, tol: 0, detail: pd ? 'Cholesky factorization succeeded' : 'Cholesky factorization failed: g is not positive definite' });
    checks.push({ name: 'identifiable', at, ok: singular === null, value: singular === null ? 1 : 0, tol: 0, detail: singular ?? 'the Fisher metric is not (near-)singular' });
    const q = fisherQuad.evaluate(aug(th));
    let err = 0;
    let worstEntry = '';
    for (let i = 0; i < n * n; i++) {
      const e = Math.abs(g[i] - q[i]);
      if (!(e <= err)) {
        err = e;
        worstEntry = `g[${Math.floor(i / n)}][${i % n}] = ${g[i]}, quadrature E[∂l ∂l] = ${q[i]}`;
      }
    }
    const rel = err / Math.max(gmax, 1e-300);
    checks.push({ name: 'fisher = E[∂l ∂l]', at, ok: rel <= 1e-8, value: rel, tol: 1e-8, detail: rel <= 1e-8 ? `relative difference ${rel.toExponential(2)} (${c.methods.fisher})` : worstEntry });
  }
  return checks;
}
