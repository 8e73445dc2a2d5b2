/**
 * Small mathjs node builders with cheap folding (0 + x, 1·x, 0·x, −(−x)), used by the report stage to
 * assemble display-only expressions (adjugates, quadratic forms, densities). Never mutates its inputs.
 */
import { ConstantNode, FunctionNode, OperatorNode, SymbolNode } from '../../core/mathjs.js';
import type { MathNode } from 'mathjs';

type N = MathNode;

function constOf(n: N): number | null {
  if (n.type === 'ConstantNode') return Number((n as ConstantNode).value);
  if (n.type === 'ParenthesisNode') return constOf((n as unknown as { content: N }).content);
  if (n.type === 'OperatorNode' && (n as OperatorNode).fn === 'unaryMinus') {
    const v = constOf((n as OperatorNode).args[0]);
    return v === null ? null : -v;
  }
  return null;
}

export const nodes = {
  num(v: number): N {
    return v < 0 ? new OperatorNode('-', 'unaryMinus', [new ConstantNode(-v)]) : new ConstantNode(v);
  },
  sym(name: string): N {
    return new SymbolNode(name);
  },
  fn(name: string, ...args: N[]): N {
    return new FunctionNode(new SymbolNode(name), args);
  },
  isZero(n: N): boolean {
    return constOf(n) === 0;
  },
  constOf,
  neg(a: N): N {
    const v = constOf(a);
    if (v !== null) return nodes.num(-v);
    if (a.type === 'OperatorNode' && (a as OperatorNode).fn === 'unaryMinus') return (a as OperatorNode).args[0];
    return new OperatorNode('-', 'unaryMinus', [a]);
  },
  add(a: N, b: N): N {
    if (nodes.isZero(a)) return b;
    if (nodes.isZero(b)) return a;
    return new OperatorNode('+', 'add', [a, b]);
  },
  sub(a: N, b: N): N {
    if (nodes.isZero(b)) return a;
    if (nodes.isZero(a)) return nodes.neg(b);
    return new OperatorNode('-', 'subtract', [a, b]);
  },
  mul(a: N, b: N): N {
    const va = constOf(a);
    const vb = constOf(b);
    if (va === 0 || vb === 0) return nodes.num(0);
    if (va !== null && vb !== null) return nodes.num(va * vb);
    if (va === 1) return b;
    if (vb === 1) return a;
    if (va === -1) return nodes.neg(b);
    if (vb === -1) return nodes.neg(a);
    return new OperatorNode('*', 'multiply', [a, b]);
  },
  div(a: N, b: N): N {
    if (nodes.isZero(a)) return nodes.num(0);
    if (constOf(b) === 1) return a;
    return new OperatorNode('/', 'divide', [a, b]);
  },
  pow(a: N, b: N): N {
    const vb = constOf(b);
    if (vb === 1) return a;
    if (vb === 0) return nodes.num(1);
    return new OperatorNode('^', 'pow', [a, b]);
  },
  sum(list: readonly N[]): N {
    return list.reduce((s, x) => nodes.add(s, x), nodes.num(0));
  },
};
