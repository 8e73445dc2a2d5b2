/**
 * The derive stage: from a validated family (src/declare/types.ts) to its symbolic information
 * geometry (src/derive/types.ts): score, Hessian, Fisher metric, its derivatives, Christoffel
 * symbols, Amari–Chentsov tensor, scalar curvature, exact KL, and the report steps.
 *
 * Index conventions: see ./types.ts. Parameters keep their declared order.
 * Routes: declared `fisher:` block first; else exponential family, finite sum, moments table,
 * quadrature (deferred `expect(·)` nodes), see ./expectation.ts.
 */
import type { FamilySpec } from '../declare/types.js';
import type { Derivation, Route, Step } from './types.js';
import { add, argsOf, constValue, div, fn, mul, num, opOf, sub, sym, type Expr } from './build.js';
import { differentiate } from './differentiate.js';
import { familyContext, type ExpectOptions } from './expectation.js';
import { anyExpect, fisherMatrix, isNonSmooth, metricDerivative, metricSecondDerivative, symmetric } from './fisher.js';
import { christoffelFirstKind, christoffelSecondKind, inverseMetric } from './christoffel.js';
import { scalarCurvatureDetailed } from './curvature.js';
import { amariChentsovTensor } from './amariChentsov.js';
import { klDivergence } from './kl.js';
import { deriveNormalizer } from './normalizer.js';
import { simplify, SimplifyBudgetError } from './simplify.js';
import { DeriveBudget, budgetError } from './budget.js';

export interface DeriveOptions extends ExpectOptions {
  /** Use a declared `fisher:` block (default true). Tests set false to exercise the routes. */
  readonly useDeclared?: boolean;
}

const cache = new WeakMap<FamilySpec, Derivation>();

/** Derivation of a family, cached per spec object (default options). */
export function deriveFamily(spec: FamilySpec): Derivation {
  const hit = cache.get(spec);
  if (hit) return hit;
  const d = deriveFamilyWith(spec);
  cache.set(spec, d);
  return d;
}

/**
 * Derivation with explicit options (not cached).
 * @throws FamilyError naming the object when a derived object exceeds the budgets of ./budget.ts.
 */
export function deriveFamilyWith(spec: FamilySpec, opts: DeriveOptions = {}): Derivation {
  try {
    return deriveBudgeted(spec, opts);
  } catch (err) {
    // last line of defence: no stack overflow or simplifier budget escapes as an internal error
    if (err instanceof RangeError) throw budgetError(spec, `derivation exceeds the stack depth budget (${err.message})`);
    if (err instanceof SimplifyBudgetError) throw budgetError(spec, `derivation exceeds the simplifier's budget: ${err.message}`);
    throw err;
  }
}

function deriveBudgeted(spec: FamilySpec, opts: DeriveOptions): Derivation {
  const t0 = performance.now();
  const budget = new DeriveBudget(spec);
  const ctx = familyContext(spec);
  const params = ctx.params;
  const n = params.length;
  const l = ctx.l;
  const P = (...ii: number[]) => ii.map((i) => params[i]);
  budget.entry('the log-density', l);

  // score and Hessian for the report and compile: raw derivatives, then the (size-guarded) simplifier
  const rawScore = params.map((p) => differentiate(l, p));
  budget.all(rawScore, ([i]) => `score ∂_${P(i)} l`);
  const score = rawScore.map(simplify);
  const hessian = symmetric(n, (i, j) => simplify(differentiate(rawScore[i], params[j])));
  budget.all(hessian, ([i, j]) => `second derivative ∂_${P(i)} ∂_${P(j)} l`);
  const nonSmooth = isNonSmooth(ctx);

  budget.time('the Fisher metric');
  const fisherRes = fisherMatrix(ctx, score, opts);
  const g = fisherRes.matrix;
  budget.all(g, ([i, j]) => `Fisher metric g_${P(i, j).join(',')}`);
  const dFisher = metricDerivative(ctx, g, nonSmooth);
  budget.all(dFisher, ([k, i, j]) => `metric derivative ∂_${P(k)} g_${P(i, j).join(',')}`);
  const d2Fisher = dFisher ? metricSecondDerivative(ctx, dFisher) : null;
  budget.all(d2Fisher, ([k, m, i, j]) => `second metric derivative ∂_${P(k)} ∂_${P(m)} g_${P(i, j).join(',')}`);
  const christoffelFirst = dFisher ? christoffelFirstKind(dFisher) : null;
  budget.all(christoffelFirst, ([i, j, k]) => `Christoffel symbol Γ_${P(i, j).join(',')};${P(k)}`);
  const christoffel = christoffelFirst ? christoffelSecondKind(g, christoffelFirst) : null;
  budget.all(christoffel, ([k, i, j]) => `Christoffel symbol Γ^${P(k)}_${P(i, j).join(',')}`);
  const ac = amariChentsovTensor(ctx, dFisher, score, nonSmooth, opts);
  budget.all(ac.tensor, ([i, j, k]) => `Amari–Chentsov tensor T_${P(i, j, k).join(',')}`);
  budget.time('the scalar curvature');
  const { R, identified: rId } = scalarCurvatureDetailed(g, dFisher, d2Fisher, spec);
  if (R) budget.entry('scalar curvature R', R);
  budget.time('the KL divergence');
  const kl = klDivergence(ctx, opts);
  if (kl) budget.entry('KL divergence', kl.expr);
  const ginv = inverseMetric(g);
  budget.all(ginv, ([i, j]) => `inverse metric g^${P(i, j).join(',')}`);

  const closed = !anyExpect(g);
  const routes: Record<string, Route> = { fisher: fisherRes.route, amariChentsov: ac.route };
  if (christoffelFirst) routes.christoffel = closed ? fisherRes.route : 'quadrature';
  else routes.christoffel = 'finite-difference';
  if (R) routes.curvature = fisherRes.route;
  if (kl) routes.kl = kl.route;

  const steps = buildSteps({ spec, params, l, score, hessian, nonSmooth, g, ginv, christoffel, christoffelFirst, R, kl, routes, ac: ac.tensor });

  return {
    family: spec,
    dim: n,
    params,
    logDensity: l,
    score,
    hessian,
    nonSmooth,
    fisher: g,
    dFisher,
    d2Fisher,
    christoffelFirst,
    christoffel,
    amariChentsov: ac.tensor,
    scalarCurvature: R,
    kl: kl ? { expr: kl.expr, toSymbols: kl.toSymbols } : null,
    normalizer: deriveNormalizer(spec, [l, score, hessian, g, dFisher, d2Fisher, christoffelFirst, christoffel, ac.tensor, R]),
    routes,
    ...(rId ? { identified: { scalarCurvature: { value: rId.value, points: rId.points, maxDeviation: rId.maxDeviation } } } : {}),
    steps,
    millis: performance.now() - t0,
  };
}

interface StepInput {
  spec: FamilySpec;
  params: readonly string[];
  l: Expr;
  score: Expr[];
  hessian: Expr[][];
  nonSmooth: boolean;
  g: Expr[][];
  ginv: Expr[][] | null;
  christoffel: Expr[][][] | null;
  christoffelFirst: Expr[][][] | null;
  R: Expr | null;
  kl: { expr: Expr; toSymbols: readonly string[] } | null;
  routes: Record<string, Route>;
  ac: Expr[][][];
}

const ROUTE_TEXT: Record<Route, string> = {
  declared: 'the closed form declared in the family file',
  'exponential-family': 'the exponential-family identities',
  'finite-sum': 'an exact sum over the finite support',
  moments: 'term-by-term expectation with the moments table',
  quadrature: 'numerical quadrature (no closed form is used)',
  'finite-difference': 'finite differences of the numerical metric',
};

/** The constant 0 (the structural key '0', without building keys of large trees). */
function isZero(e: Expr): boolean {
  const a = e as Expr & { type: string; value?: unknown; content?: Expr };
  if (a.type === 'ParenthesisNode') return isZero(a.content!);
  return a.type === 'ConstantNode' && String(a.value) === '0';
}

function buildSteps(s: StepInput): Step[] {
  const tex = s.spec.params.map((p) => p.tex);
  const n = s.params.length;
  const steps: Step[] = [];
  steps.push({
    title: 'Density and log-likelihood',
    text: `One observation $${s.spec.variables.join(', ')}$; parameters $\\theta = (${tex.join(', ')})$.`,
    equations: [
      { lhs: 'p(x;\\theta)', rhs: fn('exp', s.l) },
      { lhs: '\\ell(\\theta; x) = \\log p(x;\\theta)', rhs: s.l },
    ],
  });
  steps.push({
    title: 'Score',
    text: s.nonSmooth ? 'The log-density is not differentiable everywhere; derivatives hold almost everywhere.' : undefined,
    equations: s.score.map((e, i) => ({ lhs: `\\partial_{${tex[i]}} \\ell`, rhs: e })),
  });
  const hess: { lhs: string; rhs: Expr }[] = [];
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) hess.push({ lhs: `\\partial_{${tex[i]}} \\partial_{${tex[j]}} \\ell`, rhs: s.hessian[i][j] });
  steps.push({ title: 'Second derivatives', equations: hess });

  const ef = s.spec.expfam;
  const route = s.routes.fisher;
  let expText: string;
  const expEqs: { lhs: string; rhs: Expr }[] = [];
  switch (route) {
    case 'declared':
      expText = `The Fisher metric is the closed form declared in the family file (source: ${s.spec.fisher?.source ?? 'family file'}).`;
      break;
    case 'exponential-family':
      expText =
        'Exponential family $\\ell = \\sum_a \\eta_a(\\theta) T_a(x) - A(\\theta) + \\log h(x)$: every $\\theta$-derivative of $\\ell$ is ' +
        '$\\sum_a \\partial\\eta_a\\, T_a - \\partial A$, so $g_{ij} = \\partial_i\\partial_j A - \\sum_a \\partial_i\\partial_j \\eta_a\\, E[T_a]$.';
      if (ef) {
        ef.eta.forEach((e, a) => expEqs.push({ lhs: `\\eta_{${a + 1}}`, rhs: e }));
        ef.T.forEach((e, a) => expEqs.push({ lhs: `T_{${a + 1}}`, rhs: e }));
        expEqs.push({ lhs: 'A(\\theta)', rhs: ef.A });
        ef.ET.forEach((e, a) => expEqs.push({ lhs: `E[T_{${a + 1}}]`, rhs: e }));
      }
      break;
    case 'finite-sum':
      expText = 'Finite support: every expectation is the exact sum $\\sum_v p(v;\\theta) f(v)$.';
      break;
    case 'moments':
      expText = 'Each term of $-\\partial_i\\partial_j \\ell$ is split into a $\\theta$-part times an $x$-feature whose expectation is in the moments table.';
      for (const [k, v] of s.spec.moments) expEqs.push({ lhs: `E[${k}]`, rhs: v });
      break;
    default:
      expText = s.nonSmooth
        ? 'No closed form is used: the log-density is not smooth, so the metric is taken in the score form $g_{ij} = E[\\partial_i \\ell\\, \\partial_j \\ell]$ and its entries are computed by numerical quadrature (split at the breakpoints); its derivatives by finite differences.'
        : 'No closed form is used: the entries $g_{ij} = -E[\\partial_i\\partial_j \\ell]$ are computed by numerical quadrature over the support; their derivatives by the score identity $\\partial_m E[f] = E[\\partial_m f + f\\,\\partial_m \\ell]$, also by quadrature.';
  }
  steps.push({ title: 'Expectations', text: `Route: ${ROUTE_TEXT[route]}. ${expText}`, equations: expEqs.length ? expEqs : undefined });
  steps.push({ title: 'Fisher information matrix', equations: [{ lhs: 'g(\\theta)', rhs: s.g }] });
  if (s.ginv) steps.push({ title: 'Inverse metric', equations: [{ lhs: 'g^{-1}(\\theta)', rhs: s.ginv }] });
  const chr: { lhs: string; rhs: Expr }[] = [];
  if (s.christoffel) {
    for (let k = 0; k < n; k++)
      for (let i = 0; i < n; i++)
        for (let j = i; j < n; j++)
          if (!isZero(s.christoffel[k][i][j])) chr.push({ lhs: `\\Gamma^{${tex[k]}}_{${tex[i]} ${tex[j]}}`, rhs: s.christoffel[k][i][j] });
    steps.push({ title: 'Christoffel symbols (second kind)', text: 'Non-zero $\\Gamma^k_{ij} = g^{kl}\\,\\Gamma_{ij,l}$; all others vanish.', equations: chr });
  } else if (s.christoffelFirst) {
    for (let i = 0; i < n; i++)
      for (let j = i; j < n; j++)
        for (let k = 0; k < n; k++)
          if (!isZero(s.christoffelFirst[i][j][k])) chr.push({ lhs: `\\Gamma_{${tex[i]} ${tex[j]}, ${tex[k]}}`, rhs: s.christoffelFirst[i][j][k] });
    steps.push({
      title: 'Christoffel symbols (first kind)',
      text: '$\\Gamma_{ij,k} = \\tfrac12(\\partial_i g_{jk} + \\partial_j g_{ik} - \\partial_k g_{ij})$; the second kind $\\Gamma^k_{ij} = g^{kl}\\Gamma_{ij,l}$ is obtained numerically by a linear solve.',
      equations: chr,
    });
  } else {
    steps.push({ title: 'Christoffel symbols', text: 'Computed numerically from finite differences of the quadrature metric.' });
  }
  if (s.R) {
    const constant = constValue(s.R) !== undefined || (opOf(s.R) === 'divide' && argsOf(s.R).every((a) => constValue(a) !== undefined));
    const text =
      n === 2
        ? '$R = 2K$ with the Gaussian curvature $K$ (Brioschi formula).' +
          (constant ? ' The curvature is constant (where the algebra left an uncancelled rational form, the constant was recognised by evaluation at several random points of the domain).' : '')
        : 'A one-dimensional manifold is flat.';
    steps.push({ title: 'Scalar curvature', text, equations: [{ lhs: 'R(\\theta)', rhs: s.R }] });
  }
  else steps.push({ title: 'Scalar curvature', text: 'Computed numerically from the metric and its derivatives ($R = g^{bd} R^a{}_{bad}$).' });
  const ac: { lhs: string; rhs: Expr }[] = [];
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++)
      for (let k = j; k < n; k++)
        if (!isZero(s.ac[i][j][k])) ac.push({ lhs: `T_{${tex[i]} ${tex[j]} ${tex[k]}}`, rhs: s.ac[i][j][k] });
  steps.push({
    title: 'Amari–Chentsov tensor',
    text: `$T_{ijk} = E[\\partial_i \\ell\\, \\partial_j \\ell\\, \\partial_k \\ell]$, route: ${ROUTE_TEXT[s.routes.amariChentsov]}.`,
    equations: ac,
  });
  const toSyms = s.kl?.toSymbols ?? s.params.map((p) => `${p}_to`);
  let quad: Expr = num(0);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const di = sub(sym(toSyms[i]), sym(s.params[i]));
      const dj = sub(sym(toSyms[j]), sym(s.params[j]));
      if (!isZero(s.g[i][j])) quad = add(quad, mul(mul(s.g[i][j], di), dj));
    }
  const klEqs: { lhs: string; rhs: Expr }[] = [{ lhs: "\\mathrm{KL}(p_\\theta \\| p_{\\theta'}) \\approx \\tfrac12\\, d\\theta^\\top g\\, d\\theta", rhs: div(quad, num(2)) }];
  if (s.kl) klEqs.push({ lhs: "\\mathrm{KL}(p_\\theta \\| p_{\\theta'})", rhs: s.kl.expr });
  steps.push({
    title: 'Kullback–Leibler divergence',
    text: s.kl
      ? `Exact closed form by ${ROUTE_TEXT[s.routes.kl]}, and its quadratic approximation for $\\theta' = \\theta + d\\theta$.`
      : 'No closed form: computed by numerical quadrature of $E_\\theta[\\ell_\\theta - \\ell_{\\theta\'}]$. Quadratic approximation for $\\theta\' = \\theta + d\\theta$:',
    equations: klEqs,
  });
  return steps;
}
