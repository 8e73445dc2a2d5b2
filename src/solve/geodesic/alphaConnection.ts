/**
 * The α-connection of a family as a {@link Metric} whose `christoffel` is Γ^(α)k_ij
 * (Γ^(α)_ij,k = Γ^(0)_ij,k − (α/2) T_ijk, raised with g; index [k][i][j]). Passing it to expMap /
 * logMap / parallelTransport gives α-geodesics, their log map and α-parallel transport with the same
 * integrators as the Levi-Civita (α = 0) case. α = +1 is the exponential (e-) connection, flat in the
 * natural parameters of an exponential family; α = −1 the mixture (m-) connection, flat in the
 * expectation parameters. The metric itself (`fisher`) is unchanged: lengths and norms stay Fisher's.
 */
import type { CompiledFamily, Metric } from '../../core/types.js';

/** What the α-connection needs from a family (a CompiledFamily has it). */
export type AlphaFamily = Metric & Pick<CompiledFamily, 'alphaChristoffel'>;

export function alphaConnection(family: AlphaFamily, alpha: number): Metric {
  if (!Number.isFinite(alpha)) throw new RangeError('alpha must be a finite number');
  if (alpha === 0) return family;
  return {
    dim: family.dim,
    fisher: (theta, out) => family.fisher(theta, out),
    christoffel: (theta, out) => family.alphaChristoffel(alpha, theta, out),
    checkPoint: (theta) => family.checkPoint(theta),
    conservesSpeed: false,
  };
}
