/**
 * Derivation-time budgets: every derived object is checked as soon as it is built, so that a small
 * family file whose derivatives explode fails with a FamilyError naming the object and the budget
 * instead of exhausting memory, the stack or the user's patience.
 *
 *  - dagNodes: distinct nodes of one object (derived trees are hash-consed DAGs, see ./build.ts);
 *  - depth: nesting depth of one object (every later walk, e.g. the LaTeX printer, recurses on it);
 *  - millis: wall-clock time of the whole derivation, checked between objects.
 * The built-in families stay far below: at most 445 distinct nodes, depth 26, 5 s.
 */
import { FamilyError } from '../core/errors.js';
import type { FamilySpec } from '../declare/types.js';
import { dagSize, depth, type Expr } from './build.js';

export const DERIVE_BUDGET = Object.freeze({
  dagNodes: 200_000,
  depth: 1_500,
  millis: 60_000,
});

/** The FamilyError of an exceeded budget, located at the family's logDensity. */
export function budgetError(spec: FamilySpec, message: string): FamilyError {
  return new FamilyError([{ file: spec.file, line: spec.logDensityLine, field: 'logDensity', message }]);
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** Budget checker of one derivation. */
export class DeriveBudget {
  private readonly t0 = performance.now();
  constructor(private readonly spec: FamilySpec) {}

  /** Throws when the time budget is spent; `what` names the object about to be built. */
  time(what: string): void {
    const ms = performance.now() - this.t0;
    if (ms > DERIVE_BUDGET.millis) {
      throw budgetError(this.spec, `derivation exceeds its time budget of ${fmt(DERIVE_BUDGET.millis)} ms (${fmt(Math.round(ms))} ms spent before ${what})`);
    }
  }

  /** Checks one derived entry against the size and depth budgets. */
  entry(what: string, e: Expr): void {
    const dp = depth(e);
    if (dp > DERIVE_BUDGET.depth) {
      throw budgetError(this.spec, `derivation exceeds its depth budget: ${what} has depth ${fmt(dp)}, budget ${fmt(DERIVE_BUDGET.depth)} (over by ${fmt(dp - DERIVE_BUDGET.depth)})`);
    }
    const n = dagSize([e]);
    if (n > DERIVE_BUDGET.dagNodes) {
      throw budgetError(this.spec, `derivation exceeds its size budget: ${what} has ${fmt(n)} distinct nodes, budget ${fmt(DERIVE_BUDGET.dagNodes)} (over by ${fmt(n - DERIVE_BUDGET.dagNodes)})`);
    }
  }

  /**
   * Checks every entry of a nested array; `name(path)` names the entry at index path.
   * Also checks the time budget.
   */
  all(x: unknown, name: (path: number[]) => string, path: number[] = []): void {
    if (path.length === 0) this.time(name([]));
    if (Array.isArray(x)) x.forEach((y, i) => this.all(y, name, [...path, i]));
    else if (x) this.entry(name(path), x as Expr);
  }
}
