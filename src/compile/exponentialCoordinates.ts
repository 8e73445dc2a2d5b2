/**
 * Compiled closures of a family's exponential-family block (`expfam` in the family file):
 *   natural parameters  ν(θ)  = eta(θ)        (the file's `eta`),
 *   expectation params  μ(θ)  = E_θ[T]         (the file's `ET`),
 *   log-partition       A(θ)                  (the file's `A`),
 * with their Jacobians ∂ν_a/∂θ_i and ∂μ_a/∂θ_i from the symbolic differentiator. Everything here is a
 * closed form of the file's declarations; the dual machinery (inverse maps, e/m-geodesics,
 * divergences) is in src/solve/dual.
 *
 * Only full (not curved) exponential families have dual coordinates: the number of natural
 * parameters must equal the number of parameters. Otherwise {@link compileExponentialCoordinates}
 * returns a reason instead.
 */
import type { MathNode } from 'mathjs';
import type { FamilySpec } from '../declare/types.js';
import { differentiate } from '../derive/differentiate.js';
import { simplify } from '../derive/simplify.js';
import { strip } from '../derive/build.js';
import { compileExprs, type ThetaFn } from './compileExprs.js';

export interface ExponentialCoordinates {
  readonly dim: number;
  /** ν(θ), length dim. */
  readonly natural: ThetaFn;
  /** μ(θ) = E_θ[T], length dim. */
  readonly expectation: ThetaFn;
  /** [A(θ)]. */
  readonly logPartition: ThetaFn;
  /** ∂ν_a/∂θ_i, row-major [a][i]. */
  readonly naturalJacobian: ThetaFn;
  /** ∂μ_a/∂θ_i, row-major [a][i]. */
  readonly expectationJacobian: ThetaFn;
}

/** The compiled exponential-family coordinates, or a sentence saying why the family has none. */
export function compileExponentialCoordinates(spec: FamilySpec): ExponentialCoordinates | string {
  const ef = spec.expfam;
  const names = spec.params.map((p) => p.name);
  const n = names.length;
  if (!ef) return `${spec.name} declares no exponential-family block (expfam: eta, T, A, ET), so it has no dual coordinates`;
  if (ef.eta.length !== n) {
    return `${spec.name} is a curved exponential family (${ef.eta.length} natural parameters for ${n} parameters): dual coordinates need as many natural parameters as parameters`;
  }
  const eta = ef.eta.map((e) => strip(e));
  const et = ef.ET.map((e) => strip(e));
  const jac = (rows: readonly MathNode[]): MathNode[] => rows.flatMap((r) => names.map((p) => simplify(differentiate(r, p))));
  const c = (exprs: readonly MathNode[]): ThetaFn => compileExprs(exprs, { theta: names }, spec.constants).evaluate;
  return {
    dim: n,
    natural: c(eta),
    expectation: c(et),
    logPartition: c([strip(ef.A)]),
    naturalJacobian: c(jac(eta)),
    expectationJacobian: c(jac(et)),
  };
}
