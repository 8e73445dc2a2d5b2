/**
 * The one output check every verb runs before printing (issue 10: "every printed number checked"):
 *
 *  - {@link checkOutput} walks the result object (the JSON a verb prints, also used for its text form) and
 *    rejects any non-finite number (NaN would print as `null`) with a NumericError naming the quantity by
 *    its path, e.g. `ricci[sigma][mu] is not finite: NaN`;
 *  - {@link checkCancellation} re-evaluates the derivation's closed forms of a quantity at the point with a
 *    running forward-error bound (src/core/evaluate.ts `evaluateWithError`) and rejects an entry whose
 *    estimated relative error exceeds {@link CANCELLATION_TOLERANCE}: catastrophic cancellation is an
 *    error naming the entry, never a wrong digit string.
 *
 * NumericError exits with status 1 (src/cli/main.ts), like ConvergenceError.
 */
import { NumericError } from '../core/errors.js';
import { evaluateWithError } from '../core/evaluate.js';
import { cholesky } from '../core/linalg.js';
import type { Expr } from '../declare/types.js';
import type { LoadedFamily } from './family.js';

/** Largest accepted estimated relative error of a printed closed-form value. */
export const CANCELLATION_TOLERANCE = 1e-6;

function isTypedArray(v: unknown): v is Float64Array | Float32Array {
  return v instanceof Float64Array || v instanceof Float32Array;
}

/**
 * Throws a NumericError naming the first non-finite number in `result` (numbers, arrays, typed arrays,
 * plain objects). Index segments of arrays as long as `result.params` are printed with the parameter names.
 * @param what prefix of the message, e.g. `curvature of normal at mu=0, sigma=1e-150`.
 */
export function checkOutput(result: unknown, what: string): void {
  const params = (result as { params?: unknown } | null)?.params;
  const names = Array.isArray(params) && params.every((s) => typeof s === 'string') ? (params as string[]) : null;
  const label = (i: number, len: number) => (names && len === names.length ? names[i] : String(i));
  const visit = (v: unknown, path: string, depth: number): void => {
    if (depth > 64) return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new NumericError(`${what}: ${path || 'result'} is not finite: ${String(v)}`);
      return;
    }
    if (Array.isArray(v) || isTypedArray(v)) {
      const a = v as ArrayLike<unknown>;
      for (let i = 0; i < a.length; i++) visit(a[i], `${path}[${label(i, a.length)}]`, depth + 1);
      return;
    }
    if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) visit(x, path ? `${path}.${k}` : k, depth + 1);
    }
  };
  visit(result, '', 0);
}

/** `name=value, …` of a point, for messages. */
export function pointText(names: readonly string[], theta: ArrayLike<number>): string {
  return names.map((n, i) => `${n}=${theta[i]}`).join(', ');
}

type Nested = Expr | null | readonly Nested[];

/**
 * Re-evaluates the closed-form entries of `quantity` with forward-error analysis and throws a NumericError
 * naming the first entry whose estimated relative error exceeds {@link CANCELLATION_TOLERANCE}
 * (a computed exact zero counts when its error bound is not zero). Entries with a deferred expectation
 * (quadrature) are skipped: their accuracy is the quadrature's, checked by {@link checkOutput} for finiteness.
 * @param extra additional scope entries (e.g. the `to` symbols of the KL expression).
 */
export function checkCancellation(
  fam: LoadedFamily,
  quantity: string,
  trees: Nested,
  theta: ArrayLike<number>,
  extra: Readonly<Record<string, number>> = {},
): void {
  if (!trees) return;
  const names = fam.compiled.paramNames;
  const scope = new Map<string, number>(Object.entries(fam.spec.constants));
  names.forEach((n, i) => scope.set(n, theta[i]));
  for (const [k, v] of Object.entries(extra)) scope.set(k, v);
  const dim = names.length;
  const walk = (t: Nested, path: string): void => {
    if (!t) return;
    if (Array.isArray(t)) {
      (t as readonly Nested[]).forEach((x, i) => walk(x, `${path}[${t.length === dim ? names[i] : i}]`));
      return;
    }
    let r;
    try {
      r = evaluateWithError(t as Expr, scope);
    } catch {
      // expect(·) (quadrature) or symbols the pointwise interpreter cannot evaluate (e.g. a series
      // normaliser log Z): not a plain closed form; its finiteness is still checked by checkOutput
      return;
    }
    const { value, error } = r;
    if (!Number.isFinite(value)) throw new NumericError(`${path} of ${fam.spec.name} is not finite at ${pointText(names, theta)}: ${String(value)}`);
    if (!(error < Infinity)) {
      throw new NumericError(`${path} of ${fam.spec.name} cannot be computed in double precision at ${pointText(names, theta)}: an intermediate result overflows (computed ${value})`);
    }
    if (Math.abs(value) < 2 ** -1022 && error > CANCELLATION_TOLERANCE * Math.abs(value) && error < 2 ** -1000) {
      throw new NumericError(`${path} of ${fam.spec.name} underflows at ${pointText(names, theta)} (computed ${value}): the value is below the double-precision range`);
    }
    if (!(error <= CANCELLATION_TOLERANCE * Math.abs(value))) {
      throw new NumericError(
        `${path} of ${fam.spec.name} lost its significant digits to cancellation at ${pointText(names, theta)} ` +
          `(computed ${value}, estimated rounding error ${error.toExponential(1)}); no accurate formula is available at this point`,
      );
    }
  };
  walk(trees, quantity);
}

/**
 * Christoffel symbols and curvature need g⁻¹: throws a NumericError when the Fisher metric at θ is not
 * (numerically) positive definite, instead of printing zeros or overflowed values.
 */
export function checkMetricInvertible(fam: LoadedFamily, theta: ArrayLike<number>, quantity: string): void {
  const c = fam.compiled;
  const g = c.fisher(theta);
  const n = c.dim;
  let bad = !cholesky(g, n);
  for (let i = 0; i < n && !bad; i++) bad = !(g[i * n + i] > 0) || !Number.isFinite(1 / g[i * n + i]);
  if (bad) {
    throw new NumericError(
      `${quantity} of ${fam.spec.name} is undefined at ${pointText(c.paramNames, theta)}: the Fisher metric there is not finite and positive definite ` +
        `in double precision (diagonal ${Array.from({ length: n }, (_, i) => g[i * n + i]).join(', ')}), so g⁻¹ does not exist`,
    );
  }
}
