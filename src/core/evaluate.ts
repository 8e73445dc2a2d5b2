/**
 * A small interpreter over whitelisted mathjs expression trees (never mathjs `evaluate`, which
 * silently turns unknown symbols such as `s` into units).
 *
 * Accepted node types: ConstantNode (numbers), SymbolNode (a scope entry, else `pi`/`e`),
 * OperatorNode (add, subtract, multiply, divide, pow, unaryMinus, unaryPlus), ParenthesisNode,
 * FunctionNode whose callee is a plain symbol in {@link SPECIAL} (./special.ts). Anything else
 * (including the derive-stage internal node `expect(·)`) throws an UnsupportedError naming the
 * culprit; an unknown symbol throws a plain Error naming it.
 *
 * Scope lookup wins over the built-in constants: a scope entry named `e` shadows Euler's number.
 */
import type { MathNode } from 'mathjs';
import { BUILTIN_CONSTANTS, FUNCTIONS } from './functions.js';
import { SPECIAL, psi2, psi3 } from './special.js';
import { UnsupportedError } from './errors.js';

/** A mathjs node with the optional fields the walkers read. */
export type AnyNode = MathNode & {
  type: string;
  value?: unknown;
  name?: string;
  fn?: unknown;
  op?: string;
  implicit?: boolean;
  args?: MathNode[];
  content?: MathNode;
};

type Scope = Record<string, number> | Map<string, number>;

function lookupScope(scope: Scope, name: string): number | undefined {
  if (scope instanceof Map) return scope.get(name);
  return Object.hasOwn(scope, name) ? scope[name] : undefined;
}

function constantValue(n: AnyNode): number {
  const v = n.value;
  if (typeof v !== 'number') throw new UnsupportedError(`evaluate: constant ${String(v)} is not a number`);
  return v;
}

/** Name of the callee of a FunctionNode, or throws (callee must be a plain SymbolNode). */
function calleeName(n: AnyNode): string {
  const fn = n.fn as AnyNode | undefined;
  if (!fn || fn.type !== 'SymbolNode' || typeof fn.name !== 'string') {
    throw new UnsupportedError('evaluate: function callee must be a plain name');
  }
  return fn.name;
}

function specialFor(name: string, nargs: number): (...args: number[]) => number {
  if (name === 'expect') {
    throw new UnsupportedError('evaluate: expect(·) is a symbolic expectation node and cannot be evaluated pointwise');
  }
  const info = FUNCTIONS.get(name);
  if (!info || !Object.hasOwn(SPECIAL, name)) throw new UnsupportedError(`evaluate: unknown function "${name}"`);
  if (info.arity !== nargs) {
    throw new UnsupportedError(`evaluate: function "${name}" takes ${info.arity} argument(s), got ${nargs}`);
  }
  return SPECIAL[name];
}

/** The five binary arithmetic operators, by their IR names. */
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'pow';

/** mathjs operator function name → IR operator (the only binary operators a family file may use). */
export const BINARY_OPS: Readonly<Record<string, BinaryOp>> = Object.freeze({
  __proto__: null,
  add: 'add',
  subtract: 'sub',
  multiply: 'mul',
  divide: 'div',
  pow: 'pow',
} as unknown as Record<string, BinaryOp>);

/** a op b: the arithmetic the evaluator, the constant folder and generated code share (x^2 is x·x). */
export function applyBinary(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case 'add':
      return a + b;
    case 'sub':
      return a - b;
    case 'mul':
      return a * b;
    case 'div':
      return a / b;
    case 'pow':
      return b === 2 ? a * a : Math.pow(a, b);
  }
}

function binary(fn: string, a: number, b: number): number {
  if (!Object.hasOwn(BINARY_OPS, fn)) throw new UnsupportedError(`evaluate: operator "${fn}" is not allowed`);
  return applyBinary(BINARY_OPS[fn], a, b);
}

/**
 * Value of a whitelisted expression tree with the given variable values.
 * @throws Error on an unknown symbol (named in the message), node type, operator or function.
 */
export function evaluate(node: MathNode, scope: Scope): number {
  const n = node as AnyNode;
  switch (n.type) {
    case 'ConstantNode':
      return constantValue(n);
    case 'SymbolNode': {
      const name = n.name as string;
      const v = lookupScope(scope, name);
      if (v !== undefined) return v;
      const c = BUILTIN_CONSTANTS.get(name);
      if (c !== undefined) return c;
      throw new Error(`evaluate: unknown symbol "${name}"`);
    }
    case 'ParenthesisNode':
      return evaluate(n.content as MathNode, scope);
    case 'OperatorNode': {
      const fn = n.fn as string;
      const args = n.args as MathNode[];
      if (args.length === 1) {
        const a = evaluate(args[0], scope);
        if (fn === 'unaryMinus') return -a;
        if (fn === 'unaryPlus') return a;
        throw new UnsupportedError(`evaluate: operator "${fn}" is not allowed`);
      }
      if (args.length !== 2) throw new UnsupportedError(`evaluate: operator "${fn}" with ${args.length} arguments`);
      return binary(fn, evaluate(args[0], scope), evaluate(args[1], scope));
    }
    case 'FunctionNode': {
      const args = n.args as MathNode[];
      const f = specialFor(calleeName(n), args.length);
      if (args.length === 1) return f(evaluate(args[0], scope));
      return f(...args.map((a) => evaluate(a, scope)));
    }
    default:
      throw new UnsupportedError(`evaluate: node type ${n.type} is not allowed`);
  }
}

/** A compiled closure over positional values (values[i] is the value of names[i]). */
export type InterpretedFn = (values: ArrayLike<number>) => number;

type Closure = (v: ArrayLike<number>) => number;

function build(node: MathNode, index: ReadonlyMap<string, number>): Closure {
  const n = node as AnyNode;
  switch (n.type) {
    case 'ConstantNode': {
      const c = constantValue(n);
      return () => c;
    }
    case 'SymbolNode': {
      const name = n.name as string;
      const i = index.get(name);
      if (i !== undefined) return (v) => v[i];
      const c = BUILTIN_CONSTANTS.get(name);
      if (c !== undefined) return () => c;
      throw new Error(`compileInterpreted: unknown symbol "${name}"`);
    }
    case 'ParenthesisNode':
      return build(n.content as MathNode, index);
    case 'OperatorNode': {
      const fn = n.fn as string;
      const args = n.args as MathNode[];
      if (args.length === 1) {
        const a = build(args[0], index);
        if (fn === 'unaryMinus') return (v) => -a(v);
        if (fn === 'unaryPlus') return a;
        throw new UnsupportedError(`compileInterpreted: operator "${fn}" is not allowed`);
      }
      if (args.length !== 2) throw new UnsupportedError(`compileInterpreted: operator "${fn}" with ${args.length} arguments`);
      const a = build(args[0], index);
      const b = build(args[1], index);
      switch (fn) {
        case 'add':
          return (v) => a(v) + b(v);
        case 'subtract':
          return (v) => a(v) - b(v);
        case 'multiply':
          return (v) => a(v) * b(v);
        case 'divide':
          return (v) => a(v) / b(v);
        case 'pow': {
          const e = args[1] as AnyNode;
          if (e.type === 'ConstantNode' && e.value === 2) return (v) => {
            const t = a(v);
            return t * t;
          };
          return (v) => Math.pow(a(v), b(v));
        }
        default:
          throw new UnsupportedError(`compileInterpreted: operator "${fn}" is not allowed`);
      }
    }
    case 'FunctionNode': {
      const args = n.args as MathNode[];
      const name = calleeName(n);
      const f = specialFor(name, args.length);
      const cs = args.map((a) => build(a, index));
      if (cs.length === 1) {
        const a = cs[0];
        return (v) => f(a(v));
      }
      const [a, b] = cs;
      if (name === 'polygamma') {
        const order = args[0] as AnyNode;
        if (order.type === 'ConstantNode' && typeof order.value === 'number') {
          const k = order.value;
          if (k === 2) return (v) => psi2(b(v));
          if (k === 3) return (v) => psi3(b(v));
          return (v) => f(k, b(v));
        }
      }
      return (v) => f(a(v), b(v));
    }
    default:
      throw new UnsupportedError(`compileInterpreted: node type ${n.type} is not allowed`);
  }
}

/**
 * Compile a whitelisted tree into a closure tree (no code generation) over positional values:
 * `compileInterpreted(node, ['mu', 'sigma'])([0, 1])`. Unknown symbols/functions/node types throw
 * here, at compile time; the returned closure never throws (NaN propagates).
 */
export function compileInterpreted(node: MathNode, names: readonly string[]): InterpretedFn {
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    if (!index.has(name)) index.set(name, i);
  });
  return build(node, index);
}

// ---- Running forward-error analysis (issue 10: "every printed number checked") -----------------

/** Unit roundoff of binary64. */
const U = 2 ** -53;
/** Smallest positive normal double, and the bound used for the rounding error of an underflow. */
const MIN_NORMAL = 2 ** -1022;
const HALF_MIN_SUBNORMAL = Number.MIN_VALUE; // 2^-1075 itself is not representable: bound by 2^-1074

/** Value of an expression with a first-order bound on its absolute rounding error. */
export interface ValueWithError {
  readonly value: number;
  /** Estimated absolute forward error of `value` (propagated rounding errors, first order). */
  readonly error: number;
}

/**
 * Accuracy of each numeric implementation in units of U, relative to |f(x)| (elementary functions
 * are correctly rounded or nearly; the special functions are measured in test/core/special.test.ts).
 */
function implementationUlps(name: string, order: number): number {
  switch (name) {
    case 'log': case 'exp': case 'sqrt': case 'abs': case 'sign': case 'sin': case 'cos': case 'tan': case 'log1p': case 'expm1':
      return 2;
    case 'besselratioderiv':
      return 16 * (order + 1) * (order + 1);
    default:
      return 32;
  }
}

/** |f′(x)| by a central difference (only the magnitude matters for error propagation). */
function slope(f: (x: number) => number, x: number, fx: number): number {
  const h = Math.max(Math.abs(x) * 1e-6, 1e-300);
  let d = (f(x + h) - f(x - h)) / (2 * h);
  if (!Number.isFinite(d)) d = (f(x + h) - fx) / h; // one-sided at a domain edge
  if (!Number.isFinite(d)) d = (fx - f(x - h)) / h;
  return Number.isFinite(d) ? Math.abs(d) : Infinity;
}

/**
 * Evaluates a whitelisted tree like {@link evaluate} and propagates a first-order forward error bound
 * through every node: inputs (scope values) are exact, literals and π/e carry half an ulp, each operation
 * adds its own rounding, and a function f passes |f′(x)|·err(x) on plus its implementation error. A sum of
 * nearly opposite terms keeps the absolute error of its operands while its value shrinks, so the relative
 * error err/|value| exposes catastrophic cancellation. Shared subtrees are evaluated once.
 * @throws like {@link evaluate} (e.g. UnsupportedError for `expect(·)`).
 */
export function evaluateWithError(node: MathNode, scope: Scope): ValueWithError {
  const memo = new Map<MathNode, ValueWithError>();
  const ev = (m: MathNode): ValueWithError => {
    const hit = memo.get(m);
    if (hit) return hit;
    const r = step(m);
    memo.set(m, r);
    return r;
  };
  const step = (m: MathNode): ValueWithError => {
    const n = m as AnyNode;
    switch (n.type) {
      case 'ConstantNode': {
        const v = constantValue(n);
        return { value: v, error: Number.isInteger(v) && Math.abs(v) < 2 ** 53 ? 0 : U * Math.abs(v) };
      }
      case 'SymbolNode': {
        const name = n.name as string;
        const v = lookupScope(scope, name);
        if (v !== undefined) return { value: v, error: 0 };
        const c = BUILTIN_CONSTANTS.get(name);
        if (c !== undefined) return { value: c, error: U * Math.abs(c) };
        throw new Error(`evaluate: unknown symbol "${name}"`);
      }
      case 'ParenthesisNode':
        return ev(n.content as MathNode);
      case 'OperatorNode': {
        const fn = n.fn as string;
        const args = n.args as MathNode[];
        if (args.length === 1) {
          const a = ev(args[0]);
          if (fn === 'unaryMinus') return { value: -a.value, error: a.error };
          if (fn === 'unaryPlus') return a;
          throw new UnsupportedError(`evaluate: operator "${fn}" is not allowed`);
        }
        if (args.length !== 2) throw new UnsupportedError(`evaluate: operator "${fn}" with ${args.length} arguments`);
        const a = ev(args[0]);
        const b = ev(args[1]);
        const v = binary(fn, a.value, b.value);
        const av = Math.abs(a.value), bv = Math.abs(b.value), vv = Math.abs(v);
        let e: number;
        switch (fn) {
          case 'add':
          case 'subtract':
            e = a.error + b.error;
            break;
          case 'multiply':
            e = av * b.error + bv * a.error;
            break;
          case 'divide':
            e = (a.error + vv * b.error) / bv;
            break;
          default: {
            // pow: |∂v/∂a| = |b v/a|, |∂v/∂b| = |v log a|
            const da = b.error === 0 && Number.isInteger(b.value) && a.value === 0 ? 0 : Math.abs((b.value * v) / a.value);
            e = (Number.isFinite(da) ? da : 0) * a.error + (b.error === 0 ? 0 : vv * Math.abs(Math.log(av)) * b.error);
            e += Number.isInteger(b.value) ? Math.log2(Math.abs(b.value) + 1) * U * vv : 2 * U * vv;
          }
        }
        // Underflow: a product or quotient of non-zero operands that lands below the normal range loses
        // up to half the smallest subnormal (a result flushed to 0 has lost every digit).
        if (vv < MIN_NORMAL && (fn === 'multiply' || fn === 'divide' || fn === 'pow') && a.value !== 0 && b.value !== 0) e += HALF_MIN_SUBNORMAL;
        // an operand that overflowed (or is NaN) behind a finite result: no digit of the result can be trusted
        if (Number.isFinite(v) && (!Number.isFinite(a.value) || !Number.isFinite(b.value))) return { value: v, error: Infinity };
        return { value: v, error: Number.isNaN(e) ? Infinity : e + U * vv };
      }
      case 'FunctionNode': {
        const args = n.args as MathNode[];
        const name = calleeName(n);
        const f = specialFor(name, args.length);
        const vals = args.map(ev);
        const last = vals[vals.length - 1];
        const lead = vals.slice(0, -1).map((a) => a.value);
        const g = (x: number) => f(...lead, x);
        const v = g(last.value);
        const order = lead.length > 0 ? lead[0] : 0;
        const prop = last.error === 0 ? 0 : slope(g, last.value, v) * last.error;
        if (Number.isFinite(v) && vals.some((a) => !Number.isFinite(a.value))) return { value: v, error: Infinity };
        const under = name === 'exp' && Math.abs(v) < MIN_NORMAL ? HALF_MIN_SUBNORMAL : 0;
        return { value: v, error: prop + under + implementationUlps(name, order) * U * Math.abs(v) };
      }
      default:
        throw new UnsupportedError(`evaluate: node type ${n.type} is not allowed`);
    }
  };
  return ev(node);
}
