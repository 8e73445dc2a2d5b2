/**
 * Cheap numeric guards every verb runs at the parameter points it is given, before it reports any
 * geometry (the CLI caches the results per family file and point, src/cli/family.ts):
 *  - normalisation: ∫ p dx (Σ p) at θ must equal 1 within {@link NORMALIZATION_TOL}; a density that
 *    lost a normalising term (e.g. −log s) otherwise yields a wrong metric without any warning; and
 *    ∫p must be 1 at a nearby point too (first-order normalisation, catching a missing factor equal
 *    to 1 at θ; `check` tests E[∂_i l] = 0 instead);
 *  - identifiability: the Fisher metric at θ must not be singular or near-singular (smallest
 *    eigenvalue of the correlation form D^{-1/2} g D^{-1/2} below {@link SINGULAR_TOL}); the null
 *    direction is named in parameter names (e.g. "mu1 − mu2").
 * Both return a problem text or null; they never throw on numeric trouble.
 */
import { OperatorNode } from '../core/mathjs.js';
import type { MathNode } from 'mathjs';
import { symmetricEigen } from '../core/linalg.js';
import { checkPoint } from '../declare/checkPoint.js';
import type { Derivation } from '../derive/types.js';
import { compileExprs } from './compileExprs.js';
import { expectationEngine, logDensitySampler, logNormaliser } from './expectation.js';
import { normalizerEvaluator } from './normalizer.js';
import type { ExpectationEngine, SupportInfo } from './expectation.js';

/** |∫p − 1| allowed at a requested point. */
export const NORMALIZATION_TOL = 1e-8;
/** Smallest eigenvalue of the metric's correlation form below which it counts as singular. */
export const SINGULAR_TOL = 1e-10;

interface NormTools {
  readonly info: SupportInfo;
  readonly lSample: (theta: ArrayLike<number>) => (x: number | Float64Array) => number;
  /** θ followed by the values of a series normaliser's symbols (identity without one). */
  readonly aug: (theta: ArrayLike<number>) => ArrayLike<number>;
  /** Parameter names followed by the normaliser's symbol names. */
  readonly names: readonly string[];
  /** E[∂_i l] and E[(∂_i l)²], i = 1..n (built on first use). */
  scoreMoments?: ExpectationEngine;
}

const tools = new WeakMap<Derivation, NormTools>();

function normTools(d: Derivation): NormTools {
  let t = tools.get(d);
  if (!t) {
    const spec = d.family;
    const info: SupportInfo = {
      support: spec.support,
      variables: spec.variables,
      breakpoints: spec.breakpoints.length ? compileExprs(spec.breakpoints, { theta: d.params }, spec.constants).evaluate : null,
    };
    // A series normaliser's symbols (log Z, …) are extra inputs after θ, as in checkFamily.
    const norm = d.normalizer ? normalizerEvaluator(d.normalizer, d.params, spec.constants, 1e-13) : null;
    const names = norm ? [...d.params, ...norm.names] : d.params;
    const aug = (th: ArrayLike<number>): ArrayLike<number> => (norm ? norm.augment(th) : th);
    const lSampleP = logDensitySampler(d.logDensity, names, info, spec.constants);
    t = { info, lSample: (th) => lSampleP(aug(th)), aug, names };
    tools.set(d, t);
  }
  return t;
}

/** True for supports summed rather than integrated. */
export function isDiscreteSupport(d: Derivation): boolean {
  const k = d.family.support.kind;
  return k === 'nonnegint' || k === 'integers' || k === 'finite';
}

/** ∫ p dx (or Σ p) at θ by the same quadrature/summation the expectations use (NaN if it fails). */
export function normalizationAt(d: Derivation, theta: ArrayLike<number>, status?: { converged: boolean }): number {
  const t = normTools(d);
  return Math.exp(logNormaliser(t.info, t.lSample, theta, undefined, status));
}

/**
 * True when some parameter is so small or so large (|θ_i| outside [1e-30, 1e30]) that quadrature of
 * the density and the metric's entries may underflow or overflow: the guards then stay silent and the
 * verbs' own numeric checks (src/cli/outputCheck.ts) name the entry that failed, instead of a guard
 * blaming the family (normal at σ = 1e-150 is normalised; its quadrature just cannot resolve the peak).
 */
export function isExtremePoint(theta: ArrayLike<number>): boolean {
  for (let i = 0; i < theta.length; i++) {
    const a = Math.abs(theta[i]);
    if (a !== 0 && (a < 1e-30 || a > 1e30)) return true;
  }
  return false;
}

/** The normalisation problem at θ as one sentence, or null when |∫p − 1| ≤ NORMALIZATION_TOL. */
export function normalizationProblem(d: Derivation, theta: ArrayLike<number>, at: string): string | null {
  const status = { converged: true };
  const z = normalizationAt(d, theta, status);
  if (Math.abs(z - 1) <= NORMALIZATION_TOL) return null;
  // A quadrature that did not reach its tolerance cannot confirm a wrong normalisation (e.g. gamma
  // at α = 1e-9, all mass in [0, 1e-300]): leave it to the verb's own checks, unless the integral
  // blew up (a divergent integral: the non-regular case below).
  if (!status.converged && !(z > 1e6)) return null;
  const what = isDiscreteSupport(d) ? 'sum of the probabilities' : 'integral of the density';
  if (!Number.isFinite(z) || z > 1e6) {
    return (
      `the ${what} at ${at} ${Number.isFinite(z) ? `is ${z} (it diverges)` : `could not be computed (got ${z})`}: the log-density is not a normalised density on the ` +
      `declared support "${d.family.support.kind}" there. If the support of your distribution depends on a parameter ` +
      `(e.g. Pareto x > x_m), the family is non-regular: Fisher geometry needs a parameter-free support.`
    );
  }
  return (
    `the ${what} at ${at} is ${z}, not 1 (tolerance ${NORMALIZATION_TOL}): the log-density is not normalised ` +
    `(a missing normalising term such as −log(s)?), so its Fisher metric, connections and KL would be wrong.`
  );
}

/**
 * First-order normalisation: ∂_i ∫p = E[∂_i l] must vanish (the score has mean zero). A density
 * whose missing normalising factor happens to equal 1 at θ (logistic without −log s, at s = 1)
 * passes the ∫p = 1 test there but fails this one. Tolerance: |E[∂_i l]| ≤ 1e-8 · max(1, sd(∂_i l)).
 */
export function scoreMeanProblem(d: Derivation, theta: ArrayLike<number>, at: string): string | null {
  const t = normTools(d);
  const n = d.dim;
  if (!t.scoreMoments) {
    const sq = d.score.map((s) => new OperatorNode('*', 'multiply', [s, s]) as MathNode);
    t.scoreMoments = expectationEngine([...d.score, ...sq], d.logDensity, t.names, t.info, d.family.constants);
  }
  const m = t.scoreMoments.evaluate(t.aug(theta));
  for (let i = 0; i < n; i++) {
    const sd = Math.sqrt(Math.max(0, m[n + i] - m[i] * m[i]));
    if (!Number.isFinite(m[i])) return null; // the verb's own finiteness check names the quantity
    if (Math.abs(m[i]) > NORMALIZATION_TOL * Math.max(1, sd)) {
      return (
        `the score has mean E[∂l/∂${d.params[i]}] = ${m[i]} at ${at}, not 0 (tolerance ${NORMALIZATION_TOL}·max(1, sd)): ` +
        `∫p = 1 holds at this point but not nearby, so the log-density is not normalised for all parameter values ` +
        `(a missing normalising term that depends on ${d.params[i]}?), and its Fisher metric would be wrong.`
      );
    }
  }
  return null;
}

/** Coefficients of the fixed generic direction used by {@link nearbyNormalizationProblem}. */
const DIRECTION = [1, -0.618, 0.414, -0.732, 0.236, -0.854, 0.529, -0.301];

/**
 * Cheap first-order normalisation test for the verbs: ∫p must also be 1 at a nearby point
 * θ ± h v (v a fixed generic direction, h = 1e-3 relative), which catches a missing normalising
 * factor that happens to equal 1 at θ at the cost of one more quadrature (E[∂l] per parameter, as
 * in {@link scoreMeanProblem}, costs a vector quadrature: seconds for two data variables).
 */
export function nearbyNormalizationProblem(d: Derivation, theta: ArrayLike<number>, at: string): string | null {
  for (const sign of [1, -1]) {
    const t = Array.from(theta, (v, i) => v + sign * 1e-3 * Math.max(Math.abs(v), 0.1) * DIRECTION[i % DIRECTION.length]);
    if (checkPoint(d.family, t) !== null) continue;
    const status = { converged: true };
    const z = normalizationAt(d, t, status);
    if (Math.abs(z - 1) <= NORMALIZATION_TOL || !Number.isFinite(z) || !status.converged) return null;
    const near = d.params.map((p, i) => `${p}=${t[i]}`).join(', ');
    const what = isDiscreteSupport(d) ? 'sum of the probabilities' : 'integral of the density';
    return (
      `the ${what} is 1 at ${at} but ${z} at the nearby point ${near}: the log-density is not normalised for all ` +
      `parameter values (a missing normalising term that equals 1 at ${at}?), so its Fisher metric would be wrong.`
    );
  }
  return null;
}

/** A direction vector in parameter names: the largest coefficient ±1, the first positive, e.g. "mu1 − mu2". */
export function formatDirection(v: ArrayLike<number>, names: readonly string[]): string {
  // Largest coefficient ±1, first non-negligible coefficient positive.
  let big = 0;
  for (let i = 0; i < v.length; i++) big = Math.max(big, Math.abs(v[i]));
  for (let i = 0; i < v.length; i++) {
    if (Math.abs(v[i]) >= 1e-6 * big) {
      if (v[i] < 0) big = -big;
      break;
    }
  }
  const parts: string[] = [];
  for (let i = 0; i < v.length; i++) {
    const c = v[i] / big;
    if (!(Math.abs(c) >= 1e-6)) continue;
    const mag = Math.abs(c);
    const coef = Math.abs(mag - 1) < 1e-6 ? '' : `${Number(mag.toPrecision(4))}*`;
    const sign = c < 0 ? '−' : '+';
    parts.push(parts.length === 0 ? `${c < 0 ? '−' : ''}${coef}${names[i]}` : `${sign} ${coef}${names[i]}`);
  }
  return parts.join(' ');
}

/**
 * The identifiability problem of a metric g (row-major n×n) as one sentence naming the null
 * direction, or null when g is comfortably positive definite.
 */
export function singularMetricProblem(g: ArrayLike<number>, names: readonly string[], at: string): string | null {
  const n = names.length;
  for (let i = 0; i < n * n; i++) if (!Number.isFinite(g[i])) return null; // reported by the verb itself
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const gii = g[i * n + i];
    // Scale-free: only g_ii ≤ 0 is singular here (g_ii may be tiny next to another g_jj, e.g. gamma at α = 1e-9).
    if (!(gii > 0)) {
      return `the Fisher metric at ${at} is singular along ${names[i]} (g_${names[i]},${names[i]} = ${gii}): the density does not depend on ${names[i]} there, so the family is not identifiable and its geometry is undefined.`;
    }
    s[i] = Math.sqrt(gii);
  }
  if (n === 1) return null;
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) c[i * n + j] = g[i * n + j] / (s[i] * s[j]);
  const eig = symmetricEigen(c, n);
  const lmin = eig.values[0];
  if (lmin > SINGULAR_TOL) return null;
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = eig.vectors[i * n] / s[i];
  const kind = lmin <= 1e-14 * n ? 'singular' : `near-singular (smallest eigenvalue of its correlation form ${lmin.toExponential(2)})`;
  return (
    `the Fisher metric at ${at} is ${kind} along ${formatDirection(v, names)}: the density (nearly) does not change ` +
    `in that direction, so the parameters are not identifiable there and geodesics, connections and curvature are undefined.`
  );
}
