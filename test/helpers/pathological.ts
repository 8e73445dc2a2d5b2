/**
 * Tiny family files that once exhausted memory or the stack (issue 10): a normal-like family with an
 * extra term in its log-density (line 8) or an extra constraint, and the two extra terms used to
 * stress derivation — log(1 + log(1 + … σ)) nested n deep and the k-factor product σ(σ+1)…(σ+k−1).
 * Shared by the declare and derive budget tests and bench/pathological.bench.ts.
 */

/** A normal-like family with an extra term in the log-density (line 8), or an extra constraint. */
export function familyWith(extra: string, field: 'logDensity' | 'constraint' = 'logDensity'): string {
  return [
    'name: budget',
    'title: budget test',
    'params:',
    "  - { name: mu, domain: real, tex: '\\mu' }",
    "  - { name: sigma, domain: positive, tex: '\\sigma' }",
    'variables: [x]',
    'support: real',
    field === 'logDensity'
      ? `logDensity: "-log(sigma) - (x - mu)^2/(2*sigma^2) + ${extra}"`
      : `logDensity: "-log(sigma) - (x - mu)^2/(2*sigma^2)"\nconstraints: ["${extra}"]`,
  ].join('\n');
}

/** log(1 + log(1 + … σ)) nested n deep. */
export const nestedLog = (n: number): string => Array.from({ length: n }).reduce<string>((e) => `log(1 + ${e})`, 'sigma');

/** σ(σ+1)…(σ+k−1). */
export const product = (k: number): string => ['sigma', ...Array.from({ length: k - 1 }, (_, i) => `(sigma + ${i + 1})`)].join('*');
