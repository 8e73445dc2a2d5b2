/**
 * TeX → expression tree for the printer's own output grammar ({@link printLatex}, {@link printLatexLines}),
 * so that tests can check that a printed formula means the same as the derived expression (the printer
 * cancels bases, distributes integer powers and merges factors; the layout moves factors and opens brackets
 * across lines). Not a general TeX parser.
 *
 * Grammar: sums and differences; products by juxtaposition, `\cdot` or `\times`; `\frac{a}{b}`, `\tfrac`;
 * powers `^{…}`; `\sqrt{…}`; brackets `( )`, `[ ]`, `\left…\right`, `\Bigl…\Bigr`; numbers; `\pi`, `e`; symbols from a
 * TeX → name table (matched longest first, token by token); function applications recognised by the printer's
 * own rendering of each whitelisted function (found by printing it on placeholder arguments, so new functions
 * need no change here), plus `\exp(…)`; `\begin{pmatrix}…\end{pmatrix}` (a matrix, possibly multiplied by a scalar).
 * Layout tokens (`&`, `\\`, `\quad`, `\,`) are ignored outside matrices.
 */
import type { MathNode } from 'mathjs';
import { ConstantNode, FunctionNode, OperatorNode, SymbolNode } from '../../core/mathjs.js';
import { FUNCTIONS } from '../../core/functions.js';
import { printLatex } from './printLatex.js';
import { texTokens } from './texWidth.js';

export type Parsed = { readonly kind: 'scalar'; readonly node: MathNode } | { readonly kind: 'matrix'; readonly rows: MathNode[][] };

const SKIP = new Set(['\\,', '\\;', '\\:', '\\!', '\\ ', '\\quad', '\\qquad', '\\left', '\\right', '\\Bigl', '\\Bigr', '\\bigl', '\\bigr', '\\Big', '\\big', '\\displaystyle']);

/** Tokens with sizing and spacing commands dropped and `\lvert`/`\rvert` written `|`. */
function norm(tex: string): string[] {
  return texTokens(tex)
    .filter((t) => !SKIP.has(t))
    .map((t) => (t === '\\lvert' || t === '\\rvert' ? '|' : t === '\\tfrac' || t === '\\dfrac' ? '\\frac' : t));
}

interface Template {
  readonly name: string;
  /** Tokens, with `null` for an argument hole (followed by its argument index). */
  readonly toks: readonly (string | number)[];
  /** Arguments fixed by the template (a constant order printed as notation, e.g. A' for order 1). */
  readonly fixed?: readonly (readonly [number, number])[];
}

const HOLE = (i: number) => `__infogeo_hole${i}__`;
const HOLE_TEX = (i: number) => `\\InfogeoHole${'ABCDEFGH'[i]}`;

let templatesCache: Template[] | null = null;

/** The printer's rendering of every whitelisted function, with holes for the arguments (longest first). */
function templates(): Template[] {
  if (templatesCache) return templatesCache;
  const out: Template[] = [];
  const symbols: Record<string, string> = {};
  for (let i = 0; i < 8; i++) symbols[HOLE(i)] = HOLE_TEX(i);
  const add = (name: string, args: MathNode[], fixed?: [number, number][]) => {
    const tex = printLatex(new FunctionNode(new SymbolNode(name), args), { symbols });
    const toks: (string | number)[] = norm(tex).map((t) => {
      const k = 'ABCDEFGH'.indexOf(t.replace('\\InfogeoHole', ''));
      return t.startsWith('\\InfogeoHole') && k >= 0 ? k : t;
    });
    if (toks.some((t) => typeof t === 'number')) out.push({ name, toks, ...(fixed ? { fixed } : {}) });
  };
  // the whitelist, plus the report's internal `expect` (E_θ[·]) and `gamma` (Γ, in densities)
  for (const f of [...FUNCTIONS.values(), { name: 'expect', arity: 1 }, { name: 'gamma', arity: 1 }]) {
    add(f.name, Array.from({ length: f.arity }, (_, i) => new SymbolNode(HOLE(i))));
    // constant arguments (orders) may print as notation of their own (ψ₁, A'): one template per small order
    const constantArgs = 'constantArgs' in f ? (f.constantArgs ?? []) : [];
    for (const c of constantArgs)
      for (let order = 0; order <= 4; order++) {
        add(f.name, Array.from({ length: f.arity }, (_, i) => (i === c ? new ConstantNode(order) : new SymbolNode(HOLE(i)))), [[c, order]]);
      }
  }
  out.push({ name: 'exp', toks: ['\\exp', '(', 0, ')'] });
  out.sort((a, b) => b.toks.length - a.toks.length);
  templatesCache = out;
  return out;
}

class Parser {
  private i = 0;
  private readonly syms: { toks: string[]; name: string }[];
  constructor(private readonly t: string[], symbols: Readonly<Record<string, string>>) {
    this.syms = Object.entries(symbols)
      .map(([name, tex]) => ({ name, toks: norm(tex) }))
      .filter((s) => s.toks.length > 0)
      .sort((a, b) => b.toks.length - a.toks.length);
    if (!Object.values(symbols).includes('\\pi')) this.syms.push({ name: 'pi', toks: ['\\pi'] });
  }

  fail(msg: string): never {
    throw new Error(`parseLatex: ${msg} at token ${this.i} ('${this.t.slice(this.i, this.i + 8).join(' ')}')`);
  }

  peek(): string | undefined {
    while (!this.inMatrix && (this.t[this.i] === '&' || this.t[this.i] === '\\\\')) this.i++;
    return this.t[this.i];
  }

  inMatrix = false;

  expect(tok: string): void {
    if (this.peek() !== tok) this.fail(`expected '${tok}'`);
    this.i++;
  }

  done(): boolean {
    return this.peek() === undefined;
  }

  /** sum := ['-'|'+'] term (('+'|'-') term)* */
  sum(): Parsed {
    let acc: Parsed | null = null;
    let sign = 1;
    if (this.peek() === '-' || this.peek() === '+') sign = this.t[this.i++] === '-' ? -1 : 1;
    for (;;) {
      let term = this.term();
      if (sign < 0) term = mapP(term, (x) => new OperatorNode('-', 'unaryMinus', [x]));
      acc = acc === null ? term : zipP(acc, term, (a, b) => new OperatorNode('+', 'add', [a, b]));
      const k = this.peek();
      if (k === '+' || k === '-') {
        this.i++;
        sign = k === '-' ? -1 : 1;
        continue;
      }
      return acc;
    }
  }

  private startsFactor(k: string | undefined): boolean {
    return k !== undefined && !['+', '-', ')', ']', '}', '|', ',', '&', '\\\\', '\\end', '=', '^'].includes(k);
  }

  /** term := factor ((\cdot | \times)? factor)* */
  term(): Parsed {
    let acc = this.power();
    for (;;) {
      const k = this.peek();
      if (k === '\\cdot' || k === '\\times') {
        this.i++;
        acc = zipP(acc, this.power(), mulN);
        continue;
      }
      // `|` closes an absolute value unless it opens one (an operand cannot end in `|` otherwise)
      if (k === '|' && this.absDepth > 0) return acc;
      if (!this.startsFactor(k) && k !== '|') return acc;
      acc = zipP(acc, this.power(), mulN);
    }
  }

  absDepth = 0;

  /** power := primary ('^' group)* */
  power(): Parsed {
    let base = this.primary();
    while (this.peek() === '^') {
      this.i++;
      const e = this.group();
      if (e.kind !== 'scalar') this.fail('matrix exponent');
      base = mapP(base, (b) => new OperatorNode('^', 'pow', [b, e.node]));
    }
    return base;
  }

  /** `{ sum }` or a single-token operand. */
  group(): Parsed {
    if (this.peek() === '{') {
      this.i++;
      const v = this.sum();
      this.expect('}');
      return v;
    }
    return this.primary();
  }

  primary(): Parsed {
    const k = this.peek();
    if (k === undefined) this.fail('unexpected end');
    // function templates (before symbols: `A(` is the Bessel ratio, `\ln\Gamma(` is not `\ln` of Γ)
    for (const tp of templates()) {
      const save = this.i;
      const r = this.tryTemplate(tp);
      if (r) return r;
      this.i = save;
    }
    for (const s of this.syms) {
      if (s.toks.every((x, j) => this.t[this.i + j] === x)) {
        this.i += s.toks.length;
        return scalar(new SymbolNode(s.name));
      }
    }
    if (/^[0-9.]+$/.test(k)) {
      this.i++;
      return scalar(new ConstantNode(Number(k)));
    }
    if (k === 'e') {
      this.i++;
      return scalar(new SymbolNode('e'));
    }
    if (k === '\\infty') {
      this.i++;
      return scalar(new ConstantNode(Infinity));
    }
    if (k === '\\frac') {
      this.i++;
      const a = this.group();
      const b = this.group();
      if (b.kind !== 'scalar') this.fail('matrix denominator');
      return mapP(a, (x) => new OperatorNode('/', 'divide', [x, b.node]));
    }
    if (k === '\\sqrt') {
      this.i++;
      const a = this.group();
      return mapP(a, (x) => new FunctionNode(new SymbolNode('sqrt'), [x]));
    }
    if (k === '(' || k === '[') {
      this.i++;
      const v = this.sum();
      this.expect(k === '(' ? ')' : ']');
      return v;
    }
    if (k === '|') {
      this.i++;
      this.absDepth++;
      const v = this.sum();
      this.absDepth--;
      this.expect('|');
      return mapP(v, (x) => new FunctionNode(new SymbolNode('abs'), [x]));
    }
    if (k === '{') return this.group();
    if (k === '\\begin') return this.matrix();
    return this.fail(`unknown token '${k}'`);
  }

  tryTemplate(tp: Template): Parsed | null {
    const args: MathNode[] = [];
    for (let j = 0; j < tp.toks.length; j++) {
      const x = tp.toks[j];
      if (typeof x === 'number') {
        const next = tp.toks[j + 1];
        let v: Parsed;
        try {
          if (next === '|') this.absDepth++;
          v = next === '}' || next === undefined ? (tp.toks[j - 1] === '{' ? this.sum() : this.power()) : this.sum();
        } catch {
          return null;
        } finally {
          if (next === '|') this.absDepth--;
        }
        if (v.kind !== 'scalar') return null;
        args[x] = v.node;
        continue;
      }
      if (this.peek() !== x) return null;
      this.i++;
    }
    for (const [idx, v] of tp.fixed ?? []) args[idx] = new ConstantNode(v);
    return scalar(new FunctionNode(new SymbolNode(tp.name), args));
  }

  matrix(): Parsed {
    this.expect('\\begin');
    this.expect('{');
    while (this.t[this.i] !== '}') this.i++;
    this.i++;
    const saved = this.inMatrix;
    this.inMatrix = true;
    const rows: MathNode[][] = [[]];
    for (;;) {
      const v = this.sum();
      if (v.kind !== 'scalar') this.fail('nested matrix');
      rows[rows.length - 1].push(v.node);
      const k = this.peek();
      if (k === '&') this.i++;
      else if (k === '\\\\') {
        this.i++;
        rows.push([]);
      } else if (k === '\\end') break;
      else this.fail('bad matrix separator');
    }
    this.i++;
    this.expect('{');
    while (this.t[this.i] !== '}') this.i++;
    this.i++;
    this.inMatrix = saved;
    return { kind: 'matrix', rows };
  }
}

const scalar = (node: MathNode): Parsed => ({ kind: 'scalar', node });
const mulN = (a: MathNode, b: MathNode): MathNode => new OperatorNode('*', 'multiply', [a, b]);

function mapP(p: Parsed, f: (x: MathNode) => MathNode): Parsed {
  return p.kind === 'scalar' ? scalar(f(p.node)) : { kind: 'matrix', rows: p.rows.map((r) => r.map(f)) };
}

function zipP(a: Parsed, b: Parsed, f: (x: MathNode, y: MathNode) => MathNode): Parsed {
  if (a.kind === 'scalar' && b.kind === 'scalar') return scalar(f(a.node, b.node));
  if (a.kind === 'scalar' && b.kind === 'matrix') return mapP(b, (y) => f(a.node, y));
  if (a.kind === 'matrix' && b.kind === 'scalar') return mapP(a, (x) => f(x, b.node));
  const A = a as { rows: MathNode[][] };
  const B = b as { rows: MathNode[][] };
  if (A.rows.length !== B.rows.length) throw new Error('parseLatex: matrix shapes differ');
  return { kind: 'matrix', rows: A.rows.map((r, i) => r.map((x, j) => f(x, B.rows[i][j]))) };
}

/**
 * Parses printed TeX (one expression, or the lines of a broken one joined in order) back into a mathjs tree.
 * `symbols` maps names to the TeX they were printed with (the printer's `symbols` option).
 * @throws Error naming the position when the TeX is outside the printer's grammar.
 */
export function parseLatex(tex: string, symbols: Readonly<Record<string, string>> = {}): Parsed {
  const p = new Parser(norm(tex), symbols);
  const v = p.sum();
  if (!p.done()) p.fail('trailing input');
  return v;
}
