/**
 * Domain check of a parameter point against a family's declared domains and constraints.
 */
import { evaluate } from '../core/evaluate.js';
import type { FamilySpec } from './types.js';

/**
 * Checks θ (in the family's parameter order) against every parameter domain
 * (real: finite; positive: > 0; unit: in the open interval (0, 1)) and every constraint (> 0).
 * @returns null when θ is valid, else a message naming the violated parameter or condition.
 */
export function checkPoint(spec: FamilySpec, theta: ArrayLike<number>): string | null {
  const n = spec.params.length;
  if (theta.length !== n) return `expected ${n} parameter value(s) (${spec.params.map((p) => p.name).join(', ')}), got ${theta.length}`;
  for (let i = 0; i < n; i++) {
    const p = spec.params[i];
    const v = theta[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) return `${p.name} = ${String(v)} is not a finite number`;
    if (p.domain === 'positive' && !(v > 0)) return `${p.name} = ${v} must be > 0`;
    if (p.domain === 'unit' && !(v > 0 && v < 1)) return `${p.name} = ${v} must lie in the open interval (0, 1)`;
  }
  if (spec.constraints.length === 0) return null; // (hot path of fitting: no scope to build)
  const scope = new Map<string, number>();
  for (const [k, v] of Object.entries(spec.constants)) scope.set(k, v);
  for (let i = 0; i < n; i++) scope.set(spec.params[i].name, theta[i]);
  for (const c of spec.constraints) {
    let value: number;
    try {
      value = evaluate(c, scope);
    } catch (err) {
      return `constraint ${c.toString()} > 0 cannot be evaluated: ${(err as Error).message}`;
    }
    if (!(value > 0)) return `constraint ${c.toString()} > 0 is violated (value ${value})`;
  }
  return null;
}
