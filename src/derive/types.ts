/**
 * Output of the derive stage: immutable symbolic objects over mathjs trees.
 *
 * Index conventions (same as src/core/types.ts): fisher[i][j] = g_ij; dFisher[k][i][j] = ∂_k g_ij;
 * d2Fisher[k][m][i][j] = ∂_k ∂_m g_ij; christoffelFirst[i][j][k] = Γ_ij,k; christoffel[k][i][j] = Γ^k_ij;
 * amariChentsov[i][j][k] = T_ijk = E[∂_i l ∂_j l ∂_k l].
 *
 * Deferred expectations: an entry that has no closed form contains the internal node
 * `expect(f)` (a FunctionNode named `expect`, one argument f depending on the data variables and θ),
 * meaning E_θ[f(x; θ)] = ∫ f p dx (or Σ). User files can never contain `expect`; the compile stage
 * evaluates it by quadrature/summation over the family's support, split at its breakpoints.
 */
import type { Expr, FamilySpec } from '../declare/types.js';
import type { NormalizerDerivation } from './normalizer.js';

/** How an object was obtained, for reports and the CLI (`methods`). */
export type Route =
  | 'declared'          // closed form written in the family file (fisher: block), verified by tests
  | 'exponential-family' // g = ∇²A − Σ_a ∇²η_a E[T_a] and the like
  | 'finite-sum'        // exact symbolic sum over a finite support
  | 'moments'           // expand, split into θ-part × x-feature, moments table
  | 'quadrature'        // deferred expect(...) nodes evaluated numerically
  | 'finite-difference'; // derivatives of a quadrature metric of a non-smooth family

/** One step of a derivation, for the LaTeX/HTML report. */
export interface Step {
  readonly title: string;
  /** Free text (may contain inline TeX between $...$). */
  readonly text?: string;
  /** Labelled equations: lhs TeX and the symbolic rhs. */
  readonly equations?: readonly { readonly lhs: string; readonly rhs: Expr | Expr[] | Expr[][] }[];
}

export interface Derivation {
  readonly family: FamilySpec;
  readonly dim: number;
  /** Parameter names in contract order. */
  readonly params: readonly string[];
  readonly logDensity: Expr;
  /** ∂_i l, depends on x and θ. */
  readonly score: readonly Expr[];
  /** ∂_i ∂_j l (full symmetric matrix; shared nodes allowed). */
  readonly hessian: readonly (readonly Expr[])[];
  /** true when l contains abs/sign: the Hessian form of the Fisher metric is invalid. */
  readonly nonSmooth: boolean;
  readonly fisher: readonly (readonly Expr[])[];
  /** null for non-smooth quadrature families (compile differentiates numerically). */
  readonly dFisher: readonly (readonly (readonly Expr[])[])[] | null;
  readonly d2Fisher: readonly (readonly (readonly (readonly Expr[])[])[])[] | null;
  readonly christoffelFirst: readonly (readonly (readonly Expr[])[])[] | null;
  /** Symbolic second kind where the symbolic inverse is affordable (dim ≤ 3), else null. */
  readonly christoffel: readonly (readonly (readonly Expr[])[])[] | null;
  readonly amariChentsov: readonly (readonly (readonly Expr[])[])[] | null;
  /** Symbolic scalar curvature where affordable (dim ≤ 2 and closed-form metric), else null. */
  readonly scalarCurvature: Expr | null;
  /**
   * Exact KL(p_from ‖ p_to) in closed form, or null (compile falls back to quadrature of E_from[l_from − l_to]).
   * Symbols: the parameter names stand for `from`, `toSymbols[i]` for the i-th parameter of `to`.
   */
  readonly kl: { readonly expr: Expr; readonly toSymbols: readonly string[] } | null;
  /** Series behind the symbols of a declared `normalizer:` (log Z and its derivatives), or null. */
  readonly normalizer?: NormalizerDerivation | null;
  /**
   * Quantities whose symbolic form the algebra could not reduce and that were recognised as a constant by
   * evaluation at random domain points (see curvature.ts `identifyConstant`): the constant, the number of points
   * and the largest deviation seen. Reports must present these as numerically identified, not as exact algebra.
   */
  readonly identified?: Readonly<Record<string, { readonly value: number; readonly points: number; readonly maxDeviation: number }>>;
  /** Which route produced each object: keys 'fisher', 'christoffel', 'curvature', 'amariChentsov', 'kl'. */
  readonly routes: Readonly<Record<string, Route>>;
  readonly steps: readonly Step[];
  /** Milliseconds spent deriving (for benchmarks). */
  readonly millis: number;
}
