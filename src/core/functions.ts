/**
 * The whitelist of functions a family expression may call, with arity.
 * This table is the single source of truth: the declare stage rejects any other callee,
 * the derive stage must have a derivative rule for every entry (checked by a test),
 * the compile stage must have a numeric implementation for every entry (checked by a test),
 * and the report stage must have a LaTeX form for every entry (checked by a test).
 *
 * Semantics:
 *   log, exp, sqrt, abs, sign, sin, cos, tan, log1p, expm1: as in Math;
 *   lgamma(x) = log Γ(x); digamma = ψ; trigamma = ψ₁; polygamma(n, x) = ψ_n(x) (n a non-negative integer constant);
 *   logbesseli0(k) = log I₀(k) (stable for large k); besselratio(k) = I₁(k)/I₀(k);
 *   besseli0(k) = I₀(k), besseli1(k) = I₁(k);
 *   besselratioderiv(n, k) = dⁿA/dkⁿ (n a non-negative integer constant; A′ = 1 − A/k − A² computed without cancellation).
 *   erf, erfc; normcdf(x) = Φ(x) (standard normal CDF), lognormcdf(x) = log Φ(x) (accurate in the left
 *   tail), normratio(x) = φ(x)/Φ(x) = d/dx log Φ(x); lbeta(a, b) = log B(a, b);
 *   besselk0, besselk1 = K₀, K₁; logbesselk0, logbesselk1 = log K₀, log K₁ (no underflow);
 *   besselkratio(x) = K₀(x)/K₁(x).
 */
export interface FunctionInfo {
  readonly name: string;
  readonly arity: number;
  /** Arguments that must be numeric constants (e.g. the order of polygamma). */
  readonly constantArgs?: readonly number[];
  readonly description: string;
}

const table: FunctionInfo[] = [
  { name: 'log', arity: 1, description: 'natural logarithm' },
  { name: 'exp', arity: 1, description: 'exponential' },
  { name: 'sqrt', arity: 1, description: 'square root' },
  { name: 'abs', arity: 1, description: 'absolute value (non-smooth: Fisher by score form)' },
  { name: 'sign', arity: 1, description: 'sign function (derivative of abs; non-smooth)' },
  { name: 'sin', arity: 1, description: 'sine' },
  { name: 'cos', arity: 1, description: 'cosine' },
  { name: 'tan', arity: 1, description: 'tangent' },
  { name: 'log1p', arity: 1, description: 'log(1 + x), accurate near 0' },
  { name: 'expm1', arity: 1, description: 'exp(x) − 1, accurate near 0' },
  { name: 'lgamma', arity: 1, description: 'log Γ(x)' },
  { name: 'digamma', arity: 1, description: 'ψ(x) = d/dx log Γ(x)' },
  { name: 'trigamma', arity: 1, description: 'ψ₁(x)' },
  { name: 'polygamma', arity: 2, constantArgs: [0], description: 'ψ_n(x), n a constant integer ≥ 0' },
  { name: 'logbesseli0', arity: 1, description: 'log I₀(k), computed without overflow' },
  { name: 'besselratio', arity: 1, description: 'A(k) = I₁(k)/I₀(k)' },
  { name: 'besseli0', arity: 1, description: 'modified Bessel function I₀' },
  { name: 'besseli1', arity: 1, description: 'modified Bessel function I₁' },
  { name: 'besselratioderiv', arity: 2, constantArgs: [0], description: 'A⁽ⁿ⁾(k), n-th derivative of A = I₁/I₀ (n a constant integer ≥ 0), without cancellation' },
  { name: 'erf', arity: 1, description: 'error function' },
  { name: 'erfc', arity: 1, description: 'complementary error function 1 − erf(x), accurate for large x' },
  { name: 'normcdf', arity: 1, description: 'Φ(x), the standard normal CDF' },
  { name: 'lognormcdf', arity: 1, description: 'log Φ(x), accurate far in the left tail' },
  { name: 'normratio', arity: 1, description: 'φ(x)/Φ(x) = d/dx log Φ(x)' },
  { name: 'lbeta', arity: 2, description: 'log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b)' },
  { name: 'besselk0', arity: 1, description: 'modified Bessel function of the second kind K₀' },
  { name: 'besselk1', arity: 1, description: 'modified Bessel function of the second kind K₁' },
  { name: 'logbesselk0', arity: 1, description: 'log K₀(x), computed without underflow' },
  { name: 'logbesselk1', arity: 1, description: 'log K₁(x), computed without underflow' },
  { name: 'besselkratio', arity: 1, description: 'K₀(x)/K₁(x)' },
];

export const FUNCTIONS: ReadonlyMap<string, FunctionInfo> = new Map(table.map((f) => [f.name, f]));

/** Own-property lookup, so `__proto__`, `constructor`, `valueOf` never match. */
export function lookupFunction(name: string): FunctionInfo | undefined {
  return FUNCTIONS.get(name);
}

/** Symbols with a fixed meaning in every expression. */
export const BUILTIN_CONSTANTS: ReadonlyMap<string, number> = new Map([
  ['pi', Math.PI],
  ['e', Math.E],
]);
