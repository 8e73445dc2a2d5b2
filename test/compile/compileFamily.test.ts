/**
 * compileFamily on derivations written by hand (test/compile/handDerivation.ts), so every route of
 * the compile stage is checked against closed forms independently of the derive stage.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'mathjs';
import { compileFamily } from '../../src/compile/compileFamily.js';
import { expectationEngine } from '../../src/compile/expectation.js';
import { loadFamily } from '../../src/node/loadFamily.js';
import { SPECIAL, psi2 } from '../../src/core/special.js';
import { handDerivation } from './handDerivation.js';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, scale = 1) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `entry ${i}: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol * Math.max(scale, Math.abs(b[i])));
};

const NORMAL_SCORE = ['(x - mu)/sigma^2', '-1/sigma + (x - mu)^2/sigma^3'];
const zero2 = [['0', '0'], ['0', '0']];

/** Normal with closed-form g, ∂g, ∂²g and KL (no symbolic Christoffels: the LU route is used). */
const normalClosed = () =>
  handDerivation('normal', {
    score: NORMAL_SCORE,
    fisher: [['1/sigma^2', '0'], ['0', '2/sigma^2']],
    dFisher: [zero2, [['-2/sigma^3', '0'], ['0', '-4/sigma^3']]],
    d2Fisher: [[zero2, zero2], [zero2, [['6/sigma^4', '0'], ['0', '12/sigma^4']]]],
    kl: { expr: 'log(s2/sigma) + (sigma^2 + (mu - m2)^2)/(2*s2^2) - 1/2', toSymbols: ['m2', 's2'] },
  });

/** Γ^k_ij of the normal (μ, σ): Γ^μ_μσ = −1/σ, Γ^σ_μμ = 1/(2σ), Γ^σ_σσ = −1/σ. */
function normalChristoffel(s: number): number[] {
  return [0, -1 / s, -1 / s, 0, 1 / (2 * s), 0, 0, -1 / s];
}

/** T_ijk of the normal: T_μμσ (and permutations) = 2/σ³, T_σσσ = 8/σ³. */
function normalT(s: number): number[] {
  const a = 2 / s ** 3;
  return [0, a, a, 0, a, 0, 0, 8 / s ** 3];
}

describe('compileFamily (closed-form objects)', () => {
  const c = compileFamily(normalClosed());
  const theta = [0.3, 1.7];

  it('evaluates log-density, score and metric of the normal', () => {
    const x = 1.1;
    const z = (x - 0.3) / 1.7;
    expect(c.logDensity(x, theta)).toBeCloseTo(-Math.log(1.7) - z * z / 2 - Math.log(2 * Math.PI) / 2, 14);
    close(c.score(x, theta), [z / 1.7, (z * z - 1) / 1.7], 1e-15);
    close(c.fisher(theta), [1 / 1.7 ** 2, 0, 0, 2 / 1.7 ** 2], 1e-15);
    expect(c.methods.fisher).toBe('closed-form');
    expect(c.source.fisher).toMatch(/out\[3\]/);
    // Factories: θ-part evaluated once, same numbers.
    const sf = c.scoreFactory?.(theta);
    const lf = c.logDensityFactory?.(theta);
    close(sf?.(x) ?? [], c.score(x, theta), 1e-15);
    expect(lf?.(x)).toBeCloseTo(c.logDensity(x, theta), 14);
  });

  it('raises Christoffel symbols (generated LDLᵀ solve), gets curvature −1 and the Riemann symmetries', () => {
    close(c.christoffel(theta), normalChristoffel(1.7), 1e-15);
    expect(c.methods.christoffel).toBe('closed-form + unrolled LDLᵀ');
    expect(c.scalarCurvature(theta)).toBeCloseTo(-1, 13);
    expect(c.scalarCurvature([-4, 0.05])).toBeCloseTo(-1, 11);
    const R = c.riemann(theta);
    const n = 2;
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++)
        for (let cc = 0; cc < n; cc++)
          for (let d = 0; d < n; d++) expect(R[((a * n + b) * n + cc) * n + d]).toBeCloseTo(-R[((a * n + b) * n + d) * n + cc], 14);
    // Gaussian curvature K = R_{μσμσ}/det g = −½.
    const g = c.fisher(theta);
    const Rlow = g[0] * R[((0 * n + 1) * n + 0) * n + 1] + g[1] * R[((1 * n + 1) * n + 0) * n + 1];
    expect(Rlow / (g[0] * g[3] - g[1] * g[2])).toBeCloseTo(-0.5, 13);
    close(c.ricci(theta), [-0.5 / 1.7 ** 2, 0, 0, -1 / 1.7 ** 2], 1e-13);
  });

  it('computes the Amari–Chentsov tensor by quadrature and the α-connections from it', () => {
    close(c.amariChentsov(theta), normalT(1.7), 1e-11, 1e-3);
    expect(c.methods.amariChentsov).toBe('quadrature');
    close(c.alphaChristoffel(0, theta), normalChristoffel(1.7), 1e-15);
    // Γ^(α)k_ij = Γ^k_ij − (α/2) g^{kk} T_ijk for the diagonal metric.
    const alpha = 0.7;
    const s = 1.7;
    const gInv = [s * s, s * s / 2];
    const T = normalT(s);
    const G = normalChristoffel(s);
    const expected = G.map((v, idx) => {
      const k = idx >> 2;
      const ij = idx & 3;
      return v - (alpha / 2) * gInv[k] * T[ij * 2 + k];
    });
    close(c.alphaChristoffel(alpha, theta), expected, 1e-11, 1e-3);
  });

  it('uses the closed-form KL and agrees with quadrature of E[l_from − l_to]', () => {
    const from = [0.3, 1.7];
    const to = [-1.2, 0.6];
    const exact = Math.log(0.6 / 1.7) + (1.7 ** 2 + 1.5 ** 2) / (2 * 0.36) - 0.5;
    expect(c.kl(from, to)).toBeCloseTo(exact, 13);
    expect(c.methods.kl).toBe('closed-form');
    const q = compileFamily(handDerivation('normal', { score: NORMAL_SCORE }));
    expect(q.methods.kl).toBe('quadrature');
    expect(Math.abs(q.kl(from, to) - exact)).toBeLessThan(1e-11 * exact);
  });

  it('checks points against domains and constraints with a message', () => {
    expect(c.checkPoint(theta)).toBeNull();
    expect(c.checkPoint([0, -1])).toMatch(/sigma/);
    expect(c.checkPoint([NaN, 1])).toMatch(/mu/);
    expect(c.checkPoint([1])).toMatch(/expected 2/);
  });

  it('matches central finite differences of the compiled metric (gamma, symbolic ∂g)', () => {
    const gam = compileFamily(
      handDerivation('gamma', {
        score: ['log(beta) - digamma(alpha) + log(x)', 'alpha/beta - x'],
        fisher: [['trigamma(alpha)', '-1/beta'], ['-1/beta', 'alpha/beta^2']],
        dFisher: [[['polygamma(2, alpha)', '0'], ['0', '1/beta^2']], [['0', '1/beta^2'], ['1/beta^2', '-2*alpha/beta^3']]],
      }),
    );
    const th = [2.3, 0.8];
    const h = 1e-4;
    const n = 2;
    const dg = new Float64Array(8);
    for (let k = 0; k < n; k++) {
      const p = th.slice();
      const m = th.slice();
      p[k] += h;
      m[k] -= h;
      const gp = gam.fisher(p);
      const gm = gam.fisher(m);
      for (let i = 0; i < 4; i++) dg[k * 4 + i] = (gp[i] - gm[i]) / (2 * h);
    }
    close(gam.dFisher(th), dg, 1e-7);
    // Γ^k_ij from the FD derivatives, raised with the closed-form inverse.
    const g = gam.fisher(th);
    const det = g[0] * g[3] - g[1] * g[2];
    const gi = [g[3] / det, -g[1] / det, -g[2] / det, g[0] / det];
    const first = (i: number, j: number, l: number) => 0.5 * (dg[i * 4 + j * 2 + l] + dg[j * 4 + i * 2 + l] - dg[l * 4 + i * 2 + j]);
    const G: number[] = [];
    for (let k = 0; k < 2; k++) for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) G.push(gi[k * 2] * first(i, j, 0) + gi[k * 2 + 1] * first(i, j, 1));
    close(gam.christoffel(th), G, 1e-7);
    expect(gam.dFisher(th)[0]).toBe(psi2(2.3));
    // ∂²g by differences of the symbolic ∂g: scalar curvature of the gamma manifold is finite and negative.
    expect(gam.methods.d2Fisher).toBe('finite-difference');
    const R = gam.scalarCurvature(th);
    // Independent reference: Gaussian curvature by the Brioschi formula (R = 2K in dimension 2).
    const K = brioschiGamma(2.3, 0.8, SPECIAL.trigamma(2.3), psi2(2.3));
    expect(R).toBeCloseTo(2 * K, 8);
  });
});

/**
 * Gaussian curvature of g = [[E, F], [F, G]] on coordinates (u, v) = (α, β) by the Brioschi formula,
 * with the metric partials written out for the gamma family: E = ψ₁(α), F = −1/β, G = α/β².
 */
function brioschiGamma(a: number, b: number, t1: number, p2: number): number {
  const E = t1;
  const F = -1 / b;
  const G = a / (b * b);
  const Eu = p2;
  const Ev = 0;
  const Fu = 0;
  const Fv = 1 / (b * b);
  const Gu = 1 / (b * b);
  const Gv = (-2 * a) / b ** 3;
  const Evv = 0;
  const Guu = 0;
  const Fuv = 0;
  const det3 = (m: number[][]) =>
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const A = det3([
    [-Evv / 2 + Fuv - Guu / 2, Eu / 2, Fu - Ev / 2],
    [Fv - Gu / 2, E, F],
    [Gv / 2, F, G],
  ]);
  const B = det3([
    [0, Ev / 2, Gu / 2],
    [Ev / 2, E, F],
    [Gu / 2, F, G],
  ]);
  return (A - B) / (E * G - F * F) ** 2;
}

describe('compileFamily (quadrature and finite-difference routes)', () => {
  it('normal from the score form: quadrature metric, FD derivatives, curvature −1', () => {
    const q = compileFamily(handDerivation('normal', { score: NORMAL_SCORE }));
    const th = [0.3, 1.7];
    close(q.fisher(th), [1 / 1.7 ** 2, 0, 0, 2 / 1.7 ** 2], 1e-12, 1e-3);
    expect(q.methods.fisher).toBe('quadrature');
    expect(q.methods.dFisher).toBe('finite-difference');
    close(q.christoffel(th), normalChristoffel(1.7), 1e-8, 1e-2);
    expect(q.scalarCurvature(th)).toBeCloseTo(-1, 7);
  });

  it('cauchy: g = diag(1/(2γ²), 1/(2γ²)), R = −4, KL closed form', () => {
    const cc = compileFamily(
      handDerivation('cauchy', {
        score: ['2*(x - x0)/(gamma^2 + (x - x0)^2)', '-1/gamma + 2*(x - x0)^2/(gamma*(gamma^2 + (x - x0)^2))'],
      }),
    );
    for (const th of [[0.3, 1.7], [120, 0.01], [-3, 50]]) {
      const v = 1 / (2 * th[1] ** 2);
      close(cc.fisher(th), [v, 0, 0, v], 1e-9, v);
    }
    expect(cc.scalarCurvature([0.3, 1.7])).toBeCloseTo(-4, 6);
    const kl = Math.log(((1.7 + 0.5) ** 2 + (0.3 - 2) ** 2) / (4 * 1.7 * 0.5));
    expect(cc.kl([0.3, 1.7], [2, 0.5])).toBeCloseTo(kl, 10);
  });

  it('laplace (non-smooth): quadrature split at μ, finite-difference ∂g, R = −2', () => {
    const lp = compileFamily(handDerivation('laplace', { score: ['sign(x - mu)/b', '-1/b + abs(x - mu)/b^2'] }));
    for (const th of [[0.3, 1.7], [-40, 0.02]]) {
      const v = 1 / th[1] ** 2;
      close(lp.fisher(th), [v, 0, 0, v], 1e-9, v);
    }
    const th = [0.3, 1.7];
    close(lp.dFisher(th), [0, 0, 0, 0, -2 / 1.7 ** 3, 0, 0, -2 / 1.7 ** 3], 1e-8, 1e-2);
    expect(lp.methods.dFisher).toBe('finite-difference');
    expect(lp.methods.curvature).toBe('finite-difference');
    expect(lp.scalarCurvature(th)).toBeCloseTo(-2, 7);
    // KL(L(0,1) ‖ L(1,2)) = log 2 + 1/2 + e^{−1}/2 − 1.
    expect(lp.kl([0, 1], [1, 2])).toBeCloseTo(Math.log(2) + 0.5 + Math.exp(-1) / 2 - 1, 11);
  });

  it('von Mises on the circle: g = diag(κA(κ), 1 − A/κ − A²)', () => {
    const vm = compileFamily(handDerivation('vonmises', { score: ['kappa*sin(x - mu)', 'cos(x - mu) - besselratio(kappa)'] }));
    for (const [mu, k] of [[0.4, 2.5], [3, 0.3], [-2, 40]]) {
      const A = SPECIAL.besselratio(k);
      close(vm.fisher([mu, k]), [k * A, 0, 0, 1 - A / k - A * A], 1e-10, 1e-3);
    }
  });

  it('categorical3: finite sums give diag(1/p) + 1/p₃ and curvature +1/2 (closed form and FD routes)', () => {
    const L1 = '((x - 2)*(x - 3)/2)';
    const L2 = '(-(x - 1)*(x - 3))';
    const L3 = '((x - 1)*(x - 2)/2)';
    const score = [`${L1}/p1 - ${L3}/(1 - p1 - p2)`, `${L2}/p2 - ${L3}/(1 - p1 - p2)`];
    const q = compileFamily(handDerivation('categorical3', { score }));
    const th = [0.2, 0.5];
    const p3 = 0.3;
    close(q.fisher(th), [1 / 0.2 + 1 / p3, 1 / p3, 1 / p3, 1 / 0.5 + 1 / p3], 1e-14);
    expect(q.scalarCurvature(th)).toBeCloseTo(0.5, 6);
    const p3s = '(1 - p1 - p2)';
    const closed = compileFamily(
      handDerivation('categorical3', {
        score,
        fisher: [[`1/p1 + 1/${p3s}`, `1/${p3s}`], [`1/${p3s}`, `1/p2 + 1/${p3s}`]],
        dFisher: [
          [[`-1/p1^2 + 1/${p3s}^2`, `1/${p3s}^2`], [`1/${p3s}^2`, `1/${p3s}^2`]],
          [[`1/${p3s}^2`, `1/${p3s}^2`], [`1/${p3s}^2`, `-1/p2^2 + 1/${p3s}^2`]],
        ],
        d2Fisher: [
          [
            [[`2/p1^3 + 2/${p3s}^3`, `2/${p3s}^3`], [`2/${p3s}^3`, `2/${p3s}^3`]],
            [[`2/${p3s}^3`, `2/${p3s}^3`], [`2/${p3s}^3`, `2/${p3s}^3`]],
          ],
          [
            [[`2/${p3s}^3`, `2/${p3s}^3`], [`2/${p3s}^3`, `2/${p3s}^3`]],
            [[`2/${p3s}^3`, `2/${p3s}^3`], [`2/${p3s}^3`, `2/p2^3 + 2/${p3s}^3`]],
          ],
        ],
      }),
    );
    for (const t of [[0.2, 0.5], [0.01, 0.98], [0.6, 0.1]]) expect(closed.scalarCurvature(t)).toBeCloseTo(0.5, 11);
    // Near the constraint boundary the FD stencil must stay inside p1 + p2 < 1.
    expect(q.scalarCurvature([0.45, 0.5])).toBeCloseTo(0.5, 5);
    expect(q.checkPoint([0.6, 0.5])).toMatch(/1 - p1 - p2/);
  });
});

describe('numeric curvature in three dimensions', () => {
  it('upper half-space metric I/z² (coordinates a1, a2, a3 = z): R = −6, Ricci = −2g', () => {
    const z = [['0', '0', '0'], ['0', '0', '0'], ['0', '0', '0']];
    const d = (v: string) => [[v, '0', '0'], ['0', v, '0'], ['0', '0', v]];
    const h = compileFamily(
      handDerivation('dirichlet3', {
        score: ['log(x1)', 'log(x2)', 'log(1 - x1 - x2)'],
        fisher: d('1/a3^2'),
        dFisher: [z, z, d('-2/a3^3')],
      }),
    );
    for (const th of [[1, 2, 0.5], [0.3, 4, 3]]) {
      expect(h.scalarCurvature(th)).toBeCloseTo(-6, 8);
      const g = h.fisher(th);
      close(h.ricci(th), Array.from(g, (v) => -2 * v), 1e-8, 1 / th[2] ** 2);
    }
  });
});

describe('expectationEngine (two data variables)', () => {
  it('dirichlet3 on the simplex: E[log x₁] = ψ(a₁) − ψ(a₀)', () => {
    const spec = loadFamily('dirichlet3');
    const eng = expectationEngine([parse('log(x1)'), parse('x1*x2')], spec.logDensity, ['a1', 'a2', 'a3'], { support: spec.support, variables: spec.variables, breakpoints: null }, spec.constants);
    const a = [1.5, 2.5, 3];
    const a0 = 7;
    const e = eng.evaluate(a);
    expect(e[0]).toBeCloseTo(SPECIAL.digamma(1.5) - SPECIAL.digamma(a0), 10);
    expect(e[1]).toBeCloseTo((1.5 * 2.5) / (a0 * (a0 + 1)), 10);
  });

  it('uses the accurate complement 1 − x (beta b < 1) and 1 − x₁ − x₂ (dirichlet a₃ < 1)', () => {
    const beta = loadFamily('beta');
    const eb = expectationEngine([parse('x'), parse('log(1 - x)')], beta.logDensity, ['a', 'b'], { support: beta.support, variables: beta.variables, breakpoints: null }, beta.constants);
    const vb = eb.evaluate([0.2, 0.3]);
    expect(vb[0]).toBeCloseTo(0.4, 13);
    expect(vb[1]).toBeCloseTo(SPECIAL.digamma(0.3) - SPECIAL.digamma(0.5), 11);
    const dir = loadFamily('dirichlet3');
    const ed = expectationEngine([parse('log(1 - x1 - x2)')], dir.logDensity, ['a1', 'a2', 'a3'], { support: dir.support, variables: dir.variables, breakpoints: null }, dir.constants);
    expect(ed.evaluate([1.5, 2, 0.3])[0]).toBeCloseTo(SPECIAL.digamma(0.3) - SPECIAL.digamma(3.8), 9);
  });

  it('mvnormal2 on R²: E[x₁x₂] = s₁₂ + μ₁μ₂, centred away from the origin', () => {
    const spec = loadFamily('mvnormal2');
    const names = spec.params.map((p) => p.name);
    const eng = expectationEngine([parse('x1*x2'), parse('x2^2')], spec.logDensity, names, { support: spec.support, variables: spec.variables, breakpoints: null }, spec.constants);
    const th = [3, -20, 0.5, 0.2, 2];
    const e = eng.evaluate(th);
    expect(e[0]).toBeCloseTo(0.2 + 3 * -20, 8);
    expect(e[1]).toBeCloseTo(2 + 400, 7);
  });
});
