/**
 * Node constructors over mathjs trees with cheap folding at construction, so that derivative trees
 * stay small: 0 + u, u·1, 0·u, u^1, u^0, −(−u), constant arithmetic (when the result is exact),
 * exp(log u) → u, log(exp u) → u, (u^a)^b → u^(ab) for an integer constant b, c1·(c2·u) → (c1c2)·u.
 *
 * Trees built here never contain ParenthesisNode or unaryPlus; {@link strip} removes them from
 * parsed input. Negative numbers are built as unaryMinus of a positive constant, so printed output
 * never shows `a * -2`.
 */
import { ConstantNode, FunctionNode, OperatorNode, SymbolNode } from '../core/mathjs.js';
import type { MathNode } from 'mathjs';
import type { AnyNode } from '../core/evaluate.js';

export type Expr = MathNode;

/** Loose view of a mathjs node (the fields the walkers read). */
export type { AnyNode };

const as = (n: Expr): AnyNode => n as AnyNode;

// ---------- inspection ----------

/** Numeric value of a constant node (also of −c built as unaryMinus), else undefined. */
export function constValue(n: Expr): number | undefined {
  const a = as(n);
  if (a.type === 'ConstantNode' && typeof a.value === 'number') return a.value;
  if (a.type === 'OperatorNode' && a.fn === 'unaryMinus') {
    const v = constValue(a.args![0]);
    return v === undefined ? undefined : -v;
  }
  if (a.type === 'ParenthesisNode') return constValue(a.content!);
  return undefined;
}

export const isConst = (n: Expr, v?: number): boolean => {
  const c = constValue(n);
  return c !== undefined && (v === undefined || c === v);
};

/** Operator function name ('add', 'multiply', ...) or undefined. */
export function opOf(n: Expr): string | undefined {
  const a = as(n);
  return a.type === 'OperatorNode' ? (a.fn as string) : undefined;
}

/** Callee name of a FunctionNode, or undefined. */
export function fnName(n: Expr): string | undefined {
  const a = as(n);
  if (a.type !== 'FunctionNode') return undefined;
  const f = a.fn as AnyNode;
  return f && f.type === 'SymbolNode' ? String(f.name) : undefined;
}

export const argsOf = (n: Expr): MathNode[] => as(n).args ?? [];

export function symbolName(n: Expr): string | undefined {
  const a = as(n);
  return a.type === 'SymbolNode' ? String(a.name) : undefined;
}

const keyCache = new WeakMap<object, string>();

/** Children of a node in evaluation order (ParenthesisNode: its content). */
function kids(n: Expr): readonly Expr[] {
  const a = as(n);
  if (a.type === 'ParenthesisNode') return [a.content!];
  return a.args ?? [];
}

/**
 * Post-order fold over a tree with an explicit stack (no recursion, so any depth is safe), memoised
 * per node object in `memo` (shared subtrees of a DAG are visited once).
 */
export function foldTree<T>(root: Expr, memo: WeakMap<object, T>, combine: (n: Expr, kids: T[]) => T): T {
  const hit = memo.get(root);
  if (hit !== undefined) return hit;
  const stack: Expr[] = [root];
  const expanded: boolean[] = [false];
  while (stack.length > 0) {
    const top = stack.length - 1;
    const n = stack[top];
    if (memo.has(n)) {
      stack.pop();
      expanded.pop();
      continue;
    }
    const cs = kids(n);
    if (!expanded[top]) {
      expanded[top] = true;
      for (let i = cs.length - 1; i >= 0; i--) if (!memo.has(cs[i])) {
        stack.push(cs[i]);
        expanded.push(false);
      }
      continue;
    }
    stack.pop();
    expanded.pop();
    memo.set(n, combine(n, cs.map((c) => memo.get(c) as T)));
  }
  return memo.get(root) as T;
}

/** Structural key: equal keys ⇔ equal trees (after strip). Memoised per node; iterative. */
export function key(n: Expr): string {
  return foldTree(n, keyCache, (m, ks) => {
    const a = as(m);
    switch (a.type) {
      case 'ConstantNode':
        return String(a.value);
      case 'SymbolNode':
        return String(a.name);
      case 'ParenthesisNode':
        return ks[0];
      case 'OperatorNode':
        return `${a.fn as string}(${ks.join(',')})`;
      case 'FunctionNode':
        return `${fnName(m)}[${ks.join(',')}]`;
      default:
        return `?${a.type}:${m.toString()}`;
    }
  });
}

/**
 * Structural equality. Two distinct nodes built by the hash-consing constructors of this module in
 * the same intern generation are never equal, which avoids building keys of large trees.
 */
export const same = (a: Expr, b: Expr): boolean => {
  if (a === b) return true;
  const ga = internGeneration.get(a);
  if (ga !== undefined && ga === internGeneration.get(b) && canonical.has(a) && canonical.has(b)) return false;
  return key(a) === key(b);
};

const sizeCache = new WeakMap<object, number>();

/** Number of nodes of a tree (shared subtrees counted each time they occur). Memoised, iterative: O(DAG). */
export function size(n: Expr): number {
  return foldTree(n, sizeCache, (_m, ks) => {
    let s = 1;
    for (const k of ks) s += k;
    return s;
  });
}

const depthCache = new WeakMap<object, number>();

/** Depth of a tree (a leaf has depth 1). Memoised, iterative. */
export function depth(n: Expr): number {
  return foldTree(n, depthCache, (_m, ks) => {
    let d = 0;
    for (const k of ks) if (k > d) d = k;
    return d + 1;
  });
}

/** Number of distinct node objects reachable from the roots (the size of the DAG). */
export function dagSize(roots: readonly Expr[]): number {
  const seen = new Set<object>();
  const stack = [...roots];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const c of kids(n)) if (!seen.has(c)) stack.push(c);
  }
  return seen.size;
}

/** True when the tree mentions any of the given symbol names. Memoised per (node, name set); iterative. */
export function dependsOn(n: Expr, names: ReadonlySet<string>): boolean {
  let memo = depCache.get(names);
  if (!memo) depCache.set(names, (memo = new WeakMap()));
  return foldTree(n, memo, (m, ks) => (as(m).type === 'SymbolNode' ? names.has(String(as(m).name)) : ks.some(Boolean)));
}
const depCache = new WeakMap<ReadonlySet<string>, WeakMap<object, boolean>>();

const fnCache = new WeakMap<ReadonlySet<string>, WeakMap<object, boolean>>();

/** True when the tree contains a call to one of the named functions. Memoised per (node, name set); iterative. */
export function containsFunction(n: Expr, names: ReadonlySet<string>): boolean {
  let memo = fnCache.get(names);
  if (!memo) fnCache.set(names, (memo = new WeakMap()));
  return foldTree(n, memo, (m, ks) => {
    const f = fnName(m);
    return (f !== undefined && names.has(f)) || ks.some(Boolean);
  });
}

const constNumberCache = new WeakMap<object, number | null>();
const PI_E: ReadonlyMap<string, number> = new Map([
  ['pi', Math.PI],
  ['e', Math.E],
]);

/**
 * Value of a symbol-free subtree (numbers, pi, e, + − · / ^), or null when it has other symbols or
 * functions. Memoised, iterative. Used so that folding never hides a non-finite constant.
 */
function constNumber(n: Expr): number | null {
  return foldTree<number | null>(n, constNumberCache, (m, vs) => {
    const a = as(m);
    if (a.type === 'ConstantNode') return typeof a.value === 'number' ? a.value : null;
    if (a.type === 'SymbolNode') return PI_E.get(String(a.name)) ?? null;
    if (vs.some((v) => v === null)) return null;
    const [x, y] = vs as number[];
    if (a.type === 'ParenthesisNode') return x;
    if (a.type !== 'OperatorNode') return null;
    switch (a.fn) {
      case 'add': return x + y;
      case 'subtract': return x - y;
      case 'multiply': return x * y;
      case 'divide': return x / y;
      case 'pow': return Math.pow(x, y);
      case 'unaryMinus': return -x;
      case 'unaryPlus': return x;
      default: return null;
    }
  });
}

/** True for a symbol-free subtree whose value is NaN or ±Infinity (e.g. 1/0): never folded away. */
export function isNonFiniteConstant(n: Expr): boolean {
  const v = constNumber(n);
  return v !== null && !Number.isFinite(v);
}

const nonFiniteCache = new WeakMap<object, boolean>();

/**
 * True when some subtree is a non-finite constant or a division by a constant 0 (σ/0): folds such
 * as u − u → 0 and 0·u → 0 are then not applied, and the simplifier leaves the tree alone.
 */
export function containsNonFiniteConstant(n: Expr): boolean {
  return foldTree(n, nonFiniteCache, (m, ks) => ks.some(Boolean) || isNonFiniteConstant(m) || (opOf(m) === 'divide' && zeroOrNonFinite(argsOf(m)[1])));
}

/** True for a symbol-free subtree equal to 0 or non-finite: never divided by (0/0 stays 0/0). */
const zeroOrNonFinite = (n: Expr): boolean => {
  const v = constNumber(n);
  return v !== null && (v === 0 || !Number.isFinite(v));
};

// ---------- exact constant arithmetic ----------

/** A float result is accepted only when it is exact (integers, or dyadic results of small integers). */
function exactOrUndefined(v: number, check: () => boolean): number | undefined {
  if (!Number.isFinite(v)) return undefined;
  return check() ? v : undefined;
}

function foldBinary(fn: string, a: number, b: number): number | undefined {
  switch (fn) {
    case 'add':
      return exactOrUndefined(a + b, () => a + b - b === a);
    case 'subtract':
      return exactOrUndefined(a - b, () => a - b + b === a);
    case 'multiply':
      return exactOrUndefined(a * b, () => Number.isInteger(a) && Number.isInteger(b) && Math.abs(a * b) < 2 ** 53);
    case 'divide':
      if (b === 0) return undefined;
      return exactOrUndefined(a / b, () => Number.isInteger(a / b) && (a / b) * b === a);
    case 'pow':
      if (Number.isInteger(b) && b >= 0 && b <= 64 && Number.isInteger(a)) {
        const v = a ** b;
        return Math.abs(v) < 2 ** 53 ? v : undefined;
      }
      if (Number.isInteger(b) && b < 0 && (a === 1 || a === -1)) return a ** b;
      return undefined;
    default:
      return undefined;
  }
}

// ---------- constructors ----------

// ---------- hash-consing ----------

/**
 * Every node built by the constructors below is hash-consed: a structurally equal node built
 * earlier (same operator or function and the same child objects) is returned instead of a new one,
 * so derivative and simplification memos keyed by node identity see each subexpression once and
 * derived objects are DAGs whose size stays polynomial in the input. The intern table is bounded:
 * when full it is cleared and a new generation starts (sharing with older nodes is then lost, never
 * correctness; {@link same} falls back to structural keys across generations).
 */
const INTERN_LIMIT = 1 << 17;
const internTable = new Map<string, Expr>();
const internGeneration = new WeakMap<object, number>();
const nodeIds = new WeakMap<object, number>();
let nextNodeId = 1;
let generation = 0;

function nodeId(n: Expr): number {
  let id = nodeIds.get(n);
  if (id === undefined) {
    id = nextNodeId++;
    nodeIds.set(n, id);
  }
  return id;
}

/** Nodes whose whole subtree is hash-consed within one generation: structurally equal ⇔ identical. */
const canonical = new WeakSet<object>();

function intern(k: string, make: () => Expr, args: readonly Expr[] = []): Expr {
  const hit = internTable.get(k);
  if (hit !== undefined) return hit;
  if (internTable.size >= INTERN_LIMIT) {
    internTable.clear();
    generation++;
  }
  const n = make();
  internTable.set(k, n);
  internGeneration.set(n, generation);
  if (args.every((c) => canonical.has(c) && internGeneration.get(c) === generation)) canonical.add(n);
  return n;
}

/** A raw (parsed) symbol or number leaf is replaced by its hash-consed twin. */
function canon(n: Expr): Expr {
  if (canonical.has(n)) return n;
  const a = as(n);
  if (a.type === 'SymbolNode') return sym(String(a.name));
  if (a.type === 'ConstantNode' && typeof a.value === 'number') return constant(a.value);
  return n;
}

const constant = (v: number): Expr => intern(`k${Object.is(v, -0) ? '-0' : String(v)}`, () => new ConstantNode(v));

/** Constant (negative values become unaryMinus of a positive constant). */
export function num(v: number): Expr {
  if (v < 0 || Object.is(v, -0)) return v === 0 ? constant(0) : op('-', 'unaryMinus', [constant(-v)]);
  return constant(v);
}

export const sym = (name: string): Expr => intern(`s${name}`, () => new SymbolNode(name));

export const ZERO = num(0);
export const ONE = num(1);

function op(o: string, fn: string, raw: Expr[]): Expr {
  const args = raw.map(canon);
  return intern(`${fn}(${args.map(nodeId).join(',')})`, () => new OperatorNode(o as never, fn as never, args), args);
}

function call(name: string, raw: Expr[]): Expr {
  const args = raw.map(canon);
  return intern(`${name}[${args.map(nodeId).join(',')}]`, () => new FunctionNode(name, args), args);
}

export function neg(a: Expr): Expr {
  const c = constValue(a);
  if (c !== undefined) return num(-c);
  if (opOf(a) === 'unaryMinus') return argsOf(a)[0];
  if (opOf(a) === 'subtract') return sub(argsOf(a)[1], argsOf(a)[0]);
  return op('-', 'unaryMinus', [a]);
}

export function add(a: Expr, b: Expr): Expr {
  const ca = constValue(a);
  const cb = constValue(b);
  if (ca === 0) return b;
  if (cb === 0) return a;
  if (ca !== undefined && cb !== undefined) {
    const v = foldBinary('add', ca, cb);
    if (v !== undefined) return num(v);
  }
  if (opOf(b) === 'unaryMinus') return sub(a, argsOf(b)[0]);
  if (cb !== undefined && cb < 0) return sub(a, num(-cb));
  if (opOf(a) === 'unaryMinus' && ca === undefined) return sub(b, argsOf(a)[0]);
  return op('+', 'add', [a, b]);
}

export function sub(a: Expr, b: Expr): Expr {
  const ca = constValue(a);
  const cb = constValue(b);
  if (cb === 0) return a;
  if (ca === 0) return neg(b);
  if (ca !== undefined && cb !== undefined) {
    const v = foldBinary('subtract', ca, cb);
    if (v !== undefined) return num(v);
  }
  if (same(a, b) && !containsNonFiniteConstant(a)) return ZERO;
  if (opOf(b) === 'unaryMinus') return add(a, argsOf(b)[0]);
  if (cb !== undefined && cb < 0) return add(a, num(-cb));
  return op('-', 'subtract', [a, b]);
}

export function mul(a: Expr, b: Expr): Expr {
  const ca = constValue(a);
  const cb = constValue(b);
  if ((ca === 0 && !containsNonFiniteConstant(b)) || (cb === 0 && !containsNonFiniteConstant(a))) return ZERO;
  if (ca === 1) return b;
  if (cb === 1) return a;
  if (ca === -1) return neg(b);
  if (cb === -1) return neg(a);
  if (ca !== undefined && cb !== undefined) {
    const v = foldBinary('multiply', ca, cb);
    if (v !== undefined) return num(v);
  }
  if (opOf(a) === 'unaryMinus') return neg(mul(argsOf(a)[0], b));
  if (opOf(b) === 'unaryMinus') return neg(mul(a, argsOf(b)[0]));
  // constant first: u·c → c·u; c1·(c2·u) → (c1c2)·u
  if (cb !== undefined && ca === undefined) return mul(b, a);
  if (ca !== undefined && opOf(b) === 'multiply') {
    const c2 = constValue(argsOf(b)[0]);
    if (c2 !== undefined) {
      const v = foldBinary('multiply', ca, c2);
      if (v !== undefined) return mul(num(v), argsOf(b)[1]);
    }
  }
  // u·(1/v) → u/v ; (1/u)·v → v/u
  if (opOf(b) === 'divide' && isConst(argsOf(b)[0], 1)) return div(a, argsOf(b)[1]);
  if (opOf(a) === 'divide' && isConst(argsOf(a)[0], 1)) return div(b, argsOf(a)[1]);
  return op('*', 'multiply', [a, b]);
}

export function div(a: Expr, b: Expr): Expr {
  const ca = constValue(a);
  const cb = constValue(b);
  if (ca === 0 && !zeroOrNonFinite(b) && !containsNonFiniteConstant(b)) return ZERO;
  if (cb === 1) return a;
  if (cb === -1) return neg(a);
  if (ca !== undefined && cb !== undefined) {
    const v = foldBinary('divide', ca, cb);
    if (v !== undefined) return num(v);
  }
  if (opOf(a) === 'unaryMinus') return neg(div(argsOf(a)[0], b));
  if (opOf(b) === 'unaryMinus') return neg(div(a, argsOf(b)[0]));
  if (same(a, b) && !zeroOrNonFinite(a) && !containsNonFiniteConstant(a)) return ONE;
  // (u/v)/w → u/(v·w); u/(v/w) → (u·w)/v
  if (opOf(a) === 'divide') return div(argsOf(a)[0], mul(argsOf(a)[1], b));
  if (opOf(b) === 'divide') return div(mul(a, argsOf(b)[1]), argsOf(b)[0]);
  return op('/', 'divide', [a, b]);
}

export function pow(a: Expr, b: Expr): Expr {
  const ca = constValue(a);
  const cb = constValue(b);
  if (cb === 0) return ONE;
  if (cb === 1) return a;
  if (ca === 1) return ONE;
  if (ca !== undefined && cb !== undefined) {
    const v = foldBinary('pow', ca, cb);
    if (v !== undefined) return num(v);
  }
  if (cb !== undefined && cb < 0 && Number.isInteger(cb)) return div(ONE, pow(a, num(-cb)));
  if (cb !== undefined && Number.isInteger(cb) && opOf(a) === 'pow') {
    const inner = constValue(argsOf(a)[1]);
    if (inner !== undefined) return pow(argsOf(a)[0], num(inner * cb));
  }
  if (cb !== undefined && Number.isInteger(cb) && opOf(a) === 'unaryMinus') {
    const p = pow(argsOf(a)[0], b);
    return cb % 2 === 0 ? p : neg(p);
  }
  if (cb === 0.5) return fn('sqrt', a);
  if (cb !== undefined && Number.isInteger(cb) && cb > 0 && fnName(a) === 'sqrt' && cb % 2 === 0) {
    return pow(argsOf(a)[0], num(cb / 2));
  }
  return op('^', 'pow', [a, b]);
}

/** Exact values of functions at constants (only those that are exact). */
function foldFunction(name: string, args: number[]): number | undefined {
  const [u] = args;
  switch (name) {
    case 'log':
      return u === 1 ? 0 : undefined;
    case 'exp':
      return u === 0 ? 1 : undefined;
    case 'sqrt': {
      const r = Math.sqrt(u);
      return Number.isInteger(r) && r * r === u ? r : undefined;
    }
    case 'abs':
      return Math.abs(u);
    case 'sign':
      return Math.sign(u);
    case 'sin':
    case 'tan':
    case 'log1p':
    case 'expm1':
      return u === 0 ? 0 : undefined;
    case 'cos':
      return u === 0 ? 1 : undefined;
    case 'lgamma':
      return u === 1 || u === 2 ? 0 : undefined;
    default:
      return undefined;
  }
}

/** Function call with folding (exp∘log, log∘exp, exact constant values, exp of a logarithm). */
export function fn(name: string, ...args: Expr[]): Expr {
  const cs = args.map(constValue);
  if (cs.every((c) => c !== undefined)) {
    const v = foldFunction(name, cs as number[]);
    if (v !== undefined) return num(v);
  }
  const u = args[0];
  if (name === 'exp' && args.length === 1) {
    if (fnName(u) === 'log') return argsOf(u)[0];
    if (opOf(u) === 'unaryMinus' && fnName(argsOf(u)[0]) === 'log') return div(ONE, argsOf(argsOf(u)[0])[0]);
    if (opOf(u) === 'multiply' && isConst(argsOf(u)[0]) && fnName(argsOf(u)[1]) === 'log') {
      return pow(argsOf(argsOf(u)[1])[0], argsOf(u)[0]);
    }
    if ((opOf(u) === 'add' || opOf(u) === 'subtract') && hasLogTerm(u)) {
      const [a, b] = argsOf(u);
      return opOf(u) === 'add' ? mul(fn('exp', a), fn('exp', b)) : div(fn('exp', a), fn('exp', b));
    }
  }
  if (name === 'log' && args.length === 1 && fnName(u) === 'exp') return argsOf(u)[0];
  if (name === 'abs' && args.length === 1 && opOf(u) === 'unaryMinus') return fn('abs', argsOf(u)[0]);
  return call(name, args);
}

function hasLogTerm(u: Expr): boolean {
  const o = opOf(u);
  if (o === 'add' || o === 'subtract') return argsOf(u).some(hasLogTerm);
  if (o === 'unaryMinus') return hasLogTerm(argsOf(u)[0]);
  if (o === 'multiply') return isConst(argsOf(u)[0]) && fnName(argsOf(u)[1]) === 'log';
  return fnName(u) === 'log';
}

/** Σ of a list (0 for an empty list). */
export function sum(terms: readonly Expr[]): Expr {
  let s: Expr = ZERO;
  for (const t of terms) s = add(s, t);
  return s;
}

/** Π of a list (1 for an empty list). */
export function product(factors: readonly Expr[]): Expr {
  let p: Expr = ONE;
  for (const f of factors) p = mul(p, f);
  return p;
}

/**
 * Rebuilds a parsed tree through the folding constructors: drops ParenthesisNode and unaryPlus,
 * applies all folds. Symbols and constants are kept as they are.
 */
export function strip(n: Expr): Expr {
  return rebuild(n, (s) => s);
}

/**
 * Rebuilds a tree bottom-up through the folding constructors, replacing each SymbolNode by `leaf(symbol)`.
 * Used for substitution (x = v) and for renaming symbols (θ → θ_to).
 */
export function rebuild(n: Expr, leaf: (s: Expr) => Expr): Expr {
  // iterative post-order with a per-call memo: any depth is safe and shared subtrees are rebuilt once
  return foldTree<Expr>(n, new WeakMap(), (m, xs) => {
    const a = as(m);
    switch (a.type) {
      case 'ConstantNode':
        return num(Number(a.value));
      case 'SymbolNode':
        return leaf(sym(String(a.name)));
      case 'ParenthesisNode':
        return xs[0];
      case 'OperatorNode': {
        switch (a.fn) {
          case 'add':
            return add(xs[0], xs[1]);
          case 'subtract':
            return sub(xs[0], xs[1]);
          case 'multiply':
            return mul(xs[0], xs[1]);
          case 'divide':
            return div(xs[0], xs[1]);
          case 'pow':
            return pow(xs[0], xs[1]);
          case 'unaryMinus':
            return neg(xs[0]);
          case 'unaryPlus':
            return xs[0];
          default:
            throw new Error(`derive: operator "${String(a.fn)}" is not supported`);
        }
      }
      case 'FunctionNode': {
        const name = fnName(m);
        if (name === undefined) throw new Error('derive: function callee must be a plain name');
        return fn(name, ...xs);
      }
      default:
        throw new Error(`derive: node type ${a.type} is not supported`);
    }
  });
}

/** Substitutes symbols by trees (others unchanged), folding on the way. */
export function substitute(n: Expr, map: ReadonlyMap<string, Expr>): Expr {
  return rebuild(n, (s) => map.get(symbolName(s)!) ?? s);
}
