/**
 * Own rule-table differentiator over mathjs trees (not mathjs `derivative`, which throws on lgamma
 * and friends, and not nerdamer `diff`, which silently mis-parses unknown functions).
 *
 * Every function of src/core/functions.ts has a rule in {@link RULES} (checked by a test).
 * Only the parameter named by `wrt` has a non-zero derivative: data variables, fixed constants
 * (spec.constants), `pi` and `e` are constants with respect to θ.
 *
 * The internal node `expect(f)` (E_θ[f]) is differentiated with the score identity
 * ∂_m E[f] = E[∂_m f + f·∂_m l], which needs the log-density l: pass it in the context.
 */
import type { MathNode } from 'mathjs';
import { normalizerDerivative } from '../core/normalizer.js';
import {
  ONE,
  ZERO,
  add,
  argsOf,
  constValue,
  div,
  fn,
  fnName,
  foldTree,
  mul,
  neg,
  num,
  opOf,
  pow,
  sub,
  sym,
  symbolName,
  type AnyNode,
  type Expr,
} from './build.js';

/** d f(u) / du for a one-argument function, as a tree in u. */
export type Rule = (u: Expr) => Expr;

/**
 * Derivative rules of the whitelisted one-argument functions: RULES[f](u) = f′(u).
 * `polygamma(n, u)` and `besselratioderiv(n, u)` (n a constant) are handled separately: ∂ f(n,u) = f(n+1,u)·u′.
 */
export const RULES: Readonly<Record<string, Rule>> = Object.freeze({
  __proto__: null,
  log: (u: Expr) => div(ONE, u),
  exp: (u: Expr) => fn('exp', u),
  sqrt: (u: Expr) => div(ONE, mul(num(2), fn('sqrt', u))),
  abs: (u: Expr) => fn('sign', u),
  sign: () => ZERO, // almost everywhere
  sin: (u: Expr) => fn('cos', u),
  cos: (u: Expr) => neg(fn('sin', u)),
  tan: (u: Expr) => add(ONE, pow(fn('tan', u), num(2))),
  log1p: (u: Expr) => div(ONE, add(ONE, u)),
  expm1: (u: Expr) => fn('exp', u),
  lgamma: (u: Expr) => fn('digamma', u),
  digamma: (u: Expr) => fn('trigamma', u),
  trigamma: (u: Expr) => fn('polygamma', num(2), u),
  logbesseli0: (u: Expr) => fn('besselratio', u),
  // A′(k) = 1 − A/k − A², kept as its own function (the difference cancels catastrophically for large k)
  besselratio: (u: Expr) => fn('besselratioderiv', ONE, u),
  besseli0: (u: Expr) => fn('besseli1', u),
  // I1′(k) = I0(k) − I1(k)/k
  besseli1: (u: Expr) => sub(fn('besseli0', u), div(fn('besseli1', u), u)),
  // erf′ = 2/√π e^{−u²}, erfc′ = −erf′
  erf: (u: Expr) => div(mul(num(2), fn('exp', neg(pow(u, num(2))))), fn('sqrt', sym('pi'))),
  erfc: (u: Expr) => neg(div(mul(num(2), fn('exp', neg(pow(u, num(2))))), fn('sqrt', sym('pi')))),
  // Φ′ = φ(u) = e^{−u²/2}/√(2π); (log Φ)′ = φ/Φ = normratio; normratio′ = −r (u + r)
  normcdf: (u: Expr) => div(fn('exp', neg(div(pow(u, num(2)), num(2)))), fn('sqrt', mul(num(2), sym('pi')))),
  lognormcdf: (u: Expr) => fn('normratio', u),
  normratio: (u: Expr) => neg(mul(fn('normratio', u), add(u, fn('normratio', u)))),
  // K0′ = −K1, K1′ = −K0 − K1/u; (log K0)′ = −1/r, (log K1)′ = −r − 1/u, r = K0/K1, r′ = r² + r/u − 1
  besselk0: (u: Expr) => neg(fn('besselk1', u)),
  besselk1: (u: Expr) => neg(add(fn('besselk0', u), div(fn('besselk1', u), u))),
  logbesselk0: (u: Expr) => neg(div(ONE, fn('besselkratio', u))),
  logbesselk1: (u: Expr) => neg(add(fn('besselkratio', u), div(ONE, u))),
  besselkratio: (u: Expr) => sub(add(pow(fn('besselkratio', u), num(2)), div(fn('besselkratio', u), u)), ONE),
} as unknown as Record<string, Rule>);

/** Functions with a rule of their own (two-argument or internal). */
export const SPECIAL_RULES: readonly string[] = ['polygamma', 'besselratioderiv', 'lbeta', 'expect'];

/**
 * Two-argument functions f(n, u) with a constant order n whose derivative is the next order:
 * ∂ f(n, u) = f(n+1, u)·u′ (ψ_n → ψ_{n+1}; A^{(n)} → A^{(n+1)}, each order computed without cancellation).
 */
const ORDER_FUNCTIONS: ReadonlySet<string> = new Set(['polygamma', 'besselratioderiv']);

export interface DiffContext {
  /** The log-density l(x; θ), needed to differentiate `expect(f)` nodes. */
  readonly logDensity?: Expr;
}

type Memo = Map<string, WeakMap<object, Expr>>;

/**
 * ∂ node / ∂ wrt. Results are memoised per (node object, wrt) within the given memo, so shared
 * subtrees are differentiated once.
 * @throws Error for a function without a rule or an unsupported node type.
 */
export function differentiate(node: Expr, wrt: string, ctx: DiffContext = {}, memo: Memo = GLOBAL_MEMO): Expr {
  let m = memo.get(wrt);
  if (!m) memo.set(wrt, (m = new WeakMap()));
  const hit = m.get(node);
  if (hit) return hit;
  const r = d(node, wrt, ctx, memo);
  m.set(node, r);
  return r;
}

// The memo is keyed by node object identity; trees are immutable, so a global memo is safe as long
// as `expect` contexts agree. Expect nodes bypass the memo (their derivative depends on the context).
const GLOBAL_MEMO: Memo = new Map();

function d(node: Expr, wrt: string, ctx: DiffContext, memo: Memo): Expr {
  const a = node as AnyNode;
  const D = (n: Expr) => (containsExpect(n) ? d(n, wrt, ctx, memo) : differentiate(n, wrt, ctx, memo));
  switch (a.type) {
    case 'ConstantNode':
      return ZERO;
    case 'SymbolNode': {
      const name = symbolName(node) as string;
      if (name === wrt) return ONE;
      // ∂ of a series normaliser's log Z (or of one of its derivatives) is the next derivative symbol.
      const dn = normalizerDerivative(name, wrt);
      return dn === null ? ZERO : sym(dn);
    }
    case 'ParenthesisNode':
      return D(a.content!);
    case 'OperatorNode': {
      const [u, v] = argsOf(node);
      switch (opOf(node)) {
        case 'unaryPlus':
          return D(u);
        case 'unaryMinus':
          return neg(D(u));
        case 'add':
          return add(D(u), D(v));
        case 'subtract':
          return sub(D(u), D(v));
        case 'multiply':
          return add(mul(D(u), v), mul(u, D(v)));
        case 'divide': {
          const du = D(u);
          const dv = D(v);
          if (constValue(dv) === 0) return div(du, v);
          // (u/v)' = u'/v − u v'/v²
          return sub(div(du, v), div(mul(u, dv), pow(v, num(2))));
        }
        case 'pow': {
          const du = D(u);
          const dv = D(v);
          const c = constValue(v);
          if (c !== undefined || constValue(dv) === 0) {
            // constant exponent: c u^(c−1) u'
            if (constValue(du) === 0) return ZERO;
            const e = c !== undefined ? num(c - 1) : sub(v, ONE);
            return mul(mul(v, pow(u, e)), du);
          }
          // general: (u^v)' = u^v (v' log u + v u'/u)
          return mul(node, add(mul(dv, fn('log', u)), div(mul(v, du), u)));
        }
        default:
          throw new Error(`differentiate: operator "${String(a.fn)}" is not supported`);
      }
    }
    case 'FunctionNode': {
      const name = fnName(node);
      const args = argsOf(node);
      if (name !== undefined && ORDER_FUNCTIONS.has(name)) {
        const n = constValue(args[0]);
        if (n === undefined) throw new Error(`differentiate: ${name} order must be a constant`);
        const du = D(args[1]);
        return constValue(du) === 0 ? ZERO : mul(fn(name, num(n + 1), args[1]), du);
      }
      if (name === 'lbeta') {
        // ∂ log B(a, b) = (ψ(a) − ψ(a+b)) a′ + (ψ(b) − ψ(a+b)) b′
        const [a, b] = args;
        const psiAB = fn('digamma', add(a, b));
        const da = D(a);
        const db = D(b);
        const ta = constValue(da) === 0 ? ZERO : mul(sub(fn('digamma', a), psiAB), da);
        const tb = constValue(db) === 0 ? ZERO : mul(sub(fn('digamma', b), psiAB), db);
        return add(ta, tb);
      }
      if (name === 'expect') {
        const l = ctx.logDensity;
        if (!l) throw new Error('differentiate: expect(·) needs the log-density in the context');
        const f = args[0];
        // ∂ E[f] = E[∂f + f ∂l]
        const inner = add(D(f), mul(f, differentiate(l, wrt, {}, memo)));
        return constValue(inner) === 0 ? ZERO : fn('expect', inner);
      }
      if (name === undefined || !Object.hasOwn(RULES, name)) {
        throw new Error(`differentiate: no derivative rule for function "${String(name)}"`);
      }
      if (name === 'log') return logDerivative(args[0], D);
      const du = D(args[0]);
      if (constValue(du) === 0) return ZERO;
      return mul(RULES[name](args[0]), du);
    }
    default:
      throw new Error(`differentiate: node type ${a.type} is not supported`);
  }
}

/**
 * d log(u): split products, quotients and constant powers first (d log(a/b) = a′/a − b′/b,
 * d log(a^c) = c·a′/a), which keeps derivatives of natural parameters like log(p/(1−p)) small.
 */
function logDerivative(u: Expr, D: (n: Expr) => Expr): Expr {
  const o = opOf(u);
  const [a, b] = argsOf(u);
  if (o === 'multiply') return add(logDerivative(a, D), logDerivative(b, D));
  if (o === 'divide') return sub(logDerivative(a, D), logDerivative(b, D));
  if (o === 'unaryMinus') return logDerivative(a, D);
  if (o === 'pow' && constValue(b) !== undefined) return mul(b, logDerivative(a, D));
  if (fnName(u) === 'sqrt') return div(logDerivative(a, D), num(2));
  if (fnName(u) === 'exp') return D(a);
  const du = D(u);
  if (constValue(du) === 0) return ZERO;
  return div(du, u);
}

const expectCache = new WeakMap<object, boolean>();

/** True when the tree contains an `expect(·)` node. Memoised per node, iterative. */
export function containsExpect(n: Expr): boolean {
  return foldTree(n, expectCache, (m, ks) => fnName(m) === 'expect' || ks.some(Boolean));
}

/** ∂^k l / ∂θ_{i1} … ∂θ_{ik} for a list of parameter names, memoised through the shared memo. */
export function partial(node: Expr, wrt: readonly string[], ctx: DiffContext = {}): Expr {
  let r = node;
  for (const w of wrt) r = differentiate(r, w, ctx);
  return r;
}

export type { MathNode };
