/**
 * A declared series normaliser Z(θ) = Σ_j t(j; θ) in the derive stage (see core/normalizer.ts).
 *
 * `log(Z)` in the log-density is replaced by ONE symbol K = log Z; the differentiator turns it into
 * the symbols K_α = ∂^α log Z, so the derivation stays as small as for a closed-form normaliser and
 * Z is never expanded term by term. For compile, the series that give the values are derived here
 * once per needed multi-index β: with s = log t (taken in log space, {@link logOf}),
 *   D_∅ = 1,   D_{β+i} = ∂_i D_β + (∂_i s)·D_β,   so that ∂^β t = t·D_β and ∂^β Z / Z = E_w[D_β],
 * the expectation under the weights w_j = t_j / Z. Compile sums those in log space with a rigorous
 * tail bound and turns the moments E_w[D_β] into K_α (cumulant formula over set partitions of α).
 */
import { normalizerSymbol, parseNormalizerSymbol } from '../core/normalizer.js';
import type { FamilySpec, NormalizerSpec } from '../declare/types.js';
import { ONE, add, argsOf, constValue, fn, fnName, mul, num, opOf, strip, sym, symbolName, type AnyNode, type Expr } from './build.js';
import { differentiate } from './differentiate.js';
import { simplify } from './simplify.js';

/** What compile needs to evaluate the normaliser symbols of a derivation. */
export interface NormalizerDerivation {
  readonly spec: NormalizerSpec;
  /** s(j; θ) = log t(j; θ), in log space. */
  readonly logTerm: Expr;
  /** Every normaliser symbol the derivation uses, with its multi-index α (sorted names). */
  readonly symbols: readonly { readonly name: string; readonly alpha: readonly string[] }[];
  /** D_β for every sub-multiset β of every α (β ≠ ∅), keyed by {@link momentKey}. */
  readonly moments: ReadonlyMap<string, Expr>;
}

/** Key of a multi-index: sorted names joined by ';'. */
export function momentKey(beta: readonly string[]): string {
  return [...beta].sort().join(';');
}

/** The log-density with every log(Z) replaced by the symbol of log Z. */
export function replaceLogNormalizer(l: Expr, spec: FamilySpec): Expr {
  const z = spec.normalizer?.name;
  if (!z) return l;
  const K = sym(normalizerSymbol(z, []));
  return l.transform((n) => (fnName(n) === 'log' && argsOf(n).length === 1 && symbolName(argsOf(n)[0]) === z ? K : n));
}

/**
 * log t for a positive term, taken apart so that no factor is evaluated outside log space:
 * log(a·b) = log a + log b, log(a/b) = log a − log b, log(a^c) = c·log a, log(e^u) = u,
 * log(sqrt a) = log(a)/2; anything else stays log(·).
 */
export function logOf(t: Expr): Expr {
  const o = opOf(t);
  const [a, b] = argsOf(t);
  if (o === 'multiply') return add(logOf(a), logOf(b));
  if (o === 'divide') {
    if (constValue(a) === 1) return mul(num(-1), logOf(b));
    return add(logOf(a), mul(num(-1), logOf(b)));
  }
  if (o === 'pow') return mul(b, logOf(a));
  if (fnName(t) === 'exp') return a;
  if (fnName(t) === 'sqrt') return mul(num(0.5), logOf(a));
  return fn('log', t);
}

/** Normaliser symbols used anywhere in the given trees. */
function collectSymbols(trees: readonly unknown[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const seen = new WeakSet<object>();
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object' || seen.has(n)) return;
    seen.add(n);
    const a = n as AnyNode;
    if (a.type === 'SymbolNode') {
      const p = parseNormalizerSymbol(String(a.name));
      if (p) found.set(String(a.name), p.alpha);
      return;
    }
    if (a.type === 'ParenthesisNode') walk(a.content);
    for (const c of a.args ?? []) walk(c);
  };
  walk(trees);
  return found;
}

/** Every non-empty sub-multiset of α (as sorted keys → lists). */
function subMultisets(alpha: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const n = alpha.length;
  for (let mask = 1; mask < 1 << n; mask++) {
    const beta = alpha.filter((_, i) => mask & (1 << i));
    out.set(momentKey(beta), [...beta].sort());
  }
  return out;
}

/** The series behind the normaliser symbols of the given derivation trees. */
export function deriveNormalizer(spec: FamilySpec, trees: readonly unknown[]): NormalizerDerivation | null {
  const ns = spec.normalizer;
  if (!ns) return null;
  const logTerm = simplify(logOf(strip(ns.term)));
  const symbols = [...collectSymbols(trees)].map(([name, alpha]) => ({ name, alpha }));
  const needed = new Map<string, string[]>();
  for (const s of symbols) for (const [k, b] of subMultisets(s.alpha)) needed.set(k, b);
  const memo = new Map<string, Expr>([['', ONE]]);
  const D = (beta: readonly string[]): Expr => {
    const key = momentKey(beta);
    const hit = memo.get(key);
    if (hit) return hit;
    // D_{β'+i} = ∂_i D_β' + s_i D_β' with i the last name of β.
    const sorted = [...beta].sort();
    const i = sorted[sorted.length - 1];
    const prev = D(sorted.slice(0, -1));
    const r = simplify(add(differentiate(prev, i), mul(differentiate(logTerm, i), prev)));
    memo.set(key, r);
    return r;
  };
  const moments = new Map<string, Expr>();
  for (const [k, b] of needed) moments.set(k, D(b));
  return { spec: ns, logTerm, symbols, moments };
}
