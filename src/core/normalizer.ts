/**
 * Names of the symbols that stand for a declared series normaliser Z(θ) = Σ_j t(j; θ) and its
 * derivatives in the derive and compile stages (see docs/family-format.md, `normalizer`).
 *
 * The derivation never expands Z: `log(Z)` in the log-density becomes ONE symbol, K = log Z, and
 * its θ-derivatives are further symbols K_α = ∂^α log Z (α a multiset of parameter names, kept
 * sorted so mixed partials coincide). The names contain `⟨`, `⟩` and `;`, which no identifier of
 * a family file can contain, so they never collide with declared names.
 */

const OPEN = '\u27e8'; // ⟨
const CLOSE = '\u27e9'; // ⟩

/** Symbol of ∂^α log Z for the normaliser called `base` (α = [] is log Z itself). */
export function normalizerSymbol(base: string, alpha: readonly string[]): string {
  return `log${OPEN}${base}${CLOSE}` + [...alpha].sort().map((p) => `;${p}`).join('');
}

/** The normaliser name and multi-index α of a normaliser symbol, or null for any other name. */
export function parseNormalizerSymbol(name: string): { base: string; alpha: string[] } | null {
  if (!name.startsWith(`log${OPEN}`)) return null;
  const close = name.indexOf(CLOSE);
  if (close < 0) return null;
  const base = name.slice(4, close);
  const rest = name.slice(close + 1);
  const alpha = rest === '' ? [] : rest.slice(1).split(';');
  return { base, alpha };
}

/** ∂/∂wrt of the normaliser symbol `name`: the symbol with wrt added to α; null if `name` is not one. */
export function normalizerDerivative(name: string, wrt: string): string | null {
  const p = parseNormalizerSymbol(name);
  return p ? normalizerSymbol(p.base, [...p.alpha, wrt]) : null;
}
