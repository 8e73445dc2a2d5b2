/**
 * Presentation-level simplification before printing: the derive stage's normal-form simplifier applied to
 * each printed expression (also inside `E_θ[·]`, whose integrands depend on x, and with a leading minus moved
 * into the integrand, `−E[f] = E[−f]`), keeping whichever candidate prints shortest; and common factors pulled
 * out of matrices (`g = \frac{1}{D} (…)`). Every rewrite is an identity where the expression is defined (and
 * `E` is linear); the semantic test of the report checks the printed result against the derived expression at
 * random points.
 */
import type { MathNode } from 'mathjs';
import { ConstantNode, FunctionNode, OperatorNode, SymbolNode } from '../../core/mathjs.js';
import { simplify } from '../../derive/simplify.js';
import { containsExpect } from '../../derive/differentiate.js';
import { size } from '../../derive/build.js';

type Expr = MathNode;

/** Above this node count the simplifier is not tried (its cost grows with expansion). */
const SIZE_LIMIT = 350;

const isExpect = (n: Expr): n is FunctionNode => n.type === 'FunctionNode' && (n as FunctionNode).fn.name === 'expect';

function safeSimplify(e: Expr): Expr {
  if (size(e) > SIZE_LIMIT) return e;
  try {
    return simplify(e);
  } catch {
    return e;
  }
}

/** Simplifies the integrand of every expectation; `−E[f]` and `c·E[f]` become `E[−f]`, `E[c f]` when shorter. */
function tidyExpectations(e: Expr, measure: (e: Expr) => number): Expr {
  return e.transform((n) => {
    if (isExpect(n)) return new FunctionNode(new SymbolNode('expect'), [safeSimplify(n.args[0])]);
    if (n.type === 'OperatorNode') {
      const o = n as OperatorNode;
      const inner = o.fn === 'unaryMinus' ? o.args[0] : null;
      if (inner && isExpect(inner)) {
        const moved = new FunctionNode(new SymbolNode('expect'), [safeSimplify(new OperatorNode('-', 'unaryMinus', [inner.args[0]]))]);
        const kept = new OperatorNode('-', 'unaryMinus', [new FunctionNode(new SymbolNode('expect'), [safeSimplify(inner.args[0])])]);
        return measure(moved) <= measure(kept) ? moved : kept;
      }
    }
    return n;
  });
}

/**
 * The shortest-printing of: the expression, its simplified form, its form with simplified expectations, and
 * both (ties keep the earlier candidate). `measure` is the printed length.
 */
export function tidy(e: Expr, measure: (e: Expr) => number): Expr {
  const cands: Expr[] = [e];
  if (containsExpect(e)) {
    const t = tidyExpectations(e, measure);
    cands.push(t);
    // combinations of expectations (not a lone E[f], whose integrand is already simplified)
    if (!isExpect(t) && !(t.type === 'OperatorNode' && (t as OperatorNode).fn === 'unaryMinus' && isExpect((t as OperatorNode).args[0]))) cands.push(safeSimplify(t));
  } else {
    cands.push(safeSimplify(e));
    // a quotient: numerator and denominator simplified apart, then together (cancels sums equal up to sign)
    let q = e;
    while (q.type === 'ParenthesisNode') q = (q as unknown as { content: Expr }).content;
    if (q.type === 'OperatorNode' && (q as OperatorNode).fn === 'divide') {
      const [a, b] = (q as OperatorNode).args;
      cands.push(safeSimplify(new OperatorNode('/', 'divide', [safeSimplify(a), safeSimplify(b)])));
    }
  }
  let best = cands[0];
  let bw = measure(best);
  for (const c of cands.slice(1)) {
    const w = measure(c);
    if (w < bw) {
      best = c;
      bw = w;
    }
  }
  return best;
}

/**
 * A common factor of a matrix's entries, `m = s · q` with a scalar s = 1/D (D the denominator of some entry),
 * when pulling it out makes the printed matrix narrower; null otherwise. Zero entries stay zero.
 */
export function commonFactor(m: readonly (readonly Expr[])[], measure: (e: Expr) => number): { scale: Expr; inner: Expr[][] } | null {
  const cands: Expr[] = [];
  for (const r of m) for (const e of r) {
    let n = e;
    while (n.type === 'ParenthesisNode') n = (n as unknown as { content: Expr }).content;
    if (n.type === 'OperatorNode' && (n as OperatorNode).fn === 'unaryMinus') n = (n as OperatorNode).args[0];
    if (n.type === 'OperatorNode' && (n as OperatorNode).fn === 'divide') cands.push((n as OperatorNode).args[1]);
  }
  const total = (rows: readonly (readonly Expr[])[]) => rows.reduce((a, r) => a + r.reduce((b, x) => b + measure(x), 0), 0);
  let best: { scale: Expr; inner: Expr[][]; w: number } | null = null;
  const base = total(m);
  for (const D of cands) {
    if (D.type === 'ConstantNode') continue;
    const inner = m.map((r) => r.map((e) => safeSimplify(new OperatorNode('*', 'multiply', [e, D]))));
    const scale = new OperatorNode('/', 'divide', [new ConstantNode(1), D]);
    const w = total(inner) + measure(scale);
    if (w < 0.8 * base && (!best || w < best.w)) best = { scale, inner, w };
  }
  return best ? { scale: best.scale, inner: best.inner } : null;
}
