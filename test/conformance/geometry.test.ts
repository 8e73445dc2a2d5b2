/**
 * Known geometry: scalar curvatures from the literature and invariance under reparameterisation.
 */
import { describe, expect, it } from 'vitest';
import { loadFamily } from '../../src/node/loadFamily.js';
import { deriveFamily } from '../../src/derive/deriveFamily.js';
import { compileFamily } from '../../src/compile/compileFamily.js';

const compiled = (name: string) => compileFamily(deriveFamily(loadFamily(name)));

describe('known scalar curvatures', () => {
  it('normal (mu, sigma) has R = −1 everywhere (hyperbolic plane, K = −1/2)', () => {
    const c = compiled('normal');
    for (const t of [[0, 1], [3, 0.2], [-1, 7]]) expect(c.scalarCurvature(Float64Array.from(t))).toBeCloseTo(-1, 9);
  });
  it('categorical3 has R = +1/2 everywhere (sphere of radius 2, K = 1/4)', () => {
    const c = compiled('categorical3');
    for (const t of [[0.2, 0.5], [0.6, 0.1], [1 / 3, 1 / 3]]) expect(c.scalarCurvature(Float64Array.from(t))).toBeCloseTo(0.5, 9);
  });
  it('one-parameter families are flat (R = 0)', () => {
    expect(compiled('poisson').scalarCurvature(Float64Array.of(3))).toBe(0);
    expect(compiled('exponential').scalarCurvature(Float64Array.of(0.5))).toBe(0);
  });
  it('lognormal has the same geometry as normal (R = −1)', () => {
    expect(compiled('lognormal').scalarCurvature(Float64Array.of(0.4, 0.9))).toBeCloseTo(-1, 9);
  });
  it('gamma scalar curvature equals 2K, K from the Brioschi formula on the closed-form metric [[ψ₁, −1/β], [−1/β, α/β²]]', () => {
    // Independent check: Brioschi formula for K on a metric E du² + 2F du dv + G dv² with E = ψ₁(α), F = −1/β, G = α/β²,
    // evaluated with finite differences of the closed-form entries (not of the compiled metric).
    const c = compiled('gamma');
    const a = 2.5, b = 0.7;
    const K = gaussianCurvatureBrioschi(
      (u, v) => [trigammaRef(u), -1 / v, u / (v * v)],
      a,
      b,
    );
    expect(c.scalarCurvature(Float64Array.of(a, b))).toBeCloseTo(2 * K, 6);
  });
});

describe('reparameterisation invariance: normal (mu, sigma) vs normal_logsigma (mu, s = log sigma)', () => {
  const n = compiled('normal');
  const l = compiled('normal_logsigma');
  const mu = 0.7, sigma = 1.8, s = Math.log(sigma);
  const tn = Float64Array.of(mu, sigma), tl = Float64Array.of(mu, s);
  it('metric transforms as a (0,2)-tensor: g\' = Jᵀ g J with J = diag(1, σ)', () => {
    const g = n.fisher(tn), gp = l.fisher(tl);
    expect(gp[0]).toBeCloseTo(g[0], 12);
    expect(gp[1]).toBeCloseTo(g[1] * sigma, 12);
    expect(gp[3]).toBeCloseTo(g[3] * sigma * sigma, 12);
  });
  it('Christoffel symbols obey the connection transformation law', () => {
    // θ = (μ, σ = e^s): Γ'^a_bc = (∂θ'^a/∂θ^k) (Γ^k_ij J^i_b J^j_c + ∂²θ^k/∂θ'^b∂θ'^c)
    const G = n.christoffel(tn), Gp = l.christoffel(tl);
    const J = [1, sigma]; // diagonal Jacobian ∂θ/∂θ'
    const Jinv = [1, 1 / sigma];
    const second = (k: number, b: number, c: number) => (k === 1 && b === 1 && c === 1 ? sigma : 0);
    for (let a = 0; a < 2; a++)
      for (let b = 0; b < 2; b++)
        for (let c = 0; c < 2; c++) {
          const expected = Jinv[a] * (G[(a * 2 + b) * 2 + c] * J[b] * J[c] + second(a, b, c));
          expect(Gp[(a * 2 + b) * 2 + c]).toBeCloseTo(expected, 11);
        }
  });
  it('scalar curvature and KL are invariant', () => {
    expect(l.scalarCurvature(tl)).toBeCloseTo(n.scalarCurvature(tn), 10);
    const tn2 = Float64Array.of(-0.3, 0.9), tl2 = Float64Array.of(-0.3, Math.log(0.9));
    expect(l.kl(tl, tl2)).toBeCloseTo(n.kl(tn, tn2), 12);
  });
});

/** Gaussian curvature by the Brioschi formula with 5-point finite differences of E, F, G. */
function gaussianCurvatureBrioschi(efg: (u: number, v: number) => number[], u: number, v: number): number {
  const h = 1e-3;
  const d = (f: (u: number, v: number) => number, du: number, dv: number) =>
    (8 * (f(u + du * h, v + dv * h) - f(u - du * h, v - dv * h)) - (f(u + 2 * du * h, v + 2 * dv * h) - f(u - 2 * du * h, v - 2 * dv * h))) / (12 * h);
  const E = (a: number, b: number) => efg(a, b)[0], F = (a: number, b: number) => efg(a, b)[1], G = (a: number, b: number) => efg(a, b)[2];
  const Eu = d(E, 1, 0), Ev = d(E, 0, 1), Fu = d(F, 1, 0), Fv = d(F, 0, 1), Gu = d(G, 1, 0), Gv = d(G, 0, 1);
  const dd = (f: (a: number, b: number) => number, i: number, j: number) => d((a, b) => {
    const hh = 1e-3;
    return i === 0
      ? (8 * (f(a + hh, b) - f(a - hh, b)) - (f(a + 2 * hh, b) - f(a - 2 * hh, b))) / (12 * hh)
      : (8 * (f(a, b + hh) - f(a, b - hh)) - (f(a, b + 2 * hh) - f(a, b - 2 * hh))) / (12 * hh);
  }, j === 0 ? 1 : 0, j === 1 ? 1 : 0);
  const Evv = dd(E, 1, 1), Guu = dd(G, 0, 0), Fuv = dd(F, 0, 1);
  const e = E(u, v), f = F(u, v), g = G(u, v);
  const m1 = [
    [-0.5 * Evv + Fuv - 0.5 * Guu, 0.5 * Eu, Fu - 0.5 * Ev],
    [Fv - 0.5 * Gu, e, f],
    [0.5 * Gv, f, g],
  ];
  const m2 = [
    [0, 0.5 * Ev, 0.5 * Gu],
    [0.5 * Ev, e, f],
    [0.5 * Gu, f, g],
  ];
  const det3 = (m: number[][]) =>
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  return (det3(m1) - det3(m2)) / (e * g - f * f) ** 2;
}

/** Trigamma by recurrence + asymptotic series (independent of src/core/special.ts). */
function trigammaRef(x: number): number {
  let acc = 0;
  while (x < 20) { acc += 1 / (x * x); x += 1; }
  const y = 1 / (x * x);
  return acc + 1 / x + y / 2 + (y / x) * (1 / 6 - y * (1 / 30 - y * (1 / 42 - y / 30)));
}

describe('quadrature families against literature closed forms (no closed-form expectation is derived for them)', () => {
  // Location-scale families: g = diag(a, c)/σ², a hyperbolic plane with scalar curvature R = −2/c.
  const cases: [string, number[], number, number][] = [
    ['cauchy', [0.2, 2], 1 / 2, 1 / 2], // Lehmann & Casella (1998), Example 2.6.1
    ['student5', [1, 0.6], 6 / 8, 10 / 8], // Lange, Little & Taylor (1989): (ν+1)/(ν+3), 2ν/(ν+3)
    ['laplace', [-1, 0.6], 1, 1], // Kotz, Kozubowski & Podgórski (2001), §2.6
  ];
  for (const [name, t, a, cc] of cases) {
    it(`${name}: metric diag(${a}, ${cc})/σ² and scalar curvature ${-2 / cc} by quadrature`, () => {
      const c = compiled(name);
      expect(c.methods.fisher).toBe('quadrature');
      const theta = Float64Array.from(t);
      const s2 = t[1] * t[1];
      const g = c.fisher(theta);
      expect(g[0] * s2).toBeCloseTo(a, 11);
      expect(g[3] * s2).toBeCloseTo(cc, 11);
      expect(Math.abs(g[1]) * s2).toBeLessThan(1e-12);
      expect(c.scalarCurvature(theta)).toBeCloseTo(-2 / cc, name === 'laplace' ? 6 : 9);
    });
  }
});

describe('a user family by quadrature: logistic (mu, s) from test/fixtures/user-families', () => {
  // Closed forms: g = diag(1/3, (π² + 3)/9)/s², so R = −2·9/(π² + 3) and Γ^s_μμ = (1/3)/((π² + 3)/9)/s.
  const c = compileFamily(deriveFamily(loadFamily('test/fixtures/user-families/logistic.yaml')));
  const s = 1.5, theta = Float64Array.of(0.3, s);
  const a = 1 / 3, cc = (Math.PI ** 2 + 3) / 9;
  it('metric, Christoffel symbols and curvature match the closed forms although tail integrands overflow', () => {
    const g = c.fisher(theta);
    expect(g[0]).toBeCloseTo(a / (s * s), 13);
    expect(g[3]).toBeCloseTo(cc / (s * s), 13);
    const G = c.christoffel(theta);
    expect(G[1]).toBeCloseTo(-1 / s, 11); // Γ^μ_μs
    expect(G[4]).toBeCloseTo(a / (cc * s), 11); // Γ^s_μμ
    expect(G[7]).toBeCloseTo(-1 / s, 11); // Γ^s_ss
    expect(c.scalarCurvature(theta)).toBeCloseTo(-2 / cc, 9);
  });
});
