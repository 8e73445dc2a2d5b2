/**
 * Exact KL(p_θ ‖ p_θ') in closed form where a symbolic route exists. The parameters of θ' are
 * the symbols `<name>_to` (see {@link toSymbolsOf}).
 *  - exponential family: KL = A(θ') − A(θ) − Σ_a (η_a(θ') − η_a(θ))·E_θ[T_a];
 *  - finite support: Σ_v p_θ(v) (l_θ(v) − l_θ'(v));
 *  - moments table: E_θ[l_θ − l_θ'] by expansion (every feature must be in the table);
 *  - otherwise null (compile integrates E_from[l_from − l_to] numerically).
 */
import type { Route } from './types.js';
import { fn, mul, sub, substitute, sum, sym, type Expr } from './build.js';
import { momentsExpectation, type ExpectOptions, type FamilyContext } from './expectation.js';
import { simplify } from './simplify.js';

/** `<name>_to` for each parameter. */
export function toSymbolsOf(params: readonly string[]): string[] {
  return params.map((p) => `${p}_to`);
}

export interface KlResult {
  readonly expr: Expr;
  readonly toSymbols: readonly string[];
  readonly route: Route;
}

export function klDivergence(ctx: FamilyContext, opts: ExpectOptions = {}): KlResult | null {
  // A series normaliser's log Z is a symbol of θ only: renaming the parameters would not reach it.
  if (ctx.spec.normalizer) return null;
  const skip = new Set(opts.skip ?? []);
  const toSymbols = toSymbolsOf(ctx.params);
  const rename = new Map(ctx.params.map((p, i) => [p, sym(toSymbols[i])] as [string, Expr]));
  const prime = (e: Expr): Expr => substitute(e, rename);
  const done = (expr: Expr, route: Route): KlResult => ({ expr: simplify(expr), toSymbols, route });
  if (ctx.expfam && !skip.has('exponential-family')) {
    const { eta, A, ET } = ctx.expfam;
    const inner = sum(eta.map((e, a) => mul(simplify(sub(prime(e), e)), ET[a])));
    return done(sub(sub(prime(A), A), inner), 'exponential-family');
  }
  if (ctx.finite && !skip.has('finite-sum')) {
    const terms = ctx.finite.map(({ logp }) => mul(fn('exp', logp), sub(logp, prime(logp))));
    return done(sum(terms), 'finite-sum');
  }
  if (ctx.moments.size > 0 && !skip.has('moments')) {
    const m = momentsExpectation(ctx, sub(ctx.l, prime(ctx.l)));
    if (m) return done(m, 'moments');
  }
  return null;
}
