/**
 * The only functions generated code can call: a frozen table passed to `new Function` as `F`.
 * Keys are fixed identifiers chosen here (never text taken from an expression): the whitelisted
 * names of src/core/functions.ts plus `psi2` / `psi3`, the fast ψ₂, ψ₃ used for `polygamma(2|3, ·)`, and `logc` (log x from x
 * and 1 − x, see compile/cse.ts).
 */
import { FUNCTIONS } from '../core/functions.js';
import { SPECIAL, psi2, psi3 } from '../core/special.js';

export type NumFn = (...args: number[]) => number;

const table: Record<string, NumFn> = Object.create(null) as Record<string, NumFn>;
for (const name of FUNCTIONS.keys()) {
  if (Object.hasOwn(SPECIAL, name)) table[name] = SPECIAL[name];
}
table.psi2 = psi2;
table.psi3 = psi3;
/** log x given x and its accurately computed complement xc = 1 − x (unit interval): exact near both ends. */
table.logc = (x: number, xc: number): number => (x < 0.5 ? Math.log(x) : Math.log1p(-xc));

/** Frozen name → implementation table handed to generated code as `F`. */
export const FUNCTION_TABLE: Readonly<Record<string, NumFn>> = Object.freeze(table);

/** Own keys of {@link FUNCTION_TABLE}, used to turn a whitelisted callee into a table key. */
export const FUNCTION_KEYS: ReadonlySet<string> = new Set(Object.keys(table));

/** Our own spelling of a table key (so the emitted identifier is never the caller's string object). */
export function functionKey(name: string): string | undefined {
  for (const k of FUNCTION_KEYS) if (k === name) return k;
  return undefined;
}
