/**
 * The validated, parsed form of a family file (output of the declare stage; pure data).
 * All expressions are mathjs trees that passed the whitelist (see src/declare/whitelist.ts):
 * only ConstantNode (finite numbers), SymbolNode (declared names), OperatorNode
 * (+ − * / ^ unary ±), ParenthesisNode and FunctionNode over src/core/functions.ts.
 */
import type { MathNode } from 'mathjs';

export type Expr = MathNode;

/**
 * real: any finite number; positive: > 0; unit: open interval (0, 1); circle: an angle (any finite
 * number, identified modulo 2π: estimates are reduced to [−π, π) and compared modulo 2π).
 */
export type ParamDomain = 'real' | 'positive' | 'unit' | 'circle';

export interface ParamSpec {
  readonly name: string;
  readonly domain: ParamDomain;
  /** LaTeX for the symbol, e.g. `\alpha`. */
  readonly tex: string;
}

/**
 * Support of the data variable(s).
 *  real | positive | unit (0,1) | circle [−π, π) | nonnegint (0,1,2,...)
 *  integers: lo..hi inclusive | finite: listed values | simplex: variables x1..x_{k-1}, last = 1 − Σ
 *  For several variables with a non-simplex kind, the support is the product (e.g. real² for mvnormal2).
 */
export type SupportSpec =
  | { readonly kind: 'real' | 'positive' | 'unit' | 'circle' | 'nonnegint' | 'simplex' }
  | { readonly kind: 'integers'; readonly lo: number; readonly hi: number }
  | { readonly kind: 'finite'; readonly values: readonly number[] };

export interface ExpFamSpec {
  /** Natural parameters η_a(θ). */
  readonly eta: readonly Expr[];
  /** Sufficient statistics T_a(x). */
  readonly T: readonly Expr[];
  /** Log-partition A(θ). */
  readonly A: Expr;
  /** E[T_a] as functions of θ. */
  readonly ET: readonly Expr[];
  /** Base measure log h(x) (defaults to 0). */
  readonly base: Expr;
}

/**
 * How to draw observations: a built-in sampler with θ-expression arguments, or a transform of
 * independent random inputs (`u`, `u1`…`u9` ~ U(0, 1) open, `z`, `z1`…`z9` ~ N(0, 1)), one
 * expression per data variable.
 */
export type SamplerSpec =
  | {
      readonly kind: 'builtin';
      /** Name of a built-in sampler (see src/core/random.ts SAMPLERS). */
      readonly method: string;
      /** Arguments as expressions of the parameters and constants. */
      readonly args: readonly Expr[];
    }
  | {
      readonly kind: 'transform';
      /** One expression per data variable, of θ, constants and the random inputs. */
      readonly transform: readonly Expr[];
      /** Random input names used, in draw order (sorted: u…, then z…). */
      readonly inputs: readonly string[];
    };

/** A sample statistic: mean(f), var(f) (divisor n), cov(f, g) (divisor n) or median(f). */
export interface StatSpec {
  readonly kind: 'mean' | 'var' | 'cov' | 'median';
  /**
   * Arguments: expressions of the data variables, constants and earlier statistics, which appear
   * as the symbols `__s0`, `__s1`, … (statistic k may use __s0..__s(k−1)).
   */
  readonly args: readonly Expr[];
}

/**
 * A normaliser declared as a series, Z(θ) = Σ_{index ∈ over} term(index; θ) (term > 0). The
 * log-density uses it only as `log(Z)`; derive keeps log Z as one symbol (see core/normalizer.ts).
 */
export interface NormalizerSpec {
  /** The name used in the log-density, e.g. `Z`. */
  readonly name: string;
  /** Summation index, e.g. `j` (default). */
  readonly index: string;
  /** The term t(index; θ), an expression of the index, parameters and constants. */
  readonly term: Expr;
  /** Index range: nonnegint (0, 1, 2, …) or integers lo..hi (either bound may be infinite only via nonnegint). */
  readonly over: { readonly kind: 'nonnegint' } | { readonly kind: 'integers'; readonly lo: number; readonly hi: number };
}

/**
 * A declared closed-form maximum-likelihood estimator: statistics of the sample, then one
 * expression per parameter (in parameter order) of the statistics `__s0`… and constants.
 */
export interface MleSpec {
  readonly stats: readonly StatSpec[];
  readonly estimates: readonly Expr[];
}

export interface FamilySpec {
  readonly name: string;
  readonly title: string;
  /** Absolute path of the file it came from. */
  readonly file: string;
  readonly params: readonly ParamSpec[];
  /** Extra domain conditions: each expression must be > 0 (e.g. `1 - p1 - p2`). */
  readonly constraints: readonly Expr[];
  /** Fixed named constants (e.g. n = 10). Kept as symbols in expressions (derivative 0); compile substitutes the values. */
  readonly constants: Readonly<Record<string, number>>;
  /** Data variable names, e.g. ['x'] or ['x1', 'x2']. */
  readonly variables: readonly string[];
  readonly support: SupportSpec;
  /** Points in x where l is not smooth, as expressions of θ (quadrature splits there). */
  readonly breakpoints: readonly Expr[];
  /**
   * log p(x; θ), always set. When the file gives the log-pmf per outcome (finite support),
   * `logDensityCases` holds those and `logDensity` is the equivalent single expression
   * Σ_v L_v(x)·l_v with Lagrange basis polynomials L_v (exact on the support points).
   */
  readonly logDensity: Expr;
  /** Line of the logDensity field in the file (for derivation-time errors), when known. */
  readonly logDensityLine?: number;
  readonly logDensityCases: ReadonlyMap<number, Expr> | null;
  readonly expfam: ExpFamSpec | null;
  /** Moments table: key is the canonical string of an x-feature, value its expectation. */
  readonly moments: ReadonlyMap<string, Expr>;
  /** Optional closed-form Fisher matrix declared by the author (rows), with its source. */
  readonly fisher: { readonly matrix: readonly (readonly Expr[])[]; readonly source: string } | null;
  readonly sampler: SamplerSpec | null;
  /** Series normaliser (`normalizer:` block), or null. */
  readonly normalizer?: NormalizerSpec | null;
  /** Declared closed-form MLE (the `mle:` block), or null: the generic Fisher-scoring route is used. */
  readonly mle: MleSpec | null;
  /** Free-text notes (literature, parametrization). */
  readonly notes: string;
  /** Line and column of the fields whose text reaches LaTeX/HTML (`title`, `notes`, `params[i].tex`, `fisher.source`). */
  readonly locations?: Readonly<Record<string, { readonly line: number; readonly column: number }>>;
}
