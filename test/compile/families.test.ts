/**
 * Every built-in family through declare → derive → compile, checked against independent numbers:
 * the compiled metric against quadrature of E[∂_i l ∂_j l] (score form), the compiled Amari–Chentsov
 * tensor against quadrature of E[∂_i l ∂_j l ∂_k l], closed-form KL against quadrature of
 * E_from[l_from − l_to], Christoffel symbols against central differences of the compiled metric,
 * and named closed forms (normal, gamma, beta, von Mises, categorical3).
 */
import { describe, expect, it } from 'vitest';
import { OperatorNode } from 'mathjs';
import type { MathNode } from 'mathjs';
import { compileFamily } from '../../src/compile/compileFamily.js';
import { expectationEngine, klQuadrature, logDensitySampler } from '../../src/compile/expectation.js';
import { compileExprs } from '../../src/compile/compileExprs.js';
import type { DataBundle } from '../../src/compile/compileExprs.js';
import { SPECIAL, psi2 } from '../../src/core/special.js';
import { listFamilies, loadFamily } from '../helpers/declaredFamilies.js';
import { parseFamily } from '../../src/declare/parseFamily.js';
import { evaluate } from '../../src/core/evaluate.js';
import { deriveFamily } from '../../src/derive/deriveFamily.js';
import type { Derivation } from '../../src/derive/types.js';

const MID = { real: 0.3, positive: 1.7, unit: 0.35, circle: 0.3 } as const;

function pointFor(d: Derivation): number[] {
  if (d.family.name === 'categorical3') return [0.3, 0.35];
  if (d.family.name === 'mvnormal2') return [0.3, -0.4, 1.7, 0.3, 1.2];
  return d.family.params.map((p) => MID[p.domain]);
}

function secondPoint(d: Derivation): number[] {
  if (d.family.name === 'categorical3') return [0.2, 0.5];
  if (d.family.name === 'mvnormal2') return [-0.2, 0.1, 1.1, -0.2, 0.9];
  return d.family.params.map((p) => (p.domain === 'real' ? -0.4 : p.domain === 'positive' ? 1.1 : 0.6));
}

const mul = (a: MathNode, b: MathNode): MathNode => new OperatorNode('*', 'multiply', [a, b]);

/** |a − b| ≤ tol · max(|b|_∞, floor) entrywise. */
function expectErr(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string, floor = 1e-300) {
  const scale = Math.max(...Array.from(b, Math.abs), floor);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `${what}[${i}]: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol * scale);
}

const families = listFamilies();

describe.each(families)('compiled family %s', (name) => {
  const d = deriveFamily(loadFamily(name));
  const c = compileFamily(d);
  const n = d.dim;
  const theta = pointFor(d);
  const info = { support: d.family.support, variables: d.family.variables, breakpoints: d.family.breakpoints.length ? compileExprs(d.family.breakpoints, { theta: d.params }, d.family.constants).evaluate : null };

  it('has an in-domain test point and finite log-density/score', () => {
    expect(c.checkPoint(theta)).toBeNull();
    expect(c.dim).toBe(n);
    expect(c.paramNames).toEqual(d.params);
  });

  it('metric equals quadrature of E[∂_i l ∂_j l] and the Amari–Chentsov tensor E[∂_i l ∂_j l ∂_k l]', () => {
    const pairs: MathNode[] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) pairs.push(mul(d.score[i], d.score[j]));
    const triples: MathNode[] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) triples.push(mul(mul(d.score[i], d.score[j]), d.score[k]));
    const eng = expectationEngine(n <= 3 ? [...pairs, ...triples] : pairs, d.logDensity, d.params, info, d.family.constants);
    const e = eng.evaluate(theta);
    const g = c.fisher(theta);
    expectErr(g, e.subarray(0, n * n), 1e-9, 'g');
    // T vanishes identically for some families (cauchy): compare on the scale of g.
    if (n <= 3) expectErr(c.amariChentsov(theta), e.subarray(n * n), 1e-8, 'T', Math.max(...Array.from(g, Math.abs)));
    // Symmetric.
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(g[i * n + j]).toBe(g[j * n + i]);
  });

  it('Christoffel symbols match central differences of the compiled metric', () => {
    const h = 1e-5;
    const dg = new Float64Array(n * n * n);
    for (let k = 0; k < n; k++) {
      const p = theta.slice();
      const m = theta.slice();
      const hk = h * Math.max(1, Math.abs(theta[k]));
      p[k] += hk;
      m[k] -= hk;
      const gp = c.fisher(p);
      const gm = c.fisher(m);
      for (let i = 0; i < n * n; i++) dg[k * n * n + i] = (gp[i] - gm[i]) / (2 * hk);
    }
    expectErr(c.dFisher(theta), dg, 1e-7, '∂g');
    // Γ^k_ij g_kl = Γ_ij,l from the differences.
    const G = c.christoffel(theta);
    const g = c.fisher(theta);
    const lowered = new Float64Array(n * n * n);
    const first = new Float64Array(n * n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        for (let l = 0; l < n; l++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += G[(k * n + i) * n + j] * g[k * n + l];
          lowered[(i * n + j) * n + l] = s;
          first[(i * n + j) * n + l] = 0.5 * (dg[(i * n + j) * n + l] + dg[(j * n + i) * n + l] - dg[(l * n + i) * n + j]);
        }
    expectErr(lowered, first, 1e-7, 'Γ lowered');
    expectErr(c.christoffelFirst(theta), first, 1e-7, 'Γ first kind');
  });

  it('generated code equals the core interpreter on the derivation trees (score, log-density, g, ∂g, Γ)', () => {
    const scope = new Map<string, number>(Object.entries(d.family.constants));
    d.params.forEach((p, i) => scope.set(p, theta[i]));
    const xs = d.family.variables.length === 1 ? [0.7] : [[0.2, 0.3]];
    const x = xs[0];
    d.family.variables.forEach((v, i) => scope.set(v, Array.isArray(x) ? x[i] : x));
    const flat = (t: unknown): MathNode[] => (Array.isArray(t) ? t.flatMap(flat) : [t as MathNode]);
    const same = (got: ArrayLike<number>, trees: MathNode[], what: string) =>
      trees.forEach((t, k) => {
        const want = evaluate(t, scope);
        expect(Math.abs(got[k] - want), `${what}[${k}]`).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(want)));
      });
    same(c.score(x as number, theta), [...d.score], 'score');
    same([c.logDensity(x as number, theta)], [d.logDensity], 'logDensity');
    if (c.methods.fisher === 'closed-form') same(c.fisher(theta), flat(d.fisher), 'fisher');
    if (d.dFisher && c.methods.dFisher === 'closed-form') same(c.dFisher(theta), flat(d.dFisher), 'dFisher');
    if (d.christoffel && c.methods.christoffel === 'closed-form') same(c.christoffel(theta), flat(d.christoffel), 'christoffel');
  });

  it('KL agrees with quadrature of E_from[l_from − l_to]', () => {
    const to = secondPoint(d);
    expect(c.checkPoint(to)).toBeNull();
    const lSample = logDensitySampler(d.logDensity, d.params, info, d.family.constants);
    const q = klQuadrature(info, lSample, theta, to);
    const kl = c.kl(theta, to);
    expect(Math.abs(kl - q), `${kl} vs ${q}`).toBeLessThan(1e-9 * Math.max(1, q));
    expect(c.kl(theta, theta)).toBeCloseTo(0, 10);
  });
});

describe('compiled families: named closed forms', () => {
  const get = (name: string) => compileFamily(deriveFamily(loadFamily(name)));

  it('normal: g = diag(1/σ², 2/σ²), Γ^σ_μμ = 1/(2σ), R = −1', () => {
    const c = get('normal');
    const s = 1.3;
    expectErr(c.fisher([0.2, s]), [1 / s ** 2, 0, 0, 2 / s ** 2], 1e-15, 'g');
    expectErr(c.christoffel([0.2, s]), [0, -1 / s, -1 / s, 0, 1 / (2 * s), 0, 0, -1 / s], 1e-15, 'Γ');
    expect(c.scalarCurvature([0.2, s])).toBeCloseTo(-1, 12);
    const ric = c.ricci([0.2, s]);
    expect(ric[0] * s ** 2).toBeCloseTo(-0.5, 12);
  });

  it('gamma: g = [[ψ₁(α), −1/β], [−1/β, α/β²]], Γ^α_αα = αψ₂/(2(αψ₁ − 1))', () => {
    const c = get('gamma');
    const [a, b] = [2.3, 0.7];
    const t1 = SPECIAL.trigamma(a);
    expectErr(c.fisher([a, b]), [t1, -1 / b, -1 / b, a / b ** 2], 1e-15, 'g');
    expect(c.christoffel([a, b])[0]).toBeCloseTo((a * psi2(a)) / (2 * (a * t1 - 1)), 13);
  });

  it('beta: g = diag(ψ₁(a), ψ₁(b)) − ψ₁(a + b)', () => {
    const c = get('beta');
    const [a, b] = [0.7, 3.2];
    const t = SPECIAL.trigamma(a + b);
    expectErr(c.fisher([a, b]), [SPECIAL.trigamma(a) - t, -t, -t, SPECIAL.trigamma(b) - t], 1e-14, 'g');
  });

  it('von Mises: g = diag(κA(κ), 1 − A/κ − A²)', () => {
    const c = get('vonmises');
    for (const k of [0.3, 2.5, 60]) {
      const A = SPECIAL.besselratio(k);
      expectErr(c.fisher([1, k]), [k * A, 0, 0, 1 - A / k - A * A], 1e-12, 'g');
    }
  });

  it('categorical3: g = diag(1/p) + 1/p₃, scalar curvature +1/2 everywhere', () => {
    const c = get('categorical3');
    expectErr(c.fisher([0.2, 0.5]), [5 + 1 / 0.3, 1 / 0.3, 1 / 0.3, 2 + 1 / 0.3], 1e-14, 'g');
    for (const p of [[0.2, 0.5], [0.05, 0.9], [0.6, 0.3]]) expect(c.scalarCurvature(p)).toBeCloseTo(0.5, 11);
    // The numeric Riemann route agrees with the symbolic scalar.
    const ric = c.ricci([0.2, 0.5]);
    const g = c.fisher([0.2, 0.5]);
    const det = g[0] * g[3] - g[1] * g[2];
    const R = (g[3] * ric[0] - g[1] * ric[2] - g[2] * ric[1] + g[0] * ric[3]) / det;
    expect(R).toBeCloseTo(0.5, 11);
  });

  it('cauchy and laplace: diag(1/(2γ²)) and diag(1/b²), curvatures −4 and −2', () => {
    const ca = get('cauchy');
    expectErr(ca.fisher([3, 0.2]), [12.5, 0, 0, 12.5], 1e-14, 'g');
    expect(ca.scalarCurvature([3, 0.2])).toBeCloseTo(-4, 12);
    const la = get('laplace');
    expectErr(la.fisher([3, 0.2]), [25, 0, 0, 25], 1e-14, 'g');
    expect(la.scalarCurvature([3, 0.2])).toBeCloseTo(-2, 12);
  });

  it('mvnormal2: numeric curvature is constant (homogeneous space) and agrees with finite differences of g', () => {
    const c = get('mvnormal2');
    const R1 = c.scalarCurvature([0.3, -0.4, 1.7, 0.3, 1.2]);
    const R2 = c.scalarCurvature([5, 2, 0.2, -0.1, 3]);
    expect(R1).toBeCloseTo(R2, 9);
    expect(R1).toBeLessThan(0);
  });
});

describe('compiled user family with names that collide with generated identifiers', () => {
  it('maps parameters named x0, t0, c0 and a data variable named t1 by index, never by name', () => {
    const text = [
      'name: collide',
      'title: Normal with awkward names',
      'params:',
      "  - { name: x0, domain: real, tex: 'm' }",
      "  - { name: t0, domain: positive, tex: 's' }",
      'variables: [t1]',
      'support: real',
      'logDensity: "-log(t0) - (t1 - x0)^2/(2*t0^2) - log(2*pi)/2"',
      'sampler: { method: normal, args: [x0, t0] }',
    ].join('\n');
    const spec = parseFamily(text, '/virtual/collide.yaml');
    const d = deriveFamily(spec);
    const c = compileFamily(d);
    const th = [0.4, 1.3];
    expectErr(c.fisher(th), [1 / 1.3 ** 2, 0, 0, 2 / 1.3 ** 2], 1e-12, 'g');
    const z = (2 - 0.4) / 1.3;
    expect(c.logDensity(2, th)).toBeCloseTo(-Math.log(1.3) - z * z / 2 - Math.log(2 * Math.PI) / 2, 13);
    expectErr(c.score(2, th), [z / 1.3, (z * z - 1) / 1.3], 1e-14, 'score');
    expect(c.scalarCurvature(th)).toBeCloseTo(-1, 10);
    // In the generated score source, t0/t1 are θ[0]/θ[1] and x0 the data point.
    expect(c.source.score).toContain('const t0 = theta[0];');
    expect(c.source.score).toContain('const x0 = x;');
  });
});
