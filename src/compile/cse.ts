/**
 * Common-subexpression elimination over a bundle of whitelisted mathjs trees.
 *
 * Every subtree of every output is hash-consed into one DAG (`IR`): a node is keyed by a structural
 * string of its operator and the ids of its children, so a subtree that occurs twice anywhere in the
 * bundle (e.g. `trigamma(alpha)` in all eight gamma Christoffel symbols) becomes one node. Node ids
 * are assigned in post-order, so increasing id is a valid evaluation order.
 *
 * Normalisation while building (all exact in IEEE arithmetic, so the value never changes):
 * parentheses and unary plus dropped; operands of the commutative binary + and * sorted by id;
 * x + 0, x − 0, x·1, x/1, x^1 and −(−x) folded; operations on constants folded when the result is
 * finite (with the same implementation generated code would call). Accuracy rewrites (the value
 * changes only by rounding): 1 − e^u → −expm1(u), e^u − 1 → expm1(u); with the 'unit' complement
 * also log x → logc(x, 1 − x) and 1 − x^c → −expm1(c·logc(x, 1 − x)). Symbols resolve to indexed
 * inputs (θ, x, a second θ for KL, expectation values) or to numbers (fixed constants, `pi`, `e`);
 * names themselves never reach the IR.
 */
import type { MathNode } from 'mathjs';
import { UnsupportedError } from '../core/errors.js';
import { BUILTIN_CONSTANTS, FUNCTIONS } from '../core/functions.js';
import { applyBinary, BINARY_OPS, type AnyNode, type BinaryOp } from '../core/evaluate.js';
import { FUNCTION_TABLE, functionKey } from './functionTable.js';

/** Input arrays a generated closure may read: θ, data x, a second θ (`to` of KL), expectation values. */
export type InputKind = 't' | 'x' | 'u' | 'e';

export type IRNode =
  | { readonly op: 'const'; readonly value: number }
  | { readonly op: 'in'; readonly kind: InputKind; readonly index: number }
  | { readonly op: BinaryOp; readonly args: readonly [number, number] }
  | { readonly op: 'neg'; readonly args: readonly [number] }
  | { readonly op: 'call'; readonly fn: string; readonly args: readonly number[] };

/** What a symbol stands for. */
export type SymbolRef = { readonly kind: InputKind; readonly index: number } | { readonly value: number };

export interface IR {
  readonly nodes: readonly IRNode[];
  /** Node id of each output. */
  readonly outputs: readonly number[];
  /** Per node: depends on the data variables (directly or through an expectation-free path). */
  readonly xdep: readonly boolean[];
  /** Per node: number of parents plus number of outputs referring to it. */
  readonly uses: readonly number[];
}

/** Called for each `expect(f)` node met; returns the index of its expectation input. */
export type ExpectHandler = (f: MathNode) => number;

/** Applies one IR operation to numbers (the semantics generated code implements). */
export function applyOp(node: IRNode, a: number, b: number, rest?: readonly number[]): number {
  switch (node.op) {
    case 'add':
    case 'sub':
    case 'mul':
    case 'div':
    case 'pow':
      return applyBinary(node.op, a, b);
    case 'neg':
      return -a;
    case 'call':
      return rest ? FUNCTION_TABLE[node.fn](...rest) : FUNCTION_TABLE[node.fn](a);
    default:
      return NaN;
  }
}

/** Builder of one hash-consed DAG; add several bundles' trees to share work between them. */
export class IRBuilder {
  readonly nodes: IRNode[] = [];
  private readonly keys = new Map<string, number>();

  /**
   * @param resolve symbol → input or constant
   * @param onExpect handler of `expect(f)` nodes (none: they are rejected)
   * @param complement 'unit': rewrite `1 − x₀` to the input x[1]; 'simplex': rewrite `1 − x₀ − x₁`
   *   to the input x[2]. The caller sets that input to the accurately computed complement
   *   (quadrature near the far edge, see integrateOver's `complement`).
   */
  constructor(
    private readonly resolve: (name: string) => SymbolRef | undefined,
    private readonly onExpect?: ExpectHandler,
    private readonly complement?: 'unit' | 'simplex',
  ) {}

  private isData(id: number, index: number): boolean {
    const n = this.nodes[id];
    return n.op === 'in' && n.kind === 'x' && n.index === index;
  }

  private intern(key: string, node: IRNode): number {
    const hit = this.keys.get(key);
    if (hit !== undefined) return hit;
    const id = this.nodes.length;
    this.nodes.push(node);
    this.keys.set(key, id);
    return id;
  }

  constant(value: number): number {
    if (!Number.isFinite(value)) throw new UnsupportedError(`compile: constant ${value} is not finite`);
    // Object.is distinguishes −0, whose String() would lose the sign.
    return this.intern(Object.is(value, -0) ? 'k:-0' : `k:${value}`, { op: 'const', value });
  }

  input(kind: InputKind, index: number): number {
    return this.intern(`i:${kind}${index}`, { op: 'in', kind, index });
  }

  private constValue(id: number): number | undefined {
    const n = this.nodes[id];
    return n.op === 'const' ? n.value : undefined;
  }

  /** Folded constant when all arguments are constants and the result is finite. */
  private tryFold(node: IRNode, args: readonly number[]): number | undefined {
    const vals = args.map((a) => this.constValue(a));
    if (vals.some((v) => v === undefined)) return undefined;
    const v = vals as number[];
    const r = node.op === 'call' ? FUNCTION_TABLE[node.fn](...v) : applyOp(node, v[0], v[1]);
    return Number.isFinite(r) ? this.constant(r) : undefined;
  }

  binary(op: BinaryOp, a: number, b: number): number {
    const ca = this.constValue(a);
    const cb = this.constValue(b);
    // Exact identities only.
    // x + 0 = x and x − 0 = x (up to the sign of a zero x).
    if ((op === 'add' || op === 'sub') && cb === 0 && !Object.is(cb, -0)) return a;
    if (op === 'add' && ca === 0 && !Object.is(ca, -0)) return b;
    if (op === 'sub' && ca === 0 && !Object.is(ca, -0)) return this.neg(b);
    if (this.complement === 'unit' && op === 'sub' && ca === 1 && this.isData(b, 0)) return this.input('x', 1);
    if (this.complement === 'simplex' && op === 'sub' && this.isData(b, 1)) {
      const na = this.nodes[a];
      if (na.op === 'sub' && this.constValue(na.args[0]) === 1 && this.isData(na.args[1], 0)) return this.input('x', 2);
    }
    // 1 − E and E − 1 without cancellation (E = e^u, or x^c on the unit interval): −expm1(u), expm1(u).
    if (op === 'sub' && ca === 1) {
      const u = this.expArgument(b);
      if (u !== undefined) return this.neg(this.call('expm1', [u]));
    }
    if (op === 'sub' && cb === 1) {
      const u = this.expArgument(a);
      if (u !== undefined) return this.call('expm1', [u]);
    }
    if (op === 'add' && (ca === 1 || cb === 1)) {
      const other = this.nodes[ca === 1 ? b : a];
      const u = other.op === 'neg' ? this.expArgument(other.args[0]) : undefined;
      if (u !== undefined) return this.neg(this.call('expm1', [u]));
    }
    if ((op === 'mul' || op === 'div' || op === 'pow') && cb === 1) return a;
    if (op === 'mul' && ca === 1) return b;
    if ((op === 'add' || op === 'mul') && a > b) [a, b] = [b, a];
    const node: IRNode = { op, args: [a, b] };
    return this.tryFold(node, [a, b]) ?? this.intern(`${op}:${a},${b}`, node);
  }

  neg(a: number): number {
    const n = this.nodes[a];
    if (n.op === 'neg') return n.args[0];
    const node: IRNode = { op: 'neg', args: [a] };
    return this.tryFold(node, [a]) ?? this.intern(`neg:${a}`, node);
  }

  /**
   * u when node `id` is e^u, or, on the unit interval ('unit' complement), x^c = e^{c·log x} with
   * log x computed from the nearer end (see {@link call}); else undefined. Lets 1 − x^a near x = 1
   * be evaluated as −expm1(a·log1p(−(1 − x))), accurate to the last node tanh-sinh places there.
   */
  private expArgument(id: number): number | undefined {
    const n = this.nodes[id];
    if (n.op === 'call' && n.fn === 'exp') return n.args[0];
    if (this.complement === 'unit' && n.op === 'pow' && this.isData(n.args[0], 0)) {
      return this.binary('mul', n.args[1], this.call('log', [n.args[0]]));
    }
    return undefined;
  }

  call(fn: string, args: number[]): number {
    // On the unit interval log x reads the accurate complement near x = 1: logc(x, 1 − x).
    if (this.complement === 'unit' && fn === 'log' && args.length === 1 && this.isData(args[0], 0)) {
      fn = 'logc';
      args = [args[0], this.input('x', 1)];
    }
    const node: IRNode = { op: 'call', fn, args };
    return this.tryFold(node, args) ?? this.intern(`call:${fn}(${args.join(',')})`, node);
  }

  /** Node id per tree node object already added (derived trees are DAGs: shared subtrees are added once). */
  private readonly added = new WeakMap<object, number>();

  /** Adds one tree; returns its node id. Throws UnsupportedError on anything outside the whitelist. */
  add(tree: MathNode): number {
    const hit = this.added.get(tree);
    if (hit !== undefined) return hit;
    const id = this.addNode(tree);
    this.added.set(tree, id);
    return id;
  }

  private addNode(tree: MathNode): number {
    const n = tree as AnyNode;
    switch (n.type) {
      case 'ConstantNode': {
        if (typeof n.value !== 'number') throw new UnsupportedError('compile: non-numeric constant');
        return this.constant(n.value);
      }
      case 'SymbolNode': {
        const name = n.name as string;
        const ref = this.resolve(name) ?? (BUILTIN_CONSTANTS.has(name) ? { value: BUILTIN_CONSTANTS.get(name) as number } : undefined);
        if (!ref) throw new UnsupportedError(`compile: unknown symbol "${name}"`);
        return 'value' in ref ? this.constant(ref.value) : this.input(ref.kind, ref.index);
      }
      case 'ParenthesisNode':
        return this.add(n.content as MathNode);
      case 'OperatorNode': {
        const fn = n.fn as string;
        const args = n.args as MathNode[];
        if (args.length === 1) {
          if (fn === 'unaryPlus') return this.add(args[0]);
          if (fn === 'unaryMinus') return this.neg(this.add(args[0]));
        } else if (args.length === 2 && Object.hasOwn(BINARY_OPS, fn)) {
          return this.binary(BINARY_OPS[fn], this.add(args[0]), this.add(args[1]));
        }
        throw new UnsupportedError(`compile: operator "${fn}" is not allowed`);
      }
      case 'FunctionNode': {
        const callee = n.fn as AnyNode;
        const args = n.args as MathNode[];
        if (!callee || callee.type !== 'SymbolNode') throw new UnsupportedError('compile: function callee must be a plain name');
        const name = callee.name as string;
        if (name === 'expect' && args.length === 1) {
          if (!this.onExpect) throw new UnsupportedError('compile: expect(·) needs quadrature (not available here)');
          return this.input('e', this.onExpect(args[0]));
        }
        const info = FUNCTIONS.get(name);
        const key = functionKey(name);
        if (!info || key === undefined) throw new UnsupportedError(`compile: unknown function "${name}"`);
        if (info.arity !== args.length) throw new UnsupportedError(`compile: ${key} takes ${info.arity} argument(s)`);
        const ids = args.map((a) => this.add(a));
        if (key === 'polygamma') {
          const order = this.constValue(ids[0]);
          if (order === 0) return this.call('digamma', [ids[1]]);
          if (order === 1) return this.call('trigamma', [ids[1]]);
          if (order === 2) return this.call('psi2', [ids[1]]);
          if (order === 3) return this.call('psi3', [ids[1]]);
        }
        return this.call(key, ids);
      }
      default:
        throw new UnsupportedError(`compile: node type ${n.type} is not allowed`);
    }
  }

  /** Snapshot with dependency and use counts for the given outputs (only nodes reachable from them count). */
  finish(outputs: readonly number[]): IR {
    const nodes = this.nodes.slice();
    const uses = new Array<number>(nodes.length).fill(0);
    const reach = new Array<boolean>(nodes.length).fill(false);
    const stack = [...outputs];
    for (const o of outputs) uses[o]++;
    while (stack.length) {
      const id = stack.pop() as number;
      if (reach[id]) continue;
      reach[id] = true;
      const n = nodes[id];
      if ('args' in n) for (const a of n.args) {
        uses[a]++;
        stack.push(a);
      }
    }
    const xdep = nodes.map(() => false);
    nodes.forEach((n, id) => {
      if (n.op === 'in') xdep[id] = n.kind === 'x';
      else if ('args' in n) xdep[id] = n.args.some((a) => xdep[a]);
    });
    return { nodes, outputs: outputs.slice(), xdep, uses };
  }
}

/**
 * Number of arithmetic operations and calls in the trees as written (no sharing), for CSE statistics.
 * Counted per node object once (memoised), so a DAG with shared subtrees costs its DAG size.
 */
export function treeOpCount(trees: readonly MathNode[]): number {
  const memo = new WeakMap<object, number>();
  const count = (t: MathNode): number => {
    const hit = memo.get(t);
    if (hit !== undefined) return hit;
    const n = t as AnyNode;
    let c = 0;
    if (n.type === 'ParenthesisNode') c = count(n.content as MathNode);
    else if (n.type === 'OperatorNode' || n.type === 'FunctionNode') {
      if (!(n.type === 'OperatorNode' && n.fn === 'unaryPlus')) c = 1;
      for (const a of n.args as MathNode[]) c += count(a);
    }
    memo.set(t, c);
    return c;
  };
  return trees.reduce((s, t) => s + count(t), 0);
}
