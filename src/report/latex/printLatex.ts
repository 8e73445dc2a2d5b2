/**
 * LaTeX printer over mathjs expression trees (our own, not mathjs `toTex`).
 *
 * What it does that mathjs `toTex` does not:
 *  - products are flattened into one fraction: chained `/` never nest (`1/2/sigma` → `\frac{1}{2 \sigma}`),
 *    constant negative powers move to the denominator (`sigma^(-2)` → `\frac{1}{\sigma^{2}}`),
 *    numeric coefficients are multiplied out and reduced (`2*x/4` → `\frac{x}{2}`), integer powers of products
 *    distribute (`(2 σ²)²` → `4 σ⁴`) and equal bases cancel across the fraction bar (`σ/σ⁴` → `1/σ³`);
 *  - signs are pulled out of products and merged into sums: never `--`, `+-`, `\cdot-1` or `1\cdot`;
 *  - factors are juxtaposed (`2 \sigma`), with `\,` around function applications and `\cdot` only before a number;
 *  - delimiters grow (`\left(…\right)`) only around tall content (fractions, roots), so `I_0(\kappa)` keeps TeX spacing;
 *  - parameters print with their TeX name (`FamilySpec.params[].tex`), never as unit names (`\mathrm{s}`);
 *  - the whitelisted special functions print in standard notation: ψ, ψ₁, ψ^{(n)}, ln Γ, ln I₀, A(κ) = I₁/I₀,
 *    I₀, I₁; the internal deferred-expectation node `expect(f)` prints as `\mathbb{E}_{\theta}[f]`.
 *
 * Output is plain TeX/KaTeX math (needs amsmath + amssymb in LaTeX for `\operatorname`, `\mathbb`).
 *
 * Rewrites: the printer does rewrite the expression it is given, in the ways listed above — numeric
 * coefficients are folded, integer powers of products distributed, repeated factors merged and equal bases
 * cancelled across the fraction bar (valid wherever the expression is defined, since a cancelled base divides);
 * {@link printLatexLines} also moves the factor it opens across lines to the end of its product. None of these is
 * taken on trust: test/report/allFamilies.test.ts parses every printed equation of every family back from its
 * TeX (./parseLatex.ts) and compares it with the derived expression at random points of the domain, and
 * test/report/latex/parseLatex.test.ts does the same for hand-picked expressions.
 */
import type { MathNode } from 'mathjs';
import { parseNormalizerSymbol } from '../../core/normalizer.js';
import { texWidth } from './texWidth.js';

/** Options for {@link printLatex}. */
export interface LatexOptions {
  /** TeX for symbol names (parameters, data variables, constants), e.g. `{ sigma: '\\sigma', x0: 'x_0' }`. */
  readonly symbols?: Readonly<Record<string, string>>;
  /** TeX for the subscript of the expectation operator (default `\theta`). */
  readonly expectationSubscript?: string;
}

/** The structural subset of a mathjs node this printer reads (lets us build synthetic nodes). */
interface Node {
  readonly type: string;
  readonly value?: unknown;
  readonly name?: string;
  readonly fn?: string | Node;
  readonly args?: readonly Node[];
  readonly content?: Node;
}

const GREEK = new Set([
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'varepsilon', 'zeta', 'eta', 'theta', 'vartheta', 'iota', 'kappa',
  'lambda', 'mu', 'nu', 'xi', 'pi', 'rho', 'sigma', 'tau', 'upsilon', 'phi', 'varphi', 'chi', 'psi', 'omega',
  'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Pi', 'Sigma', 'Upsilon', 'Phi', 'Psi', 'Omega',
]);

function baseTex(base: string): string {
  if (GREEK.has(base)) return '\\' + base;
  if (base.length === 1) return base;
  return `\\mathit{${base}}`;
}

/**
 * TeX for a symbol name: the explicit table first, then `pi` → `\pi`, Greek names → `\alpha`,
 * trailing digits → subscript (`mu1` → `\mu_{1}`, `s12` → `s_{12}`), `base_sub` → `base_{sub}`,
 * other multi-letter names → `\mathit{name}`.
 */
export function symbolTex(name: string, symbols?: Readonly<Record<string, string>>): string {
  if (symbols && Object.hasOwn(symbols, name)) return symbols[name];
  const norm = parseNormalizerSymbol(name);
  if (norm) {
    // log Z of a series normaliser and its derivatives ∂^α log Z, as (log Z)_{α}: safe under a power.
    const z = symbolTex(norm.base, symbols);
    const d = norm.alpha.map((p) => symbolTex(p, symbols)).join(' ');
    return norm.alpha.length ? `(\\ln ${z})_{${d}}` : `(\\ln ${z})`;
  }
  if (name === 'pi') return '\\pi';
  if (name === 'e') return 'e';
  let m = /^([A-Za-z]+?)_?(\d+)$/.exec(name);
  if (m) return `${baseTex(m[1])}_{${m[2]}}`;
  m = /^([A-Za-z]+)_([A-Za-z0-9]+)$/.exec(name);
  if (m) {
    const sub = /^\d+$/.test(m[2]) || m[2].length === 1 ? m[2] : `\\mathrm{${m[2]}}`;
    return `${baseTex(m[1])}_{${sub}}`;
  }
  if (/^[A-Za-z]+$/.test(name)) return baseTex(name);
  return `\\mathit{${name.replace(/[^A-Za-z0-9]/g, '')}}`;
}

// ---------------------------------------------------------------------------------------------
// Numbers

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Best rational p/q (q ≤ 1000) equal to v up to 1e-12 relative, or null. */
function rational(v: number): [number, number] | null {
  if (!Number.isFinite(v)) return null;
  for (let q = 1; q <= 1000; q++) {
    const p = Math.round(v * q);
    if (Math.abs(p) < 1e15 && Math.abs(p / q - v) <= 1e-12 * Math.abs(v)) return [p, q];
  }
  return null;
}

/** A non-negative number as TeX: integer, `\frac{p}{q}`, decimal, or `m \times 10^{e}`. */
function numberTex(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  if (v === Infinity) return '\\infty';
  const r = rational(v);
  if (r) return `\\frac{${r[0]}}{${r[1]}}`;
  const s = Number(v.toPrecision(12)).toString();
  const m = /^(-?[\d.]+)e([+-]\d+)$/.exec(s);
  if (m) return `${m[1]} \\times 10^{${Number(m[2])}}`;
  return s;
}

/** Numeric value of a constant subtree (numbers combined by + − * / ^), else null. */
function constValue(n: Node): number | null {
  switch (n.type) {
    case 'ConstantNode':
      return typeof n.value === 'number' ? n.value : Number(n.value);
    case 'ParenthesisNode':
      return constValue(n.content!);
    case 'OperatorNode': {
      const a = n.args!.map(constValue);
      if (a.some((x) => x === null)) return null;
      const v = a as number[];
      switch (n.fn) {
        case 'unaryMinus': return -v[0];
        case 'unaryPlus': return v[0];
        case 'add': return v.reduce((s, x) => s + x, 0);
        case 'subtract': return v[0] - v[1];
        case 'multiply': return v.reduce((s, x) => s * x, 1);
        case 'divide': return v[0] / v[1];
        case 'pow': return Math.pow(v[0], v[1]);
      }
      return null;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Synthetic nodes (for log1p, expm1)

const K = (value: number): Node => ({ type: 'ConstantNode', value });
const OP = (fn: string, ...args: Node[]): Node => ({ type: 'OperatorNode', fn, args });
const FN = (name: string, ...args: Node[]): Node => ({ type: 'FunctionNode', fn: { type: 'SymbolNode', name }, args });

function fnName(n: Node): string {
  const f = n.fn;
  return typeof f === 'string' ? f : (f?.name ?? '');
}

// ---------------------------------------------------------------------------------------------
// Printer

/** Kind of a rendered factor, deciding spacing and whether it needs parentheses as a power base. */
type Kind = 'num' | 'atom' | 'call' | 'paren' | 'sup';

interface Rendered {
  readonly tex: string;
  readonly kind: Kind;
}

interface Factor {
  readonly node: Node;
  /** Constant positive exponent applied to node (absent = 1). */
  readonly pow?: number;
  /** Symbolic exponent applied to node (a negated exponent moved across the fraction bar). */
  readonly exp?: Node;
}

interface Product {
  neg: boolean;
  coef: number;
  num: Factor[];
  den: Factor[];
}

class Printer {
  constructor(private readonly opts: LatexOptions) {}

  /** Printed subtrees (trees are immutable; the line breaker prints the same subtrees many times). */
  private readonly exprCache = new WeakMap<Node, string>();

  /** Entry point: a full expression, no surrounding parentheses. */
  expr(n: Node): string {
    const hit = this.exprCache.get(n);
    if (hit !== undefined) return hit;
    const terms = this.sumTerms(n, false);
    const out = terms.length > 1 ? this.sum(terms) : this.signedProduct(terms[0].node, terms[0].neg);
    this.exprCache.set(n, out);
    return out;
  }

  /** Top-level terms of a sum as [sign, node]. */
  sumTerms(n: Node, neg: boolean, out: { neg: boolean; node: Node }[] = []): { neg: boolean; node: Node }[] {
    if (n.type === 'ParenthesisNode') return this.sumTerms(n.content!, neg, out);
    if (n.type === 'OperatorNode') {
      const a = n.args!;
      if (n.fn === 'add') {
        for (const t of a) this.sumTerms(t, neg, out);
        return out;
      }
      if (n.fn === 'subtract') {
        this.sumTerms(a[0], neg, out);
        this.sumTerms(a[1], !neg, out);
        return out;
      }
      if ((n.fn === 'unaryMinus' || n.fn === 'unaryPlus') && this.isSum(a[0])) {
        return this.sumTerms(a[0], n.fn === 'unaryMinus' ? !neg : neg, out);
      }
    }
    if (n.type === 'FunctionNode' && fnName(n) === 'expm1') {
      // e^u − 1
      return this.sumTerms(OP('subtract', FN('exp', n.args![0]), K(1)), neg, out);
    }
    out.push({ neg, node: n });
    return out;
  }

  isSum(n: Node): boolean {
    if (n.type === 'ParenthesisNode') return this.isSum(n.content!);
    if (n.type === 'FunctionNode' && fnName(n) === 'expm1') return true;
    if (n.type !== 'OperatorNode') return false;
    if (n.fn === 'add' || n.fn === 'subtract') return true;
    if (n.fn === 'unaryMinus' || n.fn === 'unaryPlus') return this.isSum(n.args![0]);
    return false;
  }

  sum(terms: { neg: boolean; node: Node }[]): string {
    const parts: { neg: boolean; tex: string }[] = [];
    for (const t of terms) {
      const p = this.product(t.node, t.neg);
      if (p.coef === 0) continue;
      parts.push({ neg: p.neg, tex: this.productBody(p) });
    }
    if (parts.length === 0) return '0';
    return parts.map((p, i) => (i === 0 ? (p.neg ? '-' : '') + p.tex : (p.neg ? ' - ' : ' + ') + p.tex)).join('');
  }

  signedProduct(n: Node, neg: boolean): string {
    const p = this.product(n, neg);
    if (p.coef === 0) return '0';
    return (p.neg ? '-' : '') + this.productBody(p);
  }

  product(n: Node, neg: boolean): Product {
    const p: Product = { neg, coef: 1, num: [], den: [] };
    this.collect(n, false, p);
    if (p.coef < 0) {
      p.coef = -p.coef;
      p.neg = !p.neg;
    }
    return p;
  }

  collect(n: Node, inDen: boolean, p: Product): void {
    switch (n.type) {
      case 'ParenthesisNode':
        return this.collect(n.content!, inDen, p);
      case 'ConstantNode': {
        const v = Number(n.value);
        if (inDen) p.coef /= v;
        else p.coef *= v;
        return;
      }
      case 'OperatorNode': {
        const a = n.args!;
        switch (n.fn) {
          case 'unaryMinus':
            p.neg = !p.neg;
            return this.collect(a[0], inDen, p);
          case 'unaryPlus':
            return this.collect(a[0], inDen, p);
          case 'multiply':
            for (const x of a) this.collect(x, inDen, p);
            return;
          case 'divide':
            this.collect(a[0], inDen, p);
            this.collect(a[1], !inDen, p);
            return;
          case 'pow': {
            const k = constValue(a[1]);
            const kb = constValue(a[0]);
            if (kb !== null && k !== null) {
              // constant power of a constant: fold when it is a small rational
              const v = Math.pow(kb, k);
              if (rational(v)) {
                if (inDen) p.coef /= v;
                else p.coef *= v;
                return;
              }
            }
            const e0 = stripParens(a[1]);
            if (k === null && e0.type === 'OperatorNode' && e0.fn === 'unaryMinus') {
              // a^(−u) = 1 / a^u
              (!inDen ? p.den : p.num).push({ node: a[0], exp: e0.args![0] });
              return;
            }
            if (k !== null && k !== 0 && Number.isInteger(k) && this.isProduct(a[0])) {
              // (c·a^m/b)^k = c^k a^{mk} / b^k for integer k: distribute over the factors
              const sub: Product = { neg: false, coef: 1, num: [], den: [] };
              this.collect(a[0], false, sub);
              if (![...sub.num, ...sub.den].some((f) => f.exp)) {
                const e = Math.abs(k);
                const side = k < 0 ? !inDen : inDen;
                const c = Math.pow(sub.coef, e);
                if (side) p.coef /= c;
                else p.coef *= c;
                if (sub.neg && e % 2 === 1) p.neg = !p.neg;
                const raise = (f: Factor): Factor => ((f.pow ?? 1) * e === 1 ? { node: f.node } : { node: f.node, pow: (f.pow ?? 1) * e });
                for (const f of sub.num) (side ? p.den : p.num).push(raise(f));
                for (const f of sub.den) (side ? p.num : p.den).push(raise(f));
                return;
              }
            }
            if (k !== null && k !== 0) {
              const side = k < 0 ? !inDen : inDen;
              const e = Math.abs(k);
              if (e === 1) this.collect(a[0], side, p);
              else (side ? p.den : p.num).push({ node: a[0], pow: e });
              return;
            }
            break;
          }
        }
        break;
      }
    }
    (inDen ? p.den : p.num).push({ node: n });
  }

  /** Product without its sign. */
  /** A product or quotient (possibly signed or parenthesised): its integer powers distribute over the factors. */
  isProduct(n: Node): boolean {
    n = stripParens(n);
    if (n.type !== 'OperatorNode') return false;
    if (n.fn === 'multiply' || n.fn === 'divide') return true;
    return n.fn === 'unaryMinus' && this.isProduct(n.args![0]);
  }

  /** Merges repeated factors, cancels equal bases across the fraction bar and orders the factors (in place). */
  normalize(p: Product): Product {
    const byRank = (a: Factor, b: Factor) => rank(a.node) - rank(b.node);
    [p.num, p.den] = cancelFactors(mergeFactors(p.num), mergeFactors(p.den));
    p.num.sort(byRank);
    p.den.sort(byRank);
    return p;
  }

  productBody(p: Product): string {
    this.normalize(p);
    const r = rational(p.coef);
    let cn: number;
    let cd: number;
    if (r) {
      const g = gcd(r[0], r[1]) || 1;
      cn = r[0] / g;
      cd = r[1] / g;
    } else {
      cn = p.coef;
      cd = 1;
    }
    const cnum: Rendered | null = cn === 1 ? null : { tex: numberTex(cn), kind: 'num' };
    const cden: Rendered | null = cd === 1 ? null : { tex: numberTex(cd), kind: 'num' };
    // a sum needs parentheses when it shares its side with another factor (or follows a leading minus sign)
    const numCrowded = p.num.length + (cnum ? 1 : 0) > 1;
    const nums = (crowded: boolean) => p.num.map((f) => this.factor(f, crowded));
    if (!cden && p.den.length === 0) {
      const list = cnum ? [cnum, ...nums(numCrowded || p.neg)] : nums(numCrowded || p.neg);
      return list.length ? join(list) : '1';
    }
    if (p.den.length === 0) {
      // only a numeric denominator: \frac{σ^2}{2}, but \frac{1}{2} \ln(2π)
      const rendered = nums(true);
      const simple =
        rendered.every((x) => x.kind === 'atom' || x.kind === 'sup') ||
        (rendered.length === 1 && !cnum && !(rendered[0].kind === 'paren' && rendered[0].tex.includes('\\frac')));
      if (simple || p.num.length === 0) {
        return `\\frac{${join(cnum ? [cnum, ...nums(numCrowded)] : nums(numCrowded)) || '1'}}{${cden!.tex}}`;
      }
      return join([{ tex: `\\frac{${cnum ? cnum.tex : '1'}}{${cden!.tex}}`, kind: 'atom' }, ...nums(true)]);
    }
    const dens = p.den.map((f) => this.factor(f, p.den.length + (cden ? 1 : 0) > 1));
    const top = join(cnum ? [cnum, ...nums(numCrowded)] : nums(numCrowded)) || '1';
    const bottom = join(cden ? [cden, ...dens] : dens);
    return `\\frac{${top}}{${bottom}}`;
  }

  /** One factor of a product; sums are parenthesised when the product has other factors. */
  factor(f: Factor, crowded: boolean): Rendered {
    if (f.exp) return { tex: `${this.powerBase(f.node)}^{${this.expr(f.exp)}}`, kind: 'sup' };
    if (f.pow === undefined) {
      const r = this.primary(f.node);
      if (r.kind === 'paren' && !crowded) return { tex: this.expr(f.node), kind: 'atom' };
      return r;
    }
    if (f.pow === 0.5) return { tex: `\\sqrt{${this.expr(f.node)}}`, kind: 'atom' };
    return { tex: `${this.powerBase(f.node)}^{${numberTex(f.pow)}}`, kind: 'sup' };
  }

  /** Base of a power, parenthesised unless it is a symbol, a non-negative integer or a function call. */
  powerBase(n: Node): string {
    const r = this.primary(n);
    if (r.kind === 'atom' || r.kind === 'call') {
      if (n.type !== 'ConstantNode' || Number.isInteger(Number(n.value))) return r.tex;
    }
    if (r.kind === 'num' && Number.isInteger(Number(n.value)) && Number(n.value) >= 0) return r.tex;
    return delim('(', this.expr(n), ')');
  }

  /** A node rendered as a single factor (parenthesised if it is a sum, product, quotient or negative). */
  primary(n: Node): Rendered {
    switch (n.type) {
      case 'ParenthesisNode':
        return this.primary(n.content!);
      case 'ConstantNode': {
        const v = Number(n.value);
        if (v >= 0 && Number.isInteger(v)) return { tex: numberTex(v), kind: 'num' };
        return { tex: delim('(', this.expr(n), ')'), kind: 'paren' };
      }
      case 'SymbolNode':
        return { tex: symbolTex(n.name!, this.opts.symbols), kind: 'atom' };
      case 'FunctionNode':
        return this.call(n);
      case 'OperatorNode': {
        if (n.fn === 'pow') {
          const k = constValue(n.args![1]);
          if (k === 0.5) return { tex: `\\sqrt{${this.expr(n.args![0])}}`, kind: 'atom' };
          return { tex: `${this.powerBase(n.args![0])}^{${this.expr(n.args![1])}}`, kind: 'sup' };
        }
        return { tex: delim('(', this.expr(n), ')'), kind: 'paren' };
      }
    }
    throw new Error(`printLatex: unsupported node type ${n.type}`);
  }

  call(n: Node): Rendered {
    const name = fnName(n);
    const a = n.args ?? [];
    const arg = (i = 0) => this.expr(a[i]);
    const paren = (head: string, i = 0): Rendered => ({ tex: head + delim('(', arg(i), ')'), kind: 'call' });
    switch (name) {
      case 'log': return paren('\\ln');
      case 'exp': {
        const inner = arg();
        if (inner.length <= 60 && !inner.includes('\\frac{\\frac')) return { tex: `e^{${inner}}`, kind: 'sup' };
        return paren('\\exp');
      }
      case 'sqrt': return { tex: `\\sqrt{${arg()}}`, kind: 'atom' };
      case 'abs': return { tex: delim('|', arg(), '|'), kind: 'call' };
      case 'sign': return paren('\\operatorname{sgn}');
      case 'sin': return paren('\\sin');
      case 'cos': return paren('\\cos');
      case 'tan': return paren('\\tan');
      case 'log1p': return { tex: '\\ln' + delim('(', this.expr(OP('add', K(1), a[0])), ')'), kind: 'call' };
      case 'expm1': return { tex: delim('(', this.expr(n), ')'), kind: 'paren' };
      case 'lgamma': return paren('\\ln\\Gamma');
      case 'gamma': return paren('\\Gamma');
      case 'digamma': return paren('\\psi');
      case 'trigamma': return paren('\\psi_1');
      case 'polygamma': {
        const order = constValue(a[0]);
        const head = order === 0 ? '\\psi' : order === 1 ? '\\psi_1' : `\\psi^{(${order === null ? arg(0) : numberTex(order)})}`;
        return paren(head, 1);
      }
      case 'logbesseli0': return paren('\\ln I_0');
      case 'besselratio': return paren('A');
      case 'besselratioderiv': {
        const order = constValue(a[0]);
        const head = order === 0 ? 'A' : order === 1 ? "A'" : order === 2 ? "A''" : `A^{(${order === null ? arg(0) : numberTex(order)})}`;
        return paren(head, 1);
      }
      case 'besseli0': return paren('I_0');
      case 'besseli1': return paren('I_1');
      case 'erf': return paren('\\text{erf}');
      case 'erfc': return paren('\\text{erfc}');
      case 'normcdf': return paren('\\Phi');
      case 'lognormcdf': return paren('\\ln\\Phi');
      case 'normratio': return paren('(\\varphi/\\Phi)');
      case 'besselk0': return paren('K_0');
      case 'besselk1': return paren('K_1');
      case 'logbesselk0': return paren('\\ln K_0');
      case 'logbesselk1': return paren('\\ln K_1');
      case 'besselkratio': return paren('(K_0/K_1)');
      case 'lbeta': return { tex: '\\ln B' + delim('(', `${arg(0)}, ${arg(1)}`, ')'), kind: 'call' };
      case 'expect':
        return { tex: `\\mathbb{E}_{${this.opts.expectationSubscript ?? '\\theta'}}` + delim('[', arg(), ']'), kind: 'call' };
      default: {
        const args = a.map((x) => this.expr(x)).join(', ');
        return { tex: `\\operatorname{${name.replace(/[^A-Za-z0-9]/g, '')}}` + delim('(', args, ')'), kind: 'call' };
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Line breaking

  /**
   * Lines of an expression, each at most `budget` em wide (measured by {@link texWidth}) where the expression
   * allows it: sums break before `+`/`−`; a term too wide for a line has its widest factor (a bracketed sum, a
   * function argument, an expectation, a denominator) opened with `\Bigl(` … `\Bigr)` across lines, recursively.
   * The concatenation of the lines is one TeX expression equal in meaning to {@link expr} of the node.
   */
  lines(n: Node, budget: number): string[] {
    const whole = this.expr(n);
    if (texWidth(whole) <= budget) return [whole];
    const terms = this.sumTerms(n, false);
    if (terms.length === 1) return this.termLines(terms[0], budget, true);
    const out: string[] = [];
    let cur = '';
    let first = true;
    for (const t of terms) {
      const p = this.product(t.node, t.neg);
      if (p.coef === 0) continue;
      const body = this.productBody(p);
      const signed = first ? (p.neg ? '-' : '') + body : (p.neg ? '- ' : '+ ') + body;
      if (texWidth(signed) > budget) {
        if (cur) out.push(cur);
        const sub = this.termLines(t, budget, first);
        out.push(...sub.slice(0, -1));
        cur = sub[sub.length - 1];
      } else if (cur && texWidth(`${cur} ${signed}`) > budget) {
        out.push(cur);
        cur = signed;
      } else cur = cur ? `${cur} ${signed}` : signed;
      first = false;
    }
    if (cur) out.push(cur);
    return out.length ? out : ['0'];
  }

  /** Lines of one signed term of a sum (see {@link lines}): its widest factors are opened, one after another, until the rest fits. */
  termLines(t: { neg: boolean; node: Node }, budget: number, first: boolean): string[] {
    const p = this.normalize(this.product(t.node, t.neg));
    const sign = (neg: boolean) => (first ? (neg ? '-' : '') : neg ? '- ' : '+ ');
    const whole = sign(p.neg) + this.productBody({ ...p, num: [...p.num], den: [...p.den] });
    const rest: Product = { neg: p.neg, coef: p.coef, num: [...p.num], den: [...p.den] };
    const restTex = () => {
      // a lone sum next to the opened factors needs its parentheses
      if (rest.num.length === 1 && rest.den.length === 0 && rest.coef === 1) return this.factor(rest.num[0], true).tex;
      const r = rest.num.length || rest.den.length || rest.coef !== 1 ? this.productBody({ ...rest, num: [...rest.num], den: [...rest.den] }) : '';
      return r === '1' ? '' : r;
    };
    const pulled: string[][] = [];
    while (pulled.length === 0 || texWidth(restTex()) > budget / 2) {
      let best: { side: 'num' | 'den'; i: number; w: number } | null = null;
      for (const side of ['num', 'den'] as const) {
        rest[side].forEach((f, i) => {
          const w = texWidth(this.factor(f, true).tex);
          if (w > budget / 3 && (!best || w > best.w)) best = { side, i, w };
        });
      }
      if (!best) break;
      const b = best as { side: 'num' | 'den'; i: number; w: number };
      const f = rest[b.side][b.i];
      const inner = this.factorLines(f, budget - 1);
      if (!inner) break;
      rest[b.side] = rest[b.side].filter((_, i) => i !== b.i);
      const power = f.exp
        ? b.side === 'den' ? `-${this.powerBase(f.exp)}` : this.expr(f.exp)
        : f.pow !== undefined && f.pow !== 1 ? (b.side === 'den' ? `-${numberTex(f.pow)}` : numberTex(f.pow)) : b.side === 'den' ? '-1' : '';
      if (power) inner[inner.length - 1] += `^{${power}}`;
      pulled.push(inner);
    }
    if (!pulled.length) return [whole];
    const r = restTex();
    const out = pulled.flat();
    if (r && texWidth(`${r} ${out[0]}`) > budget) return [`${sign(rest.neg)}${r}`, ...out];
    out[0] = `${sign(rest.neg)}${r}${r ? ' ' : ''}${out[0]}`;
    return out;
  }

  /**
   * Lines of one factor, opened with `\Bigl(`…`\Bigr)` (or the function's own brackets), without its exponent;
   * null when the factor cannot be opened (a symbol, a number).
   */
  factorLines(f: Factor, budget: number): string[] | null {
    const n = stripParens(f.node);
    const wrap = (open: string, inner: string[], close: string): string[] => {
      const out = [...inner];
      out[0] = `${open} ${out[0]}`;
      out[out.length - 1] += ` ${close}`;
      return out;
    };
    if (f.pow === 0.5 && !f.exp) return wrap('\\Bigl(', this.lines(n, budget), '\\Bigr)^{\\frac{1}{2}}');
    if (this.isSum(n) || (n.type === 'OperatorNode' && n.fn !== 'pow')) return wrap('\\Bigl(', this.lines(n, budget), '\\Bigr)');
    if (n.type === 'OperatorNode' && n.fn === 'pow') {
      // a^u with a long base or exponent: (a)^{u} with the base opened; exponents stay on the line
      const base = this.factorLines({ node: n.args![0] }, budget);
      if (!base) return null;
      base[base.length - 1] += `^{${this.expr(n.args![1])}}`;
      return base.length === 1 ? null : base;
    }
    if (n.type !== 'FunctionNode') return null;
    const name = fnName(n);
    const args = n.args ?? [];
    if (!args.length) return null;
    let wi = 0;
    args.forEach((a, i) => {
      if (texWidth(this.expr(a)) > texWidth(this.expr(args[wi]))) wi = i;
    });
    if (name === 'exp') return wrap('\\exp\\Bigl(', this.lines(args[0], budget - 2), '\\Bigr)');
    if (name === 'sqrt') return wrap('\\Bigl(', this.lines(args[0], budget), '\\Bigr)^{\\frac{1}{2}}');
    // print the call with the widest argument replaced by a placeholder, then open the bracket around it
    const PH = '\\InfogeoPlaceholder';
    const pr = new Printer({ ...this.opts, symbols: { ...(this.opts.symbols ?? {}), __infogeo_ph__: PH } });
    const probe = pr.call({ ...n, args: args.map((a, i) => (i === wi ? { type: 'SymbolNode', name: '__infogeo_ph__' } : a)) } as Node).tex;
    const at = probe.indexOf(PH);
    if (at < 0 || probe.indexOf(PH, at + 1) >= 0) return null;
    const left = probe.slice(0, at);
    const right = probe.slice(at + PH.length);
    const open = lastUnmatchedOpen(left);
    const close = firstUnmatchedClose(right);
    if (!open || !close) return null;
    const head = `${left.slice(0, open.at)}\\Bigl${open.tok}${left.slice(open.at + open.len)}`;
    const tail = `${right.slice(0, close.at)}\\Bigr${close.tok}${right.slice(close.at + close.len)}`;
    return wrap(head, this.lines(args[wi], budget - texWidth(head)), tail);
  }
}

/** The last opening delimiter of `s` that is not closed in `s` (`(`, `[`, `\lvert`). */
function lastUnmatchedOpen(s: string): { at: number; len: number; tok: string } | null {
  let depth = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    if (s.startsWith('\\rvert', i)) depth++;
    else if (s.startsWith('\\lvert', i)) {
      if (depth === 0) return { at: i, len: 6, tok: '\\lvert' };
      depth--;
    } else if (s[i] === ')' || s[i] === ']') depth++;
    else if (s[i] === '(' || s[i] === '[') {
      if (depth === 0) return s.slice(Math.max(0, i - 5), i) === '\\left' ? null : { at: i, len: 1, tok: s[i] };
      depth--;
    }
  }
  return null;
}

/** The first closing delimiter of `s` that was not opened in `s`. */
function firstUnmatchedClose(s: string): { at: number; len: number; tok: string } | null {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s.startsWith('\\lvert', i)) depth++;
    else if (s.startsWith('\\rvert', i)) {
      if (depth === 0) return { at: i, len: 6, tok: '\\rvert' };
      depth--;
    } else if (s[i] === '(' || s[i] === '[') depth++;
    else if (s[i] === ')' || s[i] === ']') {
      if (depth === 0) return s.slice(Math.max(0, i - 6), i) === '\\right' ? null : { at: i, len: 1, tok: s[i] };
      depth--;
    }
  }
  return null;
}

/** Structural key of a node (for merging repeated factors). */
function stripParens(n: Node): Node {
  while (n.type === 'ParenthesisNode') n = n.content!;
  return n;
}

const keyMemo = new WeakMap<object, string>();

/** Memoised per node (derived trees share subtrees, and keys are asked for at every level). */
function keyOf(n: Node): string {
  const hit = keyMemo.get(n);
  if (hit !== undefined) return hit;
  let k: string;
  switch (n.type) {
    case 'ParenthesisNode': k = keyOf(n.content!); break;
    case 'ConstantNode': k = `#${Number(n.value)}`; break;
    case 'SymbolNode': k = `$${n.name}`; break;
    case 'FunctionNode': k = `${fnName(n)}(${(n.args ?? []).map(keyOf).join(',')})`; break;
    case 'OperatorNode': k = `[${String(n.fn)} ${(n.args ?? []).map(keyOf).join(' ')}]`; break;
    default: k = `?${n.type}`;
  }
  keyMemo.set(n, k);
  return k;
}

/** x·x → x², x^a·x^b → x^{a+b} for constant exponents (notation only: no cancellation across the fraction bar). */
function mergeFactors(list: Factor[]): Factor[] {
  const out: Factor[] = [];
  const at = new Map<string, number>();
  for (const f of list) {
    const k = f.exp ? `${keyOf(f.node)}^${keyOf(f.exp)}` : keyOf(f.node);
    const i = f.exp ? undefined : at.get(k);
    if (i === undefined) {
      at.set(k, out.length);
      out.push(f);
    } else {
      out[i] = { node: out[i].node, pow: (out[i].pow ?? 1) + (f.pow ?? 1) };
    }
  }
  return out;
}

/** a^m / a^n → a^{m−n} (or 1/a^{n−m}) for equal bases with numeric powers; the base is non-zero since it divides. */
function cancelFactors(num: Factor[], den: Factor[]): [Factor[], Factor[]] {
  const n2 = [...num];
  const d2: Factor[] = [];
  for (const f of den) {
    if (f.exp) {
      d2.push(f);
      continue;
    }
    const k = keyOf(f.node);
    const i = n2.findIndex((g) => !g.exp && keyOf(g.node) === k);
    if (i < 0) {
      d2.push(f);
      continue;
    }
    const m = n2[i].pow ?? 1;
    const n = f.pow ?? 1;
    const norm = (node: Node, e: number): Factor => (e === 1 ? { node } : { node, pow: e });
    if (m > n) n2[i] = norm(f.node, m - n);
    else {
      n2.splice(i, 1);
      if (n > m) d2.push(norm(f.node, n - m));
    }
  }
  return [n2, d2];
}

/** Factor order in a product: symbols (and their powers) first, then parenthesised sums, then function applications. */
function rank(n: Node): number {
  while (n.type === 'ParenthesisNode' || (n.type === 'OperatorNode' && n.fn === 'pow')) {
    n = n.type === 'ParenthesisNode' ? n.content! : n.args![0];
  }
  if (n.type === 'SymbolNode' || n.type === 'ConstantNode') return 0;
  if (n.type === 'FunctionNode') return 2;
  return 1;
}

/** Content tall enough to need \\left…\\right (fractions, roots, environments); plain delimiters otherwise, which keep TeX's spacing. */
function isTall(tex: string): boolean {
  return /\\(frac|tfrac|dfrac|sqrt|begin|sum|int|prod|left)/.test(tex);
}

/** Delimiters around content: `\\left( … \\right)` when tall, `( … )` otherwise (`|` becomes `\\lvert … \\rvert`). */
function delim(open: string, inner: string, close: string): string {
  if (isTall(inner)) return `\\left${open === '|' ? '|' : open}${inner}\\right${close === '|' ? '|' : close}`;
  if (open === '|') return `\\lvert ${inner} \\rvert`;
  return `${open}${inner}${close}`;
}

function join(list: Rendered[]): string {
  let s = '';
  for (let i = 0; i < list.length; i++) {
    if (i > 0) {
      const a = list[i - 1];
      const b = list[i];
      s += b.kind === 'num' ? ' \\cdot ' : a.kind === 'call' || b.kind === 'call' ? ' \\, ' : ' ';
    }
    s += list[i].tex;
  }
  return s;
}

/**
 * LaTeX (math mode, no delimiters) for one expression.
 *
 * @example
 * printLatex(parse('alpha*polygamma(2,alpha)/2/(trigamma(alpha)*alpha-1)'))
 * // returns '\\frac{\\alpha \\, \\psi^{(2)}(\\alpha)}{2 (\\alpha \\, \\psi_1(\\alpha) - 1)}'
 */
export function printLatex(e: MathNode, opts: LatexOptions = {}): string {
  return new Printer(opts).expr(e as unknown as Node);
}

/**
 * The top-level terms of an expression as separately printed chunks, for breaking long sums over
 * several lines: the first chunk carries its own sign (`-a`), the others start with `+ ` or `- `.
 * A non-sum gives one chunk equal to {@link printLatex}.
 */
export function printLatexTerms(e: MathNode, opts: LatexOptions = {}): string[] {
  const pr = new Printer(opts);
  const terms = pr.sumTerms(e as unknown as Node, false);
  const out: string[] = [];
  for (const t of terms) {
    const p = pr.product(t.node, t.neg);
    if (p.coef === 0) continue;
    const body = pr.productBody(p);
    out.push(out.length === 0 ? (p.neg ? '-' : '') + body : (p.neg ? '- ' : '+ ') + body);
  }
  return out.length ? out : ['0'];
}

/**
 * An expression as lines of at most `budget` em (see {@link texWidth}) where it can be broken: between the terms
 * of sums, and inside the widest factor of a term too wide for a line, opened with `\Bigl(`…`\Bigr)` (which,
 * unlike `\left`/`\right`, may span lines of an `align*`/`aligned` environment). One line when it fits.
 */
export function printLatexLines(e: MathNode, budget: number, opts: LatexOptions = {}): string[] {
  return new Printer(opts).lines(e as unknown as Node, budget);
}

/** A matrix of expressions as `\begin{pmatrix} … \end{pmatrix}`. */
export function printLatexMatrix(rows: readonly (readonly MathNode[])[], opts: LatexOptions = {}): string {
  const pr = new Printer(opts);
  const body = rows.map((r) => r.map((x) => pr.expr(x as unknown as Node)).join(' & ')).join(' \\\\ ');
  return `\\begin{pmatrix} ${body} \\end{pmatrix}`;
}

/** A vector of expressions as a column `pmatrix`. */
export function printLatexVector(v: readonly MathNode[], opts: LatexOptions = {}): string {
  return printLatexMatrix(v.map((x) => [x]), opts);
}

/**
 * Problems a tidy TeX string must not have: `1\cdot`, `--`, `+-`, `+ -`, `- -`, `\cdot-`, a control word glued
 * to a letter after `\cdot`, `\frac{\frac`, `^{1}`. Returns the list of offending patterns (empty when tidy).
 */
export function tidyProblems(tex: string): string[] {
  const bad: [RegExp, string][] = [
    [/(?<![_^]\{)(?<![0-9.])1\s*\\cdot/, '1\\cdot'],
    [/-\s*-/, '--'],
    [/\+\s*-/, '+-'],
    [/-\s*\+/, '-+'],
    [/\+\s*\+/, '++'],
    [/\\cdot\s*-/, '\\cdot-'],
    [/\\cdot[A-Za-z]/, '\\cdot glued'],
    [/\^\{1\}/, '^{1}'],
    [/\\mathrm\{[sbgm]\}/, 'unit name'],
  ];
  return bad.filter(([re]) => re.test(tex)).map(([, name]) => name);
}
