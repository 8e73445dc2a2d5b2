/**
 * The step-by-step derivation of a family's Fisher geometry as a format-neutral document
 * (sections of text and display equations, all TeX already printed), rendered by
 * {@link renderLatexDocument}, {@link renderHtmlFragment} and {@link renderJson}.
 *
 * Sections, in order: density, log-likelihood, score, second derivatives, expectations (the route of every
 * expectation, said once), Fisher matrix, its inverse, Christoffel symbols, curvature, Amari–Chentsov tensor,
 * Kullback–Leibler divergence. Written like a textbook derivation: every quantity is defined once and referred
 * to by name afterwards (g_ij, det g, g^ij, ∂_k g_ij, Γ_ij,k): an expectation without closed form is written out
 * once, in the definition of the metric entry it gives, and the inverse, the Christoffel symbols and the quadratic
 * form of the divergence are written in terms of those names. Every expression is simplified before printing
 * (./tidy.ts); long right-hand sides are broken into lines that fit the page ({@link printLatexLines}); matrices
 * too wide for the page are written entry by entry.
 *
 * Every display equation carries the derived expression it stands for (`value`) and, when its left-hand side
 * is a name used later, the definition (`defines`), so that tests parse the printed TeX back and compare values.
 *
 * Conventions (docs/conventions.md): parameters in the order of the family file θ = (θ¹, …, θⁿ);
 * g_ij = E[∂_i ℓ ∂_j ℓ]; Γ^k_ij second kind; Γ_ij,k = ½(∂_i g_jk + ∂_j g_ik − ∂_k g_ij); scalar curvature R with
 * the round sphere positive.
 */
import { parse } from '../../core/mathjs.js';
import type { MathNode } from 'mathjs';
import type { Derivation } from '../../derive/types.js';
import type { Expr, FamilySpec, SupportSpec } from '../../declare/types.js';
import { containsExpect } from '../../derive/differentiate.js';
import { depth, key, size } from '../../derive/build.js';
import { simplify } from '../../derive/simplify.js';
import { budgetError } from '../../derive/budget.js';

/**
 * Print budget of the derivation document: printing expands shared subexpressions of the derived
 * DAGs into trees, so each equation's expanded size (nodes), its depth (the printer recurses) and
 * the document's total are bounded. The built-in families print at most 1,757 nodes in one
 * equation and 9,657 in all.
 */
export const PRINT_BUDGET = Object.freeze({ equationNodes: 40_000, totalNodes: 150_000, depth: 400 });

/** Throws a FamilyError naming the first equation that exceeds the print budget. */
function checkPrintable(d: Derivation): void {
  let total = 0;
  const fmt = (n: number) => n.toLocaleString('en-US');
  const leaves = (x: unknown): Expr[] => (Array.isArray(x) ? x.flatMap(leaves) : [x as Expr]);
  for (const st of d.steps) {
    for (const eq of st.equations ?? []) {
      const what = `"${st.title}" equation ${eq.lhs}`;
      for (const e of leaves(eq.rhs)) {
        const n = size(e);
        const dp = depth(e);
        total += n;
        if (n > PRINT_BUDGET.equationNodes || dp > PRINT_BUDGET.depth || total > PRINT_BUDGET.totalNodes) {
          const why =
            n > PRINT_BUDGET.equationNodes
              ? `has ${fmt(n)} nodes to print, budget ${fmt(PRINT_BUDGET.equationNodes)}`
              : dp > PRINT_BUDGET.depth
                ? `has depth ${fmt(dp)}, budget ${fmt(PRINT_BUDGET.depth)}`
                : `brings the document to ${fmt(total)} nodes, budget ${fmt(PRINT_BUDGET.totalNodes)}`;
          throw budgetError(d.family, `derivation document exceeds its print budget: ${what} ${why}`);
        }
      }
    }
  }
}
import { printLatex, printLatexLines, symbolTex, type LatexOptions } from '../latex/printLatex.js';
import { nestedFractions, texWidth } from '../latex/texWidth.js';
import { densityFromLogDensity } from './densityFromLogDensity.js';
import { nodes } from './nodes.js';
import { symbolicDet, symbolicInverse } from './symbolicInverse.js';
import { commonFactor, tidy } from './tidy.js';
import { freeTextWithMath } from './freeText.js';
import { assertFamilyTexSafe, atomTex } from './familyTex.js';

/** One display equation `lhs = rhs`. */
export interface DocEquation {
  /** TeX of the left-hand side. */
  readonly lhs: string;
  /** TeX of the right-hand side on one line (a scalar expression, or a pmatrix possibly with a scalar factor). */
  readonly rhs: string;
  /** rhs broken into lines that fit the page (absent when one line fits); joined in order they equal rhs. */
  readonly lines?: readonly string[];
  /** mathjs source of the rhs (for JSON consumers): a string, or nested arrays for vectors/matrices. */
  readonly source?: string | readonly string[] | readonly (readonly string[])[];
  /** Relation symbol (default `=`). */
  readonly rel?: string;
  /** TeX after the right-hand side that is not part of it (e.g. `+ O(\|\delta\theta\|^3)`). */
  readonly suffix?: string;
  /** The derived expression (or matrix) the right-hand side equals, over the document's symbols. */
  readonly value?: Expr | readonly (readonly Expr[])[];
  /** Names this equation introduces (ids of `DerivationDocument.symbols`) with their derived values. */
  readonly defines?: readonly { readonly id: string; readonly expr: Expr }[];
}

export type DocBlock =
  /** `defines`: names the text introduces without writing them out as equations (their derived values). */
  | { readonly kind: 'text'; readonly text: string; readonly defines?: readonly { readonly id: string; readonly expr: Expr }[] }
  | { readonly kind: 'equations'; readonly equations: readonly DocEquation[] };

export interface DocSection {
  /** Stable id (HTML anchor, JSON key). */
  readonly id: string;
  readonly title: string;
  readonly blocks: readonly DocBlock[];
}

/** A constant found numerically (not by algebra), with the agreement reached. */
export interface IdentifiedConstant {
  /** Which quantity (e.g. `scalarCurvature`). */
  readonly quantity: string;
  /** The constant, as printed. */
  readonly value: number;
  /** Number of random domain points at which the expression was evaluated. */
  readonly points: number;
  /** Largest |expression − constant| over those points. */
  readonly maxDeviation: number;
}

export interface DerivationDocument {
  readonly family: string;
  readonly title: string;
  readonly params: readonly { readonly name: string; readonly tex: string; readonly domain: string }[];
  readonly routes: Readonly<Record<string, string>>;
  /** TeX of every symbol used in the equations: parameters, data variables, constants, and the names defined. */
  readonly symbols?: Readonly<Record<string, string>>;
  /** Constants identified numerically (presented as such in the text and on the equation). */
  readonly identified?: readonly IdentifiedConstant[];
  readonly sections: readonly DocSection[];
}

/** A section whose right-hand sides exceed this many characters writes its longest entries by rule (see Christoffel). */
const LONG_SECTION = 16000;
/** …namely those longer than this. */
const LONG_ENTRY = 900;

/** Width of the page's text block in em (LaTeX: A4 with 2 cm margins at 11 pt ≈ 44 em; HTML: 60 rem ≈ 49 em). */
export const PAGE_EM = 40;

const ROUTE_TEXT: Record<string, string> = {
  declared: 'the closed form declared in the family file',
  'exponential-family': 'the exponential-family identities',
  'finite-sum': 'an exact sum over the finite support',
  moments: 'term-by-term expectation with the moments table of the family file',
  quadrature: 'numerical quadrature over the support (no closed form)',
  'finite-difference': 'finite differences of the numerically integrated metric',
};

/** Special functions explained in the Density section when they occur anywhere in the derivation. */
const NOTATION: [string, string][] = [
  ['lgamma', '$\\ln\\Gamma$ is the log-gamma function'],
  ['digamma', '$\\psi = (\\ln\\Gamma)\'$ the digamma function'],
  ['trigamma', '$\\psi_1 = \\psi\'$ the trigamma function'],
  ['polygamma', '$\\psi^{(n)}$ the polygamma function of order $n$'],
  ['besseli0', '$I_0$ is the modified Bessel function of the first kind of order 0'],
  ['besseli1', '$I_1$ is the modified Bessel function of the first kind of order 1'],
  ['logbesseli0', '$\\ln I_0$ is the log of the modified Bessel function $I_0$'],
  ['besselratio', '$A(\\kappa) = I_1(\\kappa)/I_0(\\kappa)$ is the Bessel ratio, with $A\'(\\kappa) = 1 - A/\\kappa - A^2$'],
  ['besselratioderiv', '$A^{(n)}$ is the $n$-th derivative of the Bessel ratio $A = I_1/I_0$ ($A\' = 1 - A/\\kappa - A^2$), evaluated without cancellation'],
  ['expect', '$\\mathbb{E}_\\theta[\\cdot]$ is the expectation under $p(\\cdot\\,; \\theta)$ of an integrand with no closed-form expectation'],
  ['normcdf', '$\\Phi$ is the standard normal distribution function'],
  ['lognormcdf', '$\\ln\\Phi$ is the log of the standard normal distribution function'],
  ['normratio', '$\\varphi/\\Phi$ is the ratio of the standard normal density to its distribution function, $(\\ln\\Phi)\'$'],
  ['lbeta', '$\\ln B(a, b) = \\ln\\Gamma(a) + \\ln\\Gamma(b) - \\ln\\Gamma(a + b)$'],
  ['besselk0', '$K_0$ is the modified Bessel function of the second kind of order 0'],
  ['besselk1', '$K_1$ is the modified Bessel function of the second kind of order 1'],
  ['logbesselk0', '$\\ln K_0$ is the log of the modified Bessel function $K_0$'],
  ['logbesselk1', '$\\ln K_1$ is the log of the modified Bessel function $K_1$'],
  ['besselkratio', '$K_0/K_1$ is the ratio of modified Bessel functions of the second kind'],
  ['expect', '$\\mathbb{E}_\\theta[\\cdot]$ marks an expectation without closed form, computed by quadrature'],
];

/** Names of all functions called anywhere in the derived objects. */
function functionsUsed(d: Derivation): Set<string> {
  const out = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (x: unknown): void => {
    if (x === null || x === undefined || typeof x !== 'object' || seen.has(x)) return;
    seen.add(x);
    if (Array.isArray(x)) return x.forEach(walk);
    const n = x as { type?: string; fn?: { name?: string }; args?: unknown[]; content?: unknown };
    if (n.type === 'FunctionNode' && n.fn?.name) out.add(n.fn.name);
    if (n.args) n.args.forEach(walk);
    if (n.content) walk(n.content);
  };
  [d.logDensity, d.score, d.hessian, d.fisher, d.christoffel, d.christoffelFirst, d.scalarCurvature, d.kl?.expr, d.family.expfam?.ET, d.family.expfam?.A].forEach(walk);
  for (const v of d.family.moments.values()) walk(v);
  return out;
}

/** `\\mathbb{E}[…]`, with growing brackets only around tall content. */
function expectationTex(inner: string): string {
  return /\\(frac|sqrt|left)/.test(inner) ? `\\mathbb{E}\\left[${inner}\\right]` : `\\mathbb{E}[${inner}]`;
}

function supportTex(s: SupportSpec, v: string): string {
  switch (s.kind) {
    case 'real': return `${v} \\in \\mathbb{R}`;
    case 'positive': return `${v} > 0`;
    case 'unit': return `0 < ${v} < 1`;
    case 'circle': return `${v} \\in [-\\pi, \\pi)`;
    case 'nonnegint': return `${v} \\in \\{0, 1, 2, \\ldots\\}`;
    case 'simplex': return `${v} \\text{ in the open simplex}`;
    case 'integers': return `${v} \\in \\{${s.lo}, \\ldots, ${s.hi}\\}`;
    case 'finite': return `${v} \\in \\{${s.values.join(', ')}\\}`;
  }
}

function domainTex(domain: string, t: string): string {
  return domain === 'positive' ? `${t} > 0` : domain === 'unit' ? `0 < ${t} < 1` : domain === 'circle' ? `${t} \\in [-\\pi, \\pi)` : `${t} \\in \\mathbb{R}`;
}

/** Symbol table for the printer: parameter TeX from the spec, data variables, fixed constants. */
export function familySymbols(spec: FamilySpec): Record<string, string> {
  const s: Record<string, string> = {};
  for (const p of spec.params) s[p.name] = atomTex(p.tex);
  for (const v of spec.variables) if (!Object.hasOwn(s, v)) s[v] = symbolTex(v);
  return s;
}

function isZero(e: Expr): boolean {
  return nodes.isZero(e);
}

/** Pending equation: the shown (tidied) tree is kept until the block is laid out. */
interface Pending {
  readonly eq: DocEquation;
  readonly shown?: Expr;
  readonly opts?: LatexOptions;
  /** Matrix display: rows of shown entries and an optional scalar factor. */
  readonly matrix?: { readonly scale: Expr | null; readonly rows: readonly (readonly Expr[])[] };
}

export function derivationDocument(d: Derivation): DerivationDocument {
  checkPrintable(d);
  const spec = d.family;
  assertFamilyTexSafe(spec);
  const n = d.dim;
  const symbols: Record<string, string> = familySymbols(spec);
  for (const k of Object.keys(spec.constants)) if (!Object.hasOwn(symbols, k)) symbols[k] = symbolTex(k);
  const opts: LatexOptions = { symbols };
  const tex = (e: Expr) => printLatex(e, opts);
  /** How hard a printed expression is to read: its width, plus a penalty for fractions inside fractions. */
  const readability = (t: string) => texWidth(t) + 3 * nestedFractions(t);
  const measure = (e: Expr) => readability(tex(e));
  const shorten = (e: Expr) => tidy(e, measure);
  const src = (e: Expr) => e.toString();
  const P = spec.params.map((p) => atomTex(p.tex));
  /** `{}`-wrapped TeX of parameter i, safe to juxtapose. */
  const pt = (i: number) => `{${P[i]}}`;
  const idx = (...ii: number[]) => ii.map(pt).join(' ');
  const vars = spec.variables.map((v) => symbols[v]);
  const xTex = vars.length === 1 ? vars[0] : `(${vars.join(', ')})`;
  const thetaTex = `\\theta = (${P.join(', ')})`;
  const identified: IdentifiedConstant[] = [];

  // ---- names ------------------------------------------------------------------------------------
  /** Registers a name with its TeX; returns the symbol node that stands for it. */
  const name = (id: string, t: string): Expr => {
    symbols[id] = t;
    return nodes.sym(id);
  };
  const gId = (i: number, j: number) => `__g_${Math.min(i, j)}_${Math.max(i, j)}`;
  const gInvId = (i: number, j: number) => `__ginv_${Math.min(i, j)}_${Math.max(i, j)}`;
  const dgId = (k: number, i: number, j: number) => `__dg_${k}_${Math.min(i, j)}_${Math.max(i, j)}`;
  const c1Id = (i: number, j: number, k: number) => `__c1_${Math.min(i, j)}_${Math.max(i, j)}_${k}`;
  const hasE = (e: Expr) => containsExpect(e);

  // ---- equation builders ----------------------------------------------------------------------
  /** Closed-form quantities defined earlier (det g), by structural key: later equations refer to them by name. */
  const abbreviations = new Map<string, Expr>();
  const abbreviate = (e: Expr): Expr =>
    abbreviations.size === 0 ? e : e.transform((x) => abbreviations.get(key(x)) ?? x);
  const scalar = (lhs: string, e: Expr, o: { value?: Expr; defines?: string; rel?: string; suffix?: string; opts?: LatexOptions; raw?: boolean; abbreviate?: boolean } = {}): Pending => {
    const lo = o.opts ?? opts;
    const m = (x: Expr) => readability(printLatex(x, lo));
    let shown = o.raw ? e : tidy(e, m);
    if (o.abbreviate) {
      const a = abbreviate(shown);
      if (a !== shown && m(a) < m(shown)) shown = a;
    }
    const value = o.value ?? e;
    return {
      eq: {
        lhs,
        rhs: printLatex(shown, lo),
        source: src(value),
        value,
        ...(o.rel ? { rel: o.rel } : {}),
        ...(o.suffix ? { suffix: o.suffix } : {}),
        ...(o.defines ? { defines: [{ id: o.defines, expr: value }] } : {}),
      },
      shown,
      opts: lo,
    };
  };
  /** Whole-matrix display (common factor pulled out when that narrows it), or null when it does not fit the page. */
  const matrix = (lhs: string, m: readonly (readonly Expr[])[], o: { defines?: (i: number, j: number) => string | null; value?: readonly (readonly Expr[])[] } = {}): Pending | null => {
    const shownRows = m.map((r) => r.map(shorten));
    const cf = m.some((r) => r.some(hasE)) ? null : commonFactor(shownRows, measure);
    const rows = cf ? cf.inner.map((r) => r.map(shorten)) : shownRows;
    const body = `\\begin{pmatrix} ${rows.map((r) => r.map(tex).join(' & ')).join(' \\\\ ')} \\end{pmatrix}`;
    const rhs = cf ? `${tex(cf.scale)} ${body}` : body;
    if (texWidth(lhs) + 2 + texWidth(rhs) > PAGE_EM) return null;
    const value = o.value ?? m;
    const defines: { id: string; expr: Expr }[] = [];
    if (o.defines) m.forEach((r, i) => r.forEach((_, j) => {
      const id = j >= i ? o.defines!(i, j) : null;
      if (id) defines.push({ id, expr: value[i][j] });
    }));
    return { eq: { lhs, rhs, source: value.map((r) => r.map(src)), value, ...(defines.length ? { defines } : {}) }, matrix: { scale: cf?.scale ?? null, rows } };
  };
  /** A block of equations; long right-hand sides are broken to the width left by the widest left-hand side. */
  const eqs = (list: Pending[]): DocBlock => {
    const lhsW = Math.max(0, ...list.map((p) => texWidth(p.eq.lhs)));
    const budget = Math.max(12, PAGE_EM - lhsW - 2.5);
    return {
      kind: 'equations',
      equations: list.map((p) => {
        if (!p.shown) return p.eq;
        const lines = printLatexLines(p.shown, budget - (p.eq.suffix ? texWidth(p.eq.suffix) : 0), p.opts ?? opts);
        return lines.length > 1 ? { ...p.eq, lines } : p.eq;
      }),
    };
  };
  const text = (t: string): DocBlock => ({ kind: 'text', text: t });
  /** Equations `lhs(i, j) = m[i][j]` for the non-zero entries with i ≤ j. */
  const entries = (m: readonly (readonly Expr[])[], lhs: (i: number, j: number) => string, o: { defines?: (i: number, j: number) => string; value?: (i: number, j: number) => Expr } = {}): Pending[] => {
    const list: Pending[] = [];
    for (let i = 0; i < m.length; i++) for (let j = i; j < m.length; j++) {
      if (isZero(m[i][j])) continue;
      list.push(scalar(lhs(i, j), m[i][j], { defines: o.defines?.(i, j), value: o.value?.(i, j) }));
    }
    return list;
  };

  const sections: DocSection[] = [];
  const route = (k: string) => ROUTE_TEXT[d.routes[k]] ?? d.routes[k];

  // 1. Density ----------------------------------------------------------------------------------
  {
    const blocks: DocBlock[] = [];
    const plist = spec.params.map((p) => `$${domainTex(p.domain, p.tex)}$`).join(', ');
    blocks.push(text(`${freeTextWithMath(spec.title)}. Parameters, in the order of the family file: $${thetaTex}$, with ${plist}.`));
    if (spec.constraints.length) blocks.push(text(`Further domain conditions: ${spec.constraints.map((c) => `$${tex(c)} > 0$`).join(', ')}.`));
    const consts = Object.entries(spec.constants);
    if (consts.length) blocks.push(text(`Fixed constants: ${consts.map(([k, v]) => `$${symbolTex(k, symbols)} = ${v}$`).join(', ')}.`));
    blocks.push(text(`Support: $${supportTex(spec.support, xTex)}$.`));
    const used = functionsUsed(d);
    const notation = NOTATION.filter(([f]) => used.has(f)).map(([, t]) => t);
    if (notation.length) blocks.push(text(`Notation: ${notation.join('; ')}.`));
    const densityOf = (l: Expr) => nodes.fn('exp', l);
    if (spec.logDensityCases) {
      blocks.push(eqs([...spec.logDensityCases].map(([v, l]) => scalar(`p(${xTex} = ${v}; \\theta)`, densityFromLogDensity(l), { value: densityOf(l), raw: true }))));
    } else {
      blocks.push(eqs([scalar(`p(${xTex}; \\theta)`, densityFromLogDensity(d.logDensity), { value: densityOf(d.logDensity), raw: true })]));
    }
    if (spec.notes.trim()) blocks.push(text(freeTextWithMath(spec.notes.trim())));
    sections.push({ id: 'density', title: 'Density', blocks });
  }

  // 2. Log-likelihood ---------------------------------------------------------------------------
  {
    const blocks: DocBlock[] = [text(`One observation $${xTex}$; the log-likelihood is $\\ell(\\theta; ${xTex}) = \\ln p(${xTex}; \\theta)$:`)];
    if (spec.logDensityCases) {
      blocks.push(eqs([...spec.logDensityCases].map(([v, l]) => scalar(`\\ell(\\theta; ${xTex} = ${v})`, l))));
      blocks.push(text('To differentiate, the cases are combined into one expression in $x$ with Lagrange basis polynomials (exact on the support points).'));
    } else blocks.push(eqs([scalar(`\\ell(\\theta; ${xTex})`, d.logDensity)]));
    if (d.nonSmooth) blocks.push(text('$\\ell$ contains $|\\cdot|$ or $\\operatorname{sgn}$, so it is not smooth in $\\theta$: the Fisher metric is taken in the score form $g_{ij} = \\mathbb{E}[\\partial_i \\ell \\, \\partial_j \\ell]$, because the Hessian form would miss a delta-function term.'));
    sections.push({ id: 'log-likelihood', title: 'Log-likelihood', blocks });
  }

  // 3. Score ------------------------------------------------------------------------------------
  {
    const blocks: DocBlock[] = [];
    if (d.nonSmooth) blocks.push(text('The derivatives below hold everywhere except on the finitely many points where $\\ell$ has a kink.'));
    blocks.push(eqs(d.score.map((e, i) => scalar(`\\frac{\\partial \\ell}{\\partial ${pt(i)}}`, e))));
    sections.push({ id: 'score', title: 'Score', blocks });
  }

  // 4. Second derivatives -----------------------------------------------------------------------
  {
    const list: Pending[] = [];
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
      const lhs = i === j ? `\\frac{\\partial^2 \\ell}{\\partial ${pt(i)}^2}` : `\\frac{\\partial^2 \\ell}{\\partial ${pt(i)} \\, \\partial ${pt(j)}}`;
      list.push(scalar(lhs, d.hessian[i][j]));
    }
    const blocks: DocBlock[] = [];
    if (n > 1) blocks.push(text('The matrix of second derivatives is symmetric; the entries with $i \\le j$ are:'));
    blocks.push(eqs(list));
    sections.push({ id: 'second-derivatives', title: 'Second derivatives', blocks });
  }

  // 5. Expectations: the route of every expectation, said once -----------------------------------
  {
    const fr = d.routes.fisher ?? 'quadrature';
    const objs: string[] = [`the Fisher metric by ${route('fisher')}`];
    if (d.routes.christoffel) objs.push(`its derivatives (for the Christoffel symbols) by ${d.routes.christoffel === fr ? 'the same route' : route('christoffel')}`);
    if (d.routes.amariChentsov) objs.push(`the Amari–Chentsov tensor by ${d.routes.amariChentsov === fr ? 'the same route' : route('amariChentsov')}`);
    objs.push(d.kl ? `the Kullback–Leibler divergence by ${d.routes.kl === fr ? 'the same route' : route('kl')}` : 'the Kullback–Leibler divergence by numerical quadrature');
    const blocks: DocBlock[] = [text(`Expectations are taken as follows: ${objs.join('; ')}.`)];
    if (fr === 'exponential-family' && spec.expfam) {
      const ef = spec.expfam;
      blocks.push(text('Exponential family $\\ell = \\sum_a \\eta_a(\\theta) T_a(x) - \\ln Z(\\theta) + \\ln h(x)$ with log-partition $\\ln Z$, hence $-\\partial_i \\partial_j \\ell = \\partial_i \\partial_j \\ln Z - \\sum_a \\partial_i \\partial_j \\eta_a \\, T_a$ and $g_{ij} = \\partial_i \\partial_j \\ln Z - \\sum_a \\partial_i \\partial_j \\eta_a \\, \\mathbb{E}[T_a]$, with'));
      const list: Pending[] = [];
      ef.eta.forEach((e, a) => list.push(scalar(`\\eta_{${a + 1}}`, e)));
      ef.T.forEach((e, a) => list.push(scalar(`T_{${a + 1}}`, e)));
      list.push(scalar('\\ln Z(\\theta)', ef.A));
      ef.ET.forEach((e, a) => list.push(scalar(`\\mathbb{E}[T_{${a + 1}}]`, e)));
      blocks.push(eqs(list));
    } else if (fr === 'moments') {
      blocks.push(text('$-\\partial_i \\partial_j \\ell$ is expanded into a sum of $\\theta$-factors times functions of $x$; each function of $x$ is replaced by its expectation from the moments table:'));
    } else if (fr === 'declared' && spec.fisher) {
      blocks.push(text(`The closed form is declared in the family file (source: ${freeTextWithMath(spec.fisher.source)}) and checked against numerical quadrature of $\\mathbb{E}[\\partial_i \\ell \\, \\partial_j \\ell]$ by the test suite.`));
    } else if (fr === 'finite-sum') {
      blocks.push(text(`The support is finite, so $g_{ij} = \\sum_{${xTex}} p(${xTex}; \\theta) \\, \\partial_i \\ell \\, \\partial_j \\ell$ is an exact finite sum.`));
    } else if (fr === 'quadrature' || fr === 'finite-difference') {
      blocks.push(text('There is no closed form: an expectation $\\mathbb{E}_\\theta[f] = \\int f(x)\\, p(x; \\theta)\\, dx$ is written out once, where it first occurs, and evaluated numerically (the support is split at the points where $\\ell$ is not smooth).'));
    }
    if (spec.moments.size) {
      const list: Pending[] = [];
      for (const [key, val] of spec.moments) {
        try {
          list.push(scalar(expectationTex(printLatex(parse(key), opts)), val));
        } catch {
          /* a key that is not an expression is skipped */
        }
      }
      if (list.length) {
        if (fr !== 'moments') blocks.push(text('Moments declared in the family file:'));
        blocks.push(eqs(list));
      }
    }
    sections.push({ id: 'expectations', title: 'Expectations', blocks });
  }

  // 6. Fisher matrix: defines g_ij ------------------------------------------------------------------
  const g = d.fisher;
  const gSym: Expr[][] = g.map((r, i) => r.map((e, j) => (isZero(e) ? nodes.num(0) : name(gId(i, j), `g_{${idx(Math.min(i, j), Math.max(i, j))}}`))));
  {
    const blocks: DocBlock[] = [
      text(d.nonSmooth ? '$g_{ij}(\\theta) = \\mathbb{E}_\\theta[\\partial_i \\ell \\, \\partial_j \\ell]$:' : '$g_{ij}(\\theta) = \\mathbb{E}_\\theta[\\partial_i \\ell \\, \\partial_j \\ell] = -\\mathbb{E}_\\theta[\\partial_i \\partial_j \\ell]$:'),
    ];
    const whole = g.some((r) => r.some(hasE)) ? null : matrix('g(\\theta)', g, { defines: (i, j) => (isZero(g[i][j]) ? null : gId(i, j)) });
    if (whole) blocks.push(eqs([whole]));
    else {
      if (n > 1) blocks.push(text('The non-zero entries with $i \\le j$ ($g$ is symmetric):'));
      blocks.push(eqs(entries(g, (i, j) => `g_{${idx(i, j)}}`, { defines: gId })));
    }
    sections.push({ id: 'fisher', title: 'Fisher information matrix', blocks });
  }

  // 7. Inverse metric: defines det g and g^ij ---------------------------------------------------------
  const inv = symbolicInverse(g);
  const invSym: (Expr | null)[][] = Array.from({ length: n }, () => new Array<Expr | null>(n).fill(null));
  {
    const blocks: DocBlock[] = [];
    const symbolic = g.some((r) => r.some(hasE));
    const list: Pending[] = [];
    const ginvTex = (i: number, j: number) => `g^{${idx(i, j)}}`;
    let whole: Pending | null = null;
    for (const b of inv.blocks) {
      const I = b.indices;
      if (I.length === 1) {
        const i = I[0];
        invSym[i][i] = name(gInvId(i, i), ginvTex(i, i));
        const e = inv.inverse[i][i]!;
        list.push(scalar(ginvTex(i, i), symbolic ? nodes.div(nodes.num(1), gSym[i][i]) : e, { value: e, defines: gInvId(i, i) }));
        continue;
      }
      // det of the block, named; entries adj/det in terms of the names
      const detId = `__det_${I.join('_')}`;
      const detTex = I.length === n ? '\\det g' : `\\det g_{[${I.map(pt).join(' ')}]}`;
      const detSym = name(detId, detTex);
      const blockNames = I.map((i) => I.map((j) => gSym[i][j]));
      list.push(scalar(detTex, symbolic ? symbolicDet(blockNames) : b.det!, { value: b.det!, defines: detId }));
      if (!symbolic && I.length === n) {
        for (const form of [b.det!, simplify(b.det!)]) {
          abbreviations.set(key(form), detSym);
          abbreviations.set(key(simplify(nodes.neg(form))), nodes.neg(detSym));
        }
      }
      I.forEach((i, a) => I.forEach((j, c) => {
        if (c < a) return;
        const e = inv.inverse[i][j]!;
        invSym[i][j] = invSym[j][i] = isZero(e) ? nodes.num(0) : name(gInvId(i, j), ginvTex(i, j));
        if (isZero(e)) return;
        const adj = symbolic ? cofactorOf(blockNames, c, a) : b.adjugate[a][c];
        list.push(scalar(ginvTex(i, j), nodes.div(tidy(adj, measure), detSym), { value: e, defines: gInvId(i, j) }));
      }));
    }
    // closed form: the whole inverse as one matrix when it fits (after det g), else the entries above
    if (!symbolic && inv.complete) {
      whole = matrix('g^{-1}(\\theta)', inv.inverse as Expr[][], { defines: (i, j) => (isZero(inv.inverse[i][j]!) ? null : gInvId(i, j)) });
      if (whole) {
        const dets = list.filter((p) => p.eq.lhs.startsWith('\\det'));
        list.length = 0;
        list.push(...dets, whole);
      }
    }
    if (n === 1) blocks.push(text('With one parameter the inverse is the reciprocal:'));
    else if (inv.blocks.every((b) => b.indices.length === 1) && inv.complete) blocks.push(text('$g$ is diagonal, so $g^{-1}$ is the diagonal of reciprocals:'));
    else if (inv.blocks.length === 1 && inv.complete) blocks.push(text(whole ? 'By cofactors, $g^{-1} = \\operatorname{adj}(g) / \\det g$:' : 'By cofactors, $g^{-1} = \\operatorname{adj}(g) / \\det g$; the entries with $i \\le j$ are:'));
    else blocks.push(text(`$g$ is block diagonal; each block is inverted by cofactors ($g^{ij} = 0$ across blocks)${whole ? ':' : '. The non-zero entries with $i \\le j$:'}`));
    if (list.length) blocks.push(eqs(list));
    if (!inv.complete) blocks.push(text('A block of more than 3 parameters is not inverted symbolically here; $g^{-1}$ is formed numerically where it is needed.'));
    sections.push({ id: 'inverse', title: 'Inverse metric', blocks });
  }

  // 8. Christoffel symbols ------------------------------------------------------------------------------
  {
    const blocks: DocBlock[] = [];
    const firstKindFormula = '$\\Gamma_{ij,k} = \\tfrac12(\\partial_i g_{jk} + \\partial_j g_{ik} - \\partial_k g_{ij})$';
    const metricHasE = g.some((r) => r.some(hasE));
    if (d.christoffel && !metricHasE) {
      blocks.push(text('Levi-Civita connection, second kind: $\\Gamma^k_{ij} = \\tfrac12 g^{kl}(\\partial_i g_{jl} + \\partial_j g_{il} - \\partial_l g_{ij})$, symmetric in $i, j$. The non-zero symbols with $i \\le j$:'));
      const list: Pending[] = [];
      for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
        const e = d.christoffel[k][i][j];
        if (!isZero(e)) list.push(scalar(`\\Gamma^{${pt(k)}}_{${idx(i, j)}}`, e, { abbreviate: true }));
      }
      blocks.push(list.length ? eqs(list) : text('All Christoffel symbols vanish: the parametrisation is flat (affine).'));
    } else if (d.christoffelFirst) {
      const dg = d.dFisher;
      // names for the derivatives of the metric entries that have no closed form
      const dgSym = (k: number, i: number, j: number): Expr => {
        const e = dg![k][i][j];
        return isZero(e) ? nodes.num(0) : hasE(e) ? nodes.sym(dgId(k, i, j)) : e;
      };
      if (metricHasE && dg) {
        const list: Pending[] = [];
        for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
          const e = dg[k][i][j];
          if (isZero(e) || !hasE(e)) continue;
          const t = `\\partial_{${P[k]}} g_{${idx(i, j)}}`;
          name(dgId(k, i, j), t);
          list.push(scalar(t, e, { defines: dgId(k, i, j) }));
        }
        if (list.length) {
          blocks.push(text('The derivatives of the metric entries follow by differentiating under the integral sign, $\\partial_k \\mathbb{E}_\\theta[f] = \\mathbb{E}_\\theta[\\partial_k f + f \\, \\partial_k \\ell]$:'));
          // many parameters: integrands longer than a few lines are described by the rule instead of written out
          const total = list.reduce((a, p) => a + p.eq.rhs.length, 0);
          const long = total > LONG_SECTION ? list.filter((p) => p.eq.rhs.length > LONG_ENTRY) : [];
          const short = list.filter((p) => !long.includes(p));
          if (short.length) blocks.push(eqs(short));
          if (long.length) {
            const f = (lhs: string) => lhs.replace(/^\\partial_\{(.*?)\} g_(.*)$/, (_, k: string, ij: string) => `\\mathbb{E}_\\theta[\\partial_{${k}} f_${ij} + f_${ij} \\, \\partial_{${k}} \\ell]`);
            blocks.push({
              kind: 'text',
              text: `${short.length ? 'The other derivatives are' : 'They are'} ${long.map((p) => `$${p.eq.lhs} = ${f(p.eq.lhs)}$`).join(', ')}, with $f_{ij}$ the integrand of $g_{ij}$ above (not written out: each is longer than a few lines; all are evaluated by quadrature).`,
              defines: long.flatMap((p) => p.eq.defines ?? []),
            });
          }
        }
      }
      blocks.push(text(`Christoffel symbols of the first kind, ${firstKindFormula}; the non-zero ones with $i \\le j$:`));
      const list: Pending[] = [];
      const c1Sym: Expr[][][] = [];
      for (let i = 0; i < n; i++) {
        c1Sym[i] = [];
        for (let j = 0; j < n; j++) {
          c1Sym[i][j] = [];
          for (let k = 0; k < n; k++) {
            const e = d.christoffelFirst[i][j][k];
            c1Sym[i][j][k] = isZero(e) ? nodes.num(0) : metricHasE && dg ? nodes.sym(c1Id(i, j, k)) : e;
            if (j < i || isZero(e)) continue;
            const t = `\\Gamma_{${idx(i, j)}, ${pt(k)}}`;
            if (metricHasE && dg) {
              name(c1Id(i, j, k), t);
              const formula = nodes.mul(nodes.div(nodes.num(1), nodes.num(2)), nodes.sub(nodes.add(dgSym(i, j, k), dgSym(j, i, k)), dgSym(k, i, j)));
              list.push(scalar(t, formula, { value: e, defines: c1Id(i, j, k) }));
            } else list.push(scalar(t, e));
          }
        }
      }
      blocks.push(list.length ? eqs(list) : text('All first-kind symbols vanish.'));
      if (inv.complete && metricHasE) {
        blocks.push(text('Second kind, $\\Gamma^k_{ij} = g^{kl} \\Gamma_{ij,l}$; the non-zero ones with $i \\le j$:'));
        const list2: Pending[] = [];
        for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
          let formula: Expr = nodes.num(0);
          let value: Expr = nodes.num(0);
          for (let l = 0; l < n; l++) {
            const gi = invSym[k][l];
            const ge = inv.inverse[k][l];
            if (!gi || !ge || isZero(ge) || isZero(d.christoffelFirst[i][j][l])) continue;
            formula = nodes.add(formula, nodes.mul(gi, c1Sym[i][j][l]));
            value = nodes.add(value, nodes.mul(ge, d.christoffelFirst[i][j][l]));
          }
          if (!isZero(value)) list2.push(scalar(`\\Gamma^{${pt(k)}}_{${idx(i, j)}}`, formula, { value }));
        }
        blocks.push(list2.length ? eqs(list2) : text('All second-kind symbols vanish.'));
      } else {
        blocks.push(text(inv.complete
          ? 'The second kind $\\Gamma^k_{ij} = g^{kl} \\Gamma_{ij,l}$ is formed numerically from these and $g^{-1}$.'
          : `With ${n} parameters $g^{-1}$ is not written out, so the second kind $\\Gamma^k_{ij} = g^{kl} \\Gamma_{ij,l}$ is formed numerically.`));
      }
    } else {
      blocks.push(text('The metric is known only numerically and $\\ell$ is not smooth, so the Christoffel symbols are computed from finite differences of the numerically integrated metric.'));
    }
    sections.push({ id: 'christoffel', title: 'Christoffel symbols', blocks });
  }

  // 9. Curvature --------------------------------------------------------------------------------------
  {
    const blocks: DocBlock[] = [
      text('Riemann tensor $R^a{}_{bcd} = \\partial_c \\Gamma^a_{db} - \\partial_d \\Gamma^a_{cb} + \\Gamma^a_{ce}\\Gamma^e_{db} - \\Gamma^a_{de}\\Gamma^e_{cb}$, Ricci tensor $R_{bd} = R^a{}_{bad}$, scalar curvature $R = g^{bd}R_{bd}$ (sign: the round sphere is positive; the normal family in $(\\mu, \\sigma)$ has $R = -1$).'),
    ];
    const R = d.scalarCurvature;
    if (R && n === 1) {
      blocks.push(text('A one-parameter family is a curve, which has no intrinsic curvature:'));
      blocks.push(eqs([scalar('R(\\theta)', R)]));
    } else if (R) {
      blocks.push(text('In two dimensions $R = 2K$, with $K$ the Gaussian curvature of the metric (Brioschi formula in terms of $g_{ij}$ and its first and second derivatives):'));
      const id = d.identified?.scalarCurvature;
      const label = id ? `\\quad \\text{(identified numerically: agrees ${sci(id.maxDeviation)} at ${id.points} points)}` : undefined;
      blocks.push(eqs([scalar('R(\\theta)', R, { abbreviate: true, suffix: label })]));
      if (id) {
        identified.push({ quantity: 'scalarCurvature', value: id.value, points: id.points, maxDeviation: id.maxDeviation });
        blocks.push(text(`This value is identified numerically, not derived by algebra: the algebra left a rational expression it could not cancel; evaluated at ${id.points} random points of the parameter domain, that expression agrees with $${tex(R)}$ ${sci(id.maxDeviation)}.`));
      }
    } else {
      blocks.push(text(n > 2 ? `With ${n} parameters no symbolic form is written out; \`infogeo curvature\` evaluates $R$ numerically.` : 'The metric has no closed form, so $R$ is evaluated numerically by `infogeo curvature`.'));
    }
    sections.push({ id: 'curvature', title: 'Curvature', blocks });
  }

  // 10. Amari–Chentsov tensor -------------------------------------------------------------------------------
  if (d.amariChentsov) {
    const T = d.amariChentsov;
    const list: Pending[] = [];
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) for (let k = j; k < n; k++) {
      if (!isZero(T[i][j][k])) list.push(scalar(`T_{${idx(i, j, k)}}`, T[i][j][k], { abbreviate: true }));
    }
    sections.push({
      id: 'amari-chentsov',
      title: 'Amari–Chentsov tensor',
      blocks: [
        text('The skewness tensor $T_{ijk} = \\mathbb{E}_\\theta[\\partial_i \\ell \\, \\partial_j \\ell \\, \\partial_k \\ell]$ is fully symmetric; it defines the $\\alpha$-connections $\\Gamma^{(\\alpha)}_{ij,k} = \\Gamma_{ij,k} - \\tfrac{\\alpha}{2} T_{ijk}$. The non-zero components with $i \\le j \\le k$:'),
        list.length ? eqs(list) : text('All components vanish.'),
      ],
    });
  }

  // 11. Kullback–Leibler divergence ---------------------------------------------------------------------------
  {
    const dsym = (i: number) => `__d${i}`;
    for (let i = 0; i < n; i++) symbols[dsym(i)] = `{\\delta ${P[i]}}`;
    let q: Expr = nodes.num(0);
    let qv: Expr = nodes.num(0);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
      if (isZero(g[i][j])) continue;
      const dd = i === j ? nodes.pow(nodes.sym(dsym(i)), nodes.num(2)) : nodes.mul(nodes.num(2), nodes.mul(nodes.sym(dsym(i)), nodes.sym(dsym(j))));
      q = nodes.add(q, nodes.mul(gSym[i][j], dd));
      qv = nodes.add(qv, nodes.mul(g[i][j], dd));
    }
    const half = (e: Expr) => nodes.mul(nodes.div(nodes.num(1), nodes.num(2)), e);
    const blocks: DocBlock[] = [
      text('To second order, $\\mathrm{KL}(p_\\theta \\| p_{\\theta+\\delta\\theta}) = \\tfrac12 \\sum_{ij} g_{ij}(\\theta)\\, \\delta\\theta^i \\delta\\theta^j + O(\\|\\delta\\theta\\|^3)$, that is'),
      eqs([scalar('\\mathrm{KL}(p_\\theta \\,\\|\\, p_{\\theta + \\delta\\theta})', half(q), { value: half(qv), suffix: '+ O(\\|\\delta\\theta\\|^3)', raw: true })]),
    ];
    if (d.kl) {
      d.kl.toSymbols.forEach((s, i) => (symbols[s] = `{${P[i]}'}`));
      const primed = `\\theta' = (${P.map((p) => `{${p}'}`).join(', ')})`;
      blocks.push(text(`In closed form, with $${primed}$ the parameters of the second distribution:`));
      blocks.push(eqs([scalar(`\\mathrm{KL}(p_\\theta \\,\\|\\, p_{\\theta'})`, d.kl.expr)]));
    } else {
      blocks.push(text('The exact divergence has no closed form here; `infogeo kl` evaluates $\\mathbb{E}_\\theta[\\ell(\\theta) - \\ell(\\theta\')]$ numerically.'));
    }
    sections.push({ id: 'kl', title: 'Kullback–Leibler divergence', blocks });
  }

  // Steps of the derive stage with titles not covered above (none today) get a last section.
  const COVERED = /^(density|score|second derivative|expectation|fisher information|inverse metric|christoffel|scalar curvature|amari|kullback)/i;
  const extra: DocBlock[] = [];
  for (const st of d.steps) {
    if (COVERED.test(st.title)) continue;
    extra.push(text(`**${st.title}.**${st.text ? ' ' + st.text : ''}`));
    const list: Pending[] = [];
    for (const e of st.equations ?? []) {
      const r = e.rhs;
      if (Array.isArray(r) && r.length && Array.isArray(r[0])) {
        const m = matrix(e.lhs, r as Expr[][]);
        if (m) list.push(m);
        else (r as Expr[][]).forEach((row, i) => row.forEach((x, j) => list.push(scalar(`(${e.lhs})_{${i + 1}${j + 1}}`, x))));
      } else if (Array.isArray(r)) (r as Expr[]).forEach((x, i) => list.push(scalar(`(${e.lhs})_{${i + 1}}`, x)));
      else list.push(scalar(e.lhs, r as Expr));
    }
    if (list.length) extra.push(eqs(list));
  }
  if (extra.length) sections.push({ id: 'steps', title: 'Further steps recorded by the derivation', blocks: extra });

  return {
    family: spec.name,
    title: spec.title,
    params: spec.params.map((p) => ({ name: p.name, tex: p.tex, domain: p.domain })),
    routes: { ...d.routes },
    symbols: { ...symbols },
    identified,
    sections,
  };
}

/** Cofactor C_rc of a small matrix (sizes 2–3). */
function cofactorOf(m: readonly (readonly Expr[])[], r: number, c: number): Expr {
  const minor = m.filter((_, i) => i !== r).map((row) => row.filter((_, j) => j !== c));
  const det = symbolicDet(minor);
  return (r + c) % 2 === 0 ? det : nodes.neg(det);
}

/** Agreement as plain text (`to 3e-14`, or `exactly in double precision`). */
function sci(v: number): string {
  return v === 0 ? 'exactly in double precision' : `to ${v.toExponential(0)}`;
}
