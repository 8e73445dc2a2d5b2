/**
 * Straight-line code for raising the first index of Christoffel symbols, Γ^k_ij = g^{kl} Γ_ij,l, for
 * metrics of dimension 4 to 8 (where a symbolic inverse is too large): an unrolled LDLᵀ factorisation
 * of the symmetric metric followed by unrolled forward/diagonal/back substitutions for the n(n+1)/2
 * right-hand sides Γ_ij,· (i ≤ j). No loops, no allocation, no pivoting (the Fisher metric is
 * symmetric positive definite; a singular or indefinite metric gives NaN/∞ entries, like the LU path).
 * The source is generated from n alone (no user text reaches it).
 *
 * Input layout `s`: s[0 .. n²−1] = g (row-major), s[n² + (i·n + j)·n + l] = Γ_ij,l; output [k][i][j].
 */
import { instantiate } from './compileExprs.js';

export const UNROLLED_RAISE_MAX_DIM = 8;

const cache = new Map<string, (s: Float64Array, out: Float64Array) => Float64Array>();

/** The generated source of the raise function for dimension n (for inspection). */
export function unrolledRaiseSource(n: number, zero?: readonly boolean[]): string {
  if (!Number.isInteger(n) || n < 1 || n > UNROLLED_RAISE_MAX_DIM) throw new RangeError(`unrolled raise supports dimensions 1..${UNROLLED_RAISE_MAX_DIM}`);
  const n2 = n * n;
  const L: string[] = ['"use strict";', 'return function raise(s, out) {'];
  const g = (i: number, j: number) => `s[${i * n + j}]`;
  // LDLᵀ: d_j = g_jj − Σ_{k<j} L_jk² d_k;  L_ij = (g_ij − Σ_{k<j} L_ik L_jk d_k) / d_j  (i > j)
  for (let j = 0; j < n; j++) {
    const dTerms = Array.from({ length: j }, (_, k) => ` - L${j}_${k} * L${j}_${k} * d${k}`).join('');
    L.push(`const d${j} = ${g(j, j)}${dTerms};`);
    L.push(`const r${j} = 1 / d${j};`);
    for (let i = j + 1; i < n; i++) {
      const terms = Array.from({ length: j }, (_, k) => ` - L${i}_${k} * L${j}_${k} * d${k}`).join('');
      L.push(`const L${i}_${j} = (${g(i, j)}${terms}) * r${j};`);
    }
  }
  // For each i ≤ j: solve L D Lᵀ x = b with b_l = Γ_ij,l. Entries known to be zero (`zero`) are
  // propagated through the substitutions at generation time.
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      const base = n2 + (i * n + j) * n;
      const yZero: boolean[] = [];
      const xZero: boolean[] = new Array(n);
      L.push('{');
      for (let l = 0; l < n; l++) {
        const bZero = zero?.[(i * n + j) * n + l] ?? false;
        const terms = Array.from({ length: l }, (_, k) => k).filter((k) => !yZero[k]).map((k) => ` - L${l}_${k} * y${k}`);
        yZero[l] = bZero && terms.length === 0;
        if (!yZero[l]) L.push(`const y${l} = ${bZero ? '0' : `s[${base + l}]`}${terms.join('')};`);
      }
      for (let l = n - 1; l >= 0; l--) {
        const terms = Array.from({ length: n - 1 - l }, (_, t) => l + 1 + t).filter((k) => !xZero[k]).map((k) => ` - L${k}_${l} * x${k}`);
        xZero[l] = yZero[l] && terms.length === 0;
        if (!xZero[l]) L.push(`const x${l} = ${yZero[l] ? '0' : `y${l} * r${l}`}${terms.join('')};`);
      }
      for (let k = 0; k < n; k++) {
        const v = xZero[k] ? '0' : `x${k}`;
        L.push(`out[${(k * n + i) * n + j}] = ${v};`);
        if (i !== j) L.push(`out[${(k * n + j) * n + i}] = ${v};`);
      }
      L.push('}');
    }
  L.push('return out;', '};');
  return L.join('\n');
}

/**
 * The raise function for dimension n, optionally specialised to a pattern of Γ_ij,l entries that are
 * identically zero (`zero[(i·n + j)·n + l]`, e.g. from the symbolic first-kind symbols).
 */
export function unrolledRaise(n: number, zero?: readonly boolean[]): (s: Float64Array, out: Float64Array) => Float64Array {
  const key = `${n}:${zero ? zero.map((z) => (z ? 1 : 0)).join('') : ''}`;
  let f = cache.get(key);
  if (!f) {
    f = instantiate<(s: Float64Array, out: Float64Array) => Float64Array>(unrolledRaiseSource(n, zero));
    cache.set(key, f);
  }
  return f;
}
