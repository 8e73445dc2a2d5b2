/**
 * Light algebraic simplification for small x-free results (metric, Christoffel symbols, curvature).
 *
 * Normal form: a sum of terms c·Π b_k^{e_k} with a numeric coefficient c and atoms b_k (symbols,
 * function calls with simplified arguments, non-expandable sums) with numeric exponents. Products of
 * small sums are expanded (bounded), like terms are collected, powers of equal atoms are combined,
 * sums are normalised up to a constant factor (so (1 − p1 − p2) and (p1 + p2 − 1) cancel), and
 * c·u·cos(t)² + c·u·sin(t)² → c·u. The result is rebuilt as (numerator)/(common denominator) with
 * rational coefficients.
 *
 * Exactness: every rewrite is an identity wherever the input is defined, except combining a
 * non-integer power of an atom with other powers, which assumes the atom is positive where the
 * input is real (true for square roots). `x/x → 1` is used (valid a.e.).
 * Never call this on x-dependent Hessians of large families (cost grows with expansion).
 */
import {
  ONE,
  ZERO,
  add,
  argsOf,
  constValue,
  containsNonFiniteConstant,
  div,
  fn,
  fnName,
  key,
  mul,
  neg,
  num,
  opOf,
  pow,
  size,
  sub,
  type AnyNode,
  type Expr,
} from './build.js';

interface Factor {
  readonly base: Expr;
  readonly exp: number;
}
interface Term {
  c: number;
  f: Map<string, Factor>;
}
type Poly = Term[];

const EXPAND_LIMIT = 36;

/**
 * Work budget of one top-level simplification (term operations in collect, products and exact
 * division). The expansion and division steps can grow exponentially on deep nestings such as
 * log(1 + log(1 + … σ)); past the budget {@link simplify} gives up and returns its input unchanged
 * (always correct, only less simplified). The costliest simplification of the built-in families
 * takes about 9,000 (mvnormal2), so the budget leaves a margin of ~25×.
 */
export const SIMPLIFY_WORK_BUDGET = 250_000;
/**
 * Trees larger than this (node count with shared subtrees expanded) are not simplified (the largest
 * input simplified for a built-in family has 445 nodes).
 */
export const SIMPLIFY_MAX_NODES = 20_000;

/** Thrown inside the simplifier when the work budget of the current simplification is exhausted. */
export class SimplifyBudgetError extends Error {
  constructor() {
    super(`simplification exceeded its work budget of ${SIMPLIFY_WORK_BUDGET} term operations`);
    this.name = 'SimplifyBudgetError';
  }
}
let work = 0;
let workDepth = 0;
function spend(units: number): void {
  work += units;
  if (work > SIMPLIFY_WORK_BUDGET) throw new SimplifyBudgetError();
}
/** Largest work of one top-level simplification so far (for the budget's measurement in tests/bench). */
export const simplifyStats = { maxWork: 0, maxNodes: 0 };

/** Runs f as one budgeted simplification (nested calls share the outermost budget). */
function budgeted<T>(f: () => T): T {
  if (workDepth === 0) work = 0;
  workDepth++;
  try {
    return f();
  } finally {
    workDepth--;
    if (workDepth === 0 && work > simplifyStats.maxWork) simplifyStats.maxWork = work;
  }
}
/** Normalised polynomial of every sum atom built so far, by atom key (for expansion and division). */
const SUM_ATOMS = new Map<string, Poly>();
const POWER_EXPAND_LIMIT = 4;
/**
 * Whether toPoly expands positive integer powers of sums ((x − μ)² → x² − 2μx + μ²). Off for
 * simplification (factored powers survive later inversion), on inside {@link expandTerms}.
 */
let expandPowers = false;

const constPoly = (c: number): Poly => (c === 0 ? [] : [{ c, f: new Map() }]);
const atomPoly = (base: Expr, exp = 1): Poly => [{ c: 1, f: new Map([[key(base), { base, exp }]]) }];

function mulTerms(a: Term, b: Term): Term {
  const f = new Map(a.f);
  for (const [k, x] of b.f) {
    const y = f.get(k);
    if (!y) f.set(k, x);
    else {
      const e = y.exp + x.exp;
      if (e === 0) f.delete(k);
      else f.set(k, { base: y.base, exp: e });
    }
  }
  return { c: a.c * b.c, f };
}

function mulPoly(p: Poly, q: Poly): Poly {
  spend(p.length * q.length);
  const out: Poly = [];
  for (const a of p) for (const b of q) out.push(mulTerms(a, b));
  return collect(out);
}

const termKeys = new WeakMap<Map<string, Factor>, string>();

/** Key of a term's monomial; cached per factor map (maps are never mutated after first use). */
function termKey(t: Term): string {
  const hit = termKeys.get(t.f);
  if (hit !== undefined) return hit;
  const k = monoKey(t);
  termKeys.set(t.f, k);
  return k;
}

function monoKey(t: Term): string {
  const k = [...t.f.entries()]
    .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .map(([k, x]) => `${k}^${x.exp}`)
    .join('*');
  spend(1 + (k.length >> 6)); // building and hashing long atom keys is the real cost of a term
  return k;
}

function collect(p: Poly): Poly {
  spend(p.length);
  const byKey = new Map<string, { t: Term; scale: number }>();
  for (const t of p) {
    const k = termKey(t);
    const hit = byKey.get(k);
    if (hit) {
      hit.t = { c: hit.t.c + t.c, f: hit.t.f };
      hit.scale += Math.abs(t.c);
    } else byKey.set(k, { t: { c: t.c, f: t.f }, scale: Math.abs(t.c) });
  }
  const out: Poly = [];
  for (const { t, scale } of byKey.values()) if (Math.abs(t.c) > 1e-14 * scale) out.push(t);
  return pythagoras(out);
}

/** c·u·cos(t)^2 + c·u·sin(t)^2 → c·u (exponents exactly 2). */
function pythagoras(p: Poly): Poly {
  if (p.length < 2) return p;
  spend(p.length);
  const used = new Set<number>();
  const merged: Poly = [];
  const index = new Map<string, number>();
  p.forEach((t, i) => index.set(`${t.c}|${termKey(t)}`, i));
  for (let i = 0; i < p.length; i++) {
    if (used.has(i)) continue;
    const t = p[i];
    for (const [k, x] of t.f) {
      if (fnName(x.base) !== 'cos' || x.exp !== 2) continue;
      const sinBase = fn('sin', argsOf(x.base)[0]);
      const rest = new Map(t.f);
      rest.delete(k);
      const partner = new Map(rest);
      partner.set(key(sinBase), { base: sinBase, exp: 2 });
      const j = index.get(`${t.c}|${termKey({ c: t.c, f: partner })}`);
      if (j !== undefined && j !== i && !used.has(j)) {
        used.add(i);
        used.add(j);
        merged.push({ c: t.c, f: rest });
        break;
      }
    }
  }
  if (merged.length === 0) return p;
  return collect([...p.filter((_, i) => !used.has(i)), ...merged]);
}

function isSingle(p: Poly): boolean {
  return p.length <= 1;
}

/** p^e for an integer e (single term) or by repeated multiplication (small sums). */
function powPoly(p: Poly, e: number, orig: () => Expr): Poly {
  if (p.length === 0) return e > 0 ? [] : atomPoly(orig());
  if (isSingle(p)) {
    const t = p[0];
    if (Number.isInteger(e)) {
      const f = new Map<string, Factor>();
      for (const [k, x] of t.f) f.set(k, { base: x.base, exp: x.exp * e });
      return [{ c: t.c ** e, f }];
    }
    if (t.c > 0 && [...t.f.values()].every((x) => x.exp === 1)) {
      const f = new Map<string, Factor>();
      for (const [k, x] of t.f) f.set(k, { base: x.base, exp: x.exp * e });
      return [{ c: t.c ** e, f }];
    }
    return atomPoly(orig());
  }
  if (expandPowers && Number.isInteger(e) && e > 0 && e <= POWER_EXPAND_LIMIT && p.length ** e <= EXPAND_LIMIT) {
    let r: Poly = p;
    for (let i = 1; i < e; i++) r = mulPoly(r, p);
    return r;
  }
  return sumAtom(p, e);
}

/**
 * A sum as an atom, normalised: p = m·c·q with m the monomial content (integer powers common to
 * all terms, only for an integer exponent e) and q's first term coefficient 1 (q sorted).
 */
function sumAtom(p: Poly, e: number): Poly {
  if (Number.isInteger(e)) {
    const content = new Map<string, Factor>();
    for (const [k, x] of p[0].f) {
      if (!Number.isInteger(x.exp)) continue;
      let m = x.exp;
      for (const t of p) {
        const y = t.f.get(k);
        if (!y || !Number.isInteger(y.exp)) {
          m = 0;
          break;
        }
        m = Math.abs(y.exp) < Math.abs(m) ? y.exp : m;
        if (Math.sign(y.exp) !== Math.sign(x.exp)) {
          m = 0;
          break;
        }
      }
      if (m !== 0) content.set(k, { base: x.base, exp: -m });
    }
    if (content.size > 0) {
      const inv = { c: 1, f: content };
      const rest = sumAtom(p.map((t) => mulTerms(t, inv)), e);
      const mono = new Map<string, Factor>();
      for (const [k, x] of content) mono.set(k, { base: x.base, exp: -x.exp * e });
      return rest.map((t) => mulTerms(t, { c: 1, f: mono }));
    }
  }
  const sorted = [...p].sort((a, b) => (termKey(a) < termKey(b) ? -1 : termKey(a) > termKey(b) ? 1 : 0));
  const c = sorted[0].c;
  if (!Number.isInteger(e) && c < 0) {
    return atomPoly(fromPoly(sorted), e);
  }
  const q = sorted.map((t) => ({ c: t.c / c, f: t.f }));
  const base = fromPoly(q);
  SUM_ATOMS.set(key(base), q);
  return [{ c: c ** e, f: new Map([[key(base), { base, exp: e }]]) }];
}

const toPolyUncached = (n: Expr): Poly => toPoly(n);

function toPoly(n: Expr): Poly {
  const a = n as AnyNode;
  const c = constValue(n);
  if (c !== undefined) return constPoly(c);
  switch (a.type) {
    case 'SymbolNode':
      return atomPoly(n);
    case 'ParenthesisNode':
      return toPoly(a.content!);
    case 'OperatorNode': {
      const [u, v] = argsOf(n);
      switch (opOf(n)) {
        case 'unaryPlus':
          return toPoly(u);
        case 'unaryMinus':
          return toPoly(u).map((t) => ({ c: -t.c, f: t.f }));
        case 'add':
          return collect([...toPoly(u), ...toPoly(v)]);
        case 'subtract':
          return collect([...toPoly(u), ...toPoly(v).map((t) => ({ c: -t.c, f: t.f }))]);
        case 'multiply':
          return product(toPoly(u), toPoly(v));
        case 'divide': {
          const q = inversePoly(v);
          if (q === null) return atomPoly(n);
          return product(toPoly(u), q);
        }
        case 'pow': {
          const e = constValue(v);
          if (e === undefined) return atomPoly(pow(simplifyTree(u), simplifyTree(v)));
          return powPoly(toPoly(u), e, () => simplifyTree(u));
        }
        default:
          return atomPoly(n);
      }
    }
    case 'FunctionNode': {
      const name = fnName(n)!;
      if (name === 'expect') return atomPoly(n);
      const args = argsOf(n).map(simplifyTree);
      return atomPoly(fn(name, ...args));
    }
    default:
      return atomPoly(n);
  }
}

/** 1/v as a poly, keeping products and powers of sums factored (null for 1/0). */
function inversePoly(v: Expr): Poly | null {
  const o = opOf(v);
  const [a, b] = argsOf(v);
  if (o === 'multiply') {
    const x = inversePoly(a);
    const y = inversePoly(b);
    return x && y ? mulPoly(x, y) : null;
  }
  if (o === 'pow') {
    const e = constValue(b);
    if (e !== undefined) {
      const base = toPoly(a);
      if (base.length === 0) return null;
      return base.length === 1 ? powPoly(base, -e, () => v) : sumAtom(base, -e);
    }
  }
  const q = toPoly(v);
  if (q.length === 0) return null;
  return powPoly(q, -1, () => v);
}

function product(p: Poly, q: Poly): Poly {
  if (p.length === 0 || q.length === 0) return [];
  if (p.length * q.length <= EXPAND_LIMIT || isSingle(p) || isSingle(q)) return mulPoly(p, q);
  // too big to expand: keep the larger sum as an atom
  return p.length >= q.length ? mulPoly(sumAtom(p, 1), q) : mulPoly(p, sumAtom(q, 1));
}

// ---------- rebuilding ----------

/** Best rational p/q (q ≤ 10000) equal to c to 1e-15 relative, else null. */
function rational(c: number): [number, number] | null {
  if (Number.isInteger(c)) return [c, 1];
  let h0 = 0, h1 = 1, k0 = 1, k1 = 0;
  let x = Math.abs(c);
  for (let i = 0; i < 40; i++) {
    const a = Math.floor(x);
    [h0, h1] = [h1, a * h1 + h0];
    [k0, k1] = [k1, a * k1 + k0];
    if (k1 > 10000) return null;
    if (Math.abs(h1 / k1 - Math.abs(c)) <= 1e-15 * Math.abs(c)) return [Math.sign(c) * h1, k1];
    const frac = x - a;
    if (frac === 0) break;
    x = 1 / frac;
  }
  return null;
}

function factorTree(x: Factor): Expr {
  const e = Math.abs(x.exp);
  if (e === 1) return x.base;
  if (e === 0.5) return fn('sqrt', x.base);
  return pow(x.base, num(e));
}

function sortedFactors(f: Map<string, Factor>): Factor[] {
  return [...f.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]);
}

/** |term| as a tree (sign returned separately). */
function termTree(t: Term): { tree: Expr; negative: boolean } {
  const r = rational(t.c);
  let numer: Expr = ONE;
  let denom: Expr = ONE;
  let negative = t.c < 0;
  if (r) {
    numer = num(Math.abs(r[0]));
    denom = num(r[1]);
  } else numer = num(Math.abs(t.c));
  for (const x of sortedFactors(t.f)) {
    if (x.exp > 0) numer = mul(numer, factorTree(x));
    else denom = mul(denom, factorTree(x));
  }
  return { tree: div(numer, denom), negative };
}

function sumTree(p: Poly): Expr {
  if (p.length === 0) return ZERO;
  const parts = p.map(termTree);
  // positive terms first (stable), so the sum rarely starts with a minus
  const order = parts.map((x, i) => ({ x, i })).sort((a, b) => Number(a.x.negative) - Number(b.x.negative) || a.i - b.i);
  let s: Expr | null = null;
  for (const { x } of order) {
    if (s === null) s = x.negative ? neg(x.tree) : x.tree;
    else s = x.negative ? sub(s, x.tree) : add(s, x.tree);
  }
  return s!;
}

/** Rebuilds a normal form: the smaller of the term-wise form and the single-fraction form. */
function fromPoly(p: Poly): Expr {
  const a = termwise(p);
  if (p.length <= 1 || depth > 3) return a;
  depth++;
  try {
    const b = together(p);
    return b && size(b) < size(a) ? b : a;
  } finally {
    depth--;
  }
}
let depth = 0;

/** Term-wise rebuild; factors denominators common to all terms (numerator / denominator). */
function termwise(p: Poly): Expr {
  if (p.length <= 1) return sumTree(p);
  // common denominator: atoms with negative exponent in every term (min magnitude)
  const first = p[0].f;
  const common = new Map<string, Factor>();
  for (const [k, x] of first) {
    if (x.exp >= 0 || !Number.isInteger(x.exp)) continue;
    let e = x.exp;
    let ok = true;
    for (const t of p) {
      const y = t.f.get(k);
      if (!y || y.exp >= 0) {
        ok = false;
        break;
      }
      e = Math.max(e, y.exp);
    }
    if (ok) common.set(k, { base: x.base, exp: e });
  }
  // common rational denominator of the coefficients
  let lcm = 1;
  for (const t of p) {
    const r = rational(t.c);
    if (!r) {
      lcm = 1;
      break;
    }
    lcm = (lcm * r[1]) / gcd(lcm, r[1]);
    if (lcm > 10000) {
      lcm = 1;
      break;
    }
  }
  if (common.size === 0 && lcm === 1) return sumTree(p);
  const scaled = p.map((t) => {
    const f = new Map(t.f);
    for (const [k, x] of common) {
      const y = f.get(k)!;
      const e = y.exp - x.exp;
      if (e === 0) f.delete(k);
      else f.set(k, { base: y.base, exp: e });
    }
    return { c: t.c * lcm, f };
  });
  let denom: Expr = num(lcm);
  for (const x of sortedFactors(common)) denom = mul(denom, factorTree(x));
  return div(sumTree(scaled), denom);
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

const cache = new WeakMap<object, Expr>();

/** Normal-form rewrite of a tree (see module doc); not size-guarded. */
export function simplifyTree(n: Expr): Expr {
  const hit = cache.get(n);
  if (hit) return hit;
  // never fold a NaN/Infinity constant away (0·(0/0) must not become 0)
  if (containsNonFiniteConstant(n)) return n;
  const saved = expandPowers;
  expandPowers = false;
  try {
    const r = budgeted(() => fromPoly(toPoly(n)));
    cache.set(n, r);
    return r;
  } finally {
    expandPowers = saved;
  }
}

/**
 * Simplifies a small x-free expression, returning whichever of the simplified and the original
 * tree is smaller (node count; ties go to the simplified tree). Any internal error returns the input.
 */
export function simplify(n: Expr): Expr {
  if (gaveUp.has(n)) return n;
  const nodes = size(n);
  if (nodes > simplifyStats.maxNodes) simplifyStats.maxNodes = nodes;
  if (nodes > SIMPLIFY_MAX_NODES) return n;
  try {
    const s = simplifyTree(n);
    return size(s) <= size(n) ? s : n;
  } catch {
    gaveUp.add(n);
    return n;
  }
}
/** Inputs whose simplification failed or ran out of budget (not tried again). */
const gaveUp = new WeakSet<object>();

/** One term of an expansion: coef (free of the data variables) × feature (a product of x-dependent factors, or null for 1). */
export interface SplitTerm {
  readonly coef: Expr;
  readonly feature: Expr | null;
}

/**
 * Expands f into Σ coef·feature with x-free coefficients and x-dependent features (each feature is
 * a product of powers of x-dependent atoms in normal form, so equal features have equal text).
 * Terms with the same feature are merged. Returns null when f contains an expect(·) node.
 */
export function expandTerms(f: Expr, isX: (n: Expr) => boolean): SplitTerm[] | null {
  let p: Poly;
  expandPowers = true;
  try {
    p = budgeted(() => toPolyUncached(f));
  } finally {
    expandPowers = false;
  }
  const groups = new Map<string, { feature: Term; coefs: Term[] }>();
  for (const t of p) {
    const xf = new Map<string, Factor>();
    const cf = new Map<string, Factor>();
    for (const [k, x] of t.f) {
      if (fnName(x.base) === 'expect') return null;
      (isX(x.base) ? xf : cf).set(k, x);
    }
    const ft: Term = { c: 1, f: xf };
    const k = termKey(ft);
    const g = groups.get(k);
    const coef: Term = { c: t.c, f: cf };
    if (g) g.coefs.push(coef);
    else groups.set(k, { feature: ft, coefs: [coef] });
  }
  return [...groups.values()].map((g) => ({
    coef: fromPoly(collect(g.coefs)),
    feature: g.feature.f.size === 0 ? null : fromPoly([g.feature]),
  }));
}

// ---------- single fraction with cancellation ----------

/** Lex comparison of monomials (factor maps) over sorted atom keys. */
function cmpMono(a: Map<string, Factor>, b: Map<string, Factor>): number {
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  for (const k of keys) {
    const d = (a.get(k)?.exp ?? 0) - (b.get(k)?.exp ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function lead(p: Poly): Term {
  let best = p[0];
  for (const t of p) if (cmpMono(t.f, best.f) > 0) best = t;
  return best;
}

/** Exact quotient N/B of polynomials (lex order), or null when B does not divide N. */
function exactDivide(N: Poly, B: Poly): Poly | null {
  let R = N;
  const Q: Poly = [];
  const lb = lead(B);
  // Laurent division: terminates after |Q| steps when B divides N; capped otherwise
  const cap = 3 * N.length + 5;
  for (let it = 0; it < cap; it++) {
    spend(R.length + B.length);
    if (R.length === 0) return collect(Q);
    const la = lead(R);
    const f = new Map<string, Factor>(la.f);
    for (const [k, x] of lb.f) {
      const y = f.get(k);
      const e = (y?.exp ?? 0) - x.exp;
      if (!Number.isInteger(e)) return null;
      if (e === 0) f.delete(k);
      else f.set(k, { base: x.base, exp: e });
    }
    const m: Term = { c: la.c / lb.c, f };
    Q.push(m);
    R = collect([...R, ...B.map((t) => { const u = mulTerms(m, t); return { c: -u.c, f: u.f }; })]);
  }
  return null;
}

/** Expands positive integer powers of sum atoms in every term (bounded); null when too large. */
function expandSumAtoms(p: Poly): Poly | null {
  let out: Poly = [];
  for (const t of p) {
    let acc: Poly = [{ c: t.c, f: new Map() }];
    for (const [k, x] of t.f) {
      const q = SUM_ATOMS.get(k);
      let part: Poly;
      if (q && Number.isInteger(x.exp) && x.exp > 0 && q.length ** x.exp <= EXPAND_LIMIT) {
        part = q;
        for (let i = 1; i < x.exp; i++) part = mulPoly(part, q);
      } else part = [{ c: 1, f: new Map([[k, x]]) }];
      acc = mulPoly(acc, part);
      if (acc.length > 4 * EXPAND_LIMIT) return null;
    }
    out.push(...acc);
    if (out.length > 8 * EXPAND_LIMIT) return null;
  }
  return collect(out);
}

/** N/D with D the lcm of all integer denominators, N expanded, common factors cancelled. */
function together(p: Poly): Expr | null {
  const den = new Map<string, Factor>();
  for (const t of p)
    for (const [k, x] of t.f)
      if (x.exp < 0 && Number.isInteger(x.exp)) {
        const y = den.get(k);
        if (!y || y.exp < -x.exp) den.set(k, { base: x.base, exp: -x.exp });
      }
  let scale = 1;
  for (const t of p) {
    const r = rational(t.c);
    if (!r) return null;
    scale = (scale * r[1]) / gcd(scale, r[1]);
    if (scale > 10000) return null;
  }
  if (den.size === 0 && scale === 1) return null;
  const lifted = p.map((t) => mulTerms({ c: t.c * scale, f: t.f }, { c: 1, f: den }));
  let N = expandSumAtoms(lifted);
  if (!N) return null;
  if (N.length === 0) return ZERO;
  const D = new Map(den);
  // cancel sum atoms of the denominator that divide N
  for (const [k, x] of D) {
    const B = SUM_ATOMS.get(k);
    if (!B) continue;
    let e = x.exp;
    while (e > 0) {
      const q = exactDivide(N, B);
      if (!q) break;
      N = q;
      e--;
    }
    if (e === 0) D.delete(k);
    else D.set(k, { base: x.base, exp: e });
  }
  // cancel monomial factors common to all numerator terms
  for (const [k, x] of D) {
    let m = x.exp;
    for (const t of N) m = Math.min(m, Math.max(0, t.f.get(k)?.exp ?? 0));
    if (m <= 0) continue;
    N = N.map((t) => mulTerms(t, { c: 1, f: new Map([[k, { base: x.base, exp: -m }]]) }));
    if (x.exp === m) D.delete(k);
    else D.set(k, { base: x.base, exp: x.exp - m });
  }
  // normalise the numerator's overall constant against the scale
  let denom: Expr = num(scale);
  for (const x of sortedFactors(D)) denom = mul(denom, factorTree(x));
  return div(termwise(N), denom);
}
