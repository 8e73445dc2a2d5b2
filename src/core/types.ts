/**
 * Shared numeric interfaces. Conventions (see docs/conventions.md):
 *  - matrices are row-major Float64Array of length n*n: M[i][j] = m[i*n + j];
 *  - rank-3 tensors are Float64Array of length n^3: T[a][b][c] = t[(a*n + b)*n + c];
 *  - Christoffel symbols of the second kind: christoffel[k][i][j] = Γ^k_ij;
 *  - Christoffel symbols of the first kind: christoffelFirst[i][j][k] = Γ_ij,k = ½(∂_i g_jk + ∂_j g_ik − ∂_k g_ij);
 *  - metric derivative dFisher[k][i][j] = ∂_k g_ij;
 *  - Amari–Chentsov tensor T[i][j][k] = E[∂_i l ∂_j l ∂_k l];
 *  - Riemann tensor riemann[a][b][c][d] = R^a_bcd with R^a_bcd = ∂_c Γ^a_db − ∂_d Γ^a_cb + Γ^a_ce Γ^e_db − Γ^a_de Γ^e_cb;
 *    Ricci R_bd = R^a_bad; scalar R = g^{bd} R_bd (round sphere positive; normal(mu,sigma) gives −1).
 */

export type Vec = Float64Array;
export type Mat = Float64Array;
export type Tensor3 = Float64Array;

/** A data point: a number for scalar data, an array for vector data (dirichlet3, mvnormal2). */
export type DataPoint = number | ArrayLike<number>;

/** A Riemannian metric on an open set of R^dim (what geodesic solvers need). */
export interface Metric {
  readonly dim: number;
  /** g(θ), row-major dim×dim. */
  fisher(theta: ArrayLike<number>, out?: Mat): Mat;
  /** Γ^k_ij at θ, index [k][i][j]. */
  christoffel(theta: ArrayLike<number>, out?: Tensor3): Tensor3;
  /** null when θ is inside the parameter domain, else a message naming the violated condition. */
  checkPoint(theta: ArrayLike<number>): string | null;
  /**
   * false when `christoffel` is not the Levi-Civita connection of `fisher` (e.g. an α-connection, α ≠ 0):
   * its geodesics do not conserve the speed ‖θ'‖_g (the exp map's boundary detection uses that invariant).
   */
  readonly conservesSpeed?: boolean;
}

/** Numeric closures for one family, produced by the compile stage. */
export interface CompiledFamily extends Metric {
  /**
   * Where and why the most recent quadrature or series behind any of these closures failed (the
   * closures return NaN instead of throwing): object, entry, θ, integrand, position and reason.
   * null when none has failed.
   */
  lastFailure?(): string | null;
  readonly name: string;
  readonly paramNames: readonly string[];
  /** Names of the data variables (['x'] or ['x1','x2']). */
  readonly variables: readonly string[];
  /** How each geometric object is obtained: 'closed-form' (compiled symbolic) or 'quadrature' etc. */
  readonly methods: Readonly<Record<string, string>>;
  /** log p(x; θ). */
  logDensity(x: DataPoint, theta: ArrayLike<number>): number;
  /** ∇_θ log p(x; θ). */
  score(x: DataPoint, theta: ArrayLike<number>, out?: Vec): Vec;
  /**
   * Precompute-then-close: evaluates everything in log p that does not depend on x once for θ and
   * returns x ↦ log p(x; θ) (for loops over data at a fixed θ). Optional (compile stage provides it).
   */
  logDensityFactory?(theta: ArrayLike<number>): (x: DataPoint) => number;
  /** Like {@link logDensityFactory} for the score: returns (x, out?) ↦ ∇_θ log p(x; θ). */
  scoreFactory?(theta: ArrayLike<number>): (x: DataPoint, out?: Vec) => Vec;
  /** ∂_k g_ij, index [k][i][j]. */
  dFisher(theta: ArrayLike<number>, out?: Tensor3): Tensor3;
  /** Γ_ij,k (first kind), index [i][j][k]. */
  christoffelFirst(theta: ArrayLike<number>, out?: Tensor3): Tensor3;
  /** Amari–Chentsov tensor E[∂_i l ∂_j l ∂_k l], index [i][j][k]. */
  amariChentsov(theta: ArrayLike<number>, out?: Tensor3): Tensor3;
  /** Γ^(α)k_ij (second kind, index [k][i][j]) of the α-connection. */
  alphaChristoffel(alpha: number, theta: ArrayLike<number>, out?: Tensor3): Tensor3;
  /** R^a_bcd, length dim^4, index [a][b][c][d]. */
  riemann(theta: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** Ricci tensor R_bd (row-major dim×dim). */
  ricci(theta: ArrayLike<number>, out?: Mat): Mat;
  /** Scalar curvature g^{bd} R_bd. */
  scalarCurvature(theta: ArrayLike<number>): number;
  /** KL(p_from ‖ p_to): exact closed form where derived, otherwise quadrature/summation. */
  kl(from: ArrayLike<number>, to: ArrayLike<number>): number;
  /** Generated JavaScript source of each compiled closure, for inspection. */
  readonly source: Readonly<Record<string, string>>;
}
