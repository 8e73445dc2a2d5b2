/**
 * Conformance suite, run over every family file in families/: the compiled geometry of each
 * family is checked against independent numerical routes at two parameter points.
 *  - Fisher: symmetric positive definite, equal to quadrature/summation of E[∂_i l ∂_j l] (1e-9 relative);
 *  - score has zero mean;
 *  - Christoffel symbols (second kind) equal those built from central finite differences of the compiled metric;
 *  - Amari–Chentsov tensor equals quadrature of E[∂_i l ∂_j l ∂_k l];
 *  - scalar curvature equals R built from nested finite differences of the compiled metric alone;
 *  - KL ≥ 0, KL(θ‖θ) = 0, and KL / (½ dθᵀ g dθ) → 1 as dθ → 0.
 */
import { describe, expect, it } from 'vitest';
import { listFamilies, loadFamily } from '../../src/node/loadFamily.js';
import { deriveFamily } from '../../src/derive/deriveFamily.js';
import { compileFamily } from '../../src/compile/compileFamily.js';
import { integrateOver } from '../../src/core/quadrature.js';
import { cholesky, inverse } from '../../src/core/linalg.js';
import type { CompiledFamily } from '../../src/core/types.js';
import type { FamilySpec } from '../../src/declare/types.js';
import { HINTS, POINTS } from './points.js';

/** E_θ[f(score, x)] for vector-valued f by one quadrature per component, normalised by ∫p. */
function expectation(spec: FamilySpec, c: CompiledFamily, theta: Float64Array, f: (s: Float64Array) => number): number {
  const nv = spec.variables.length;
  const s = new Float64Array(c.dim);
  const xv = new Float64Array(nv);
  const dens = (x: number, y: number): number => {
    if (nv === 1) return Math.exp(c.logDensity(x, theta));
    xv[0] = x;
    xv[1] = y;
    return Math.exp(c.logDensity(xv, theta));
  };
  // 2-D product rules cannot certify 1e-13 (rounding of ~10⁴ nodes), nor a relative error on integrands that vanish
  // by symmetry: there rtol 1e-12 plus atol 1e-12 (the integrands are O(1)) still leaves a 1000× margin below the checks.
  const opts = { dim: nv as 1 | 2, rtol: nv === 1 ? 1e-13 : 1e-12, atol: nv === 1 ? 0 : 1e-12, ...(HINTS[spec.name]?.(Array.from(theta)) ?? {}) };
  const bp = breakpoints(spec, c, theta);
  const z = integrateOver(spec.support, dens, { ...opts, breakpoints: bp });
  const r = integrateOver(
    spec.support,
    (x, y) => {
      const p = dens(x, y);
      if (p === 0) return 0;
      if (nv === 1) c.score(x, theta, s);
      else c.score(xv, theta, s); // xv set by dens
      return p * f(s);
    },
    { ...opts, breakpoints: bp },
  );
  expect(z.converged, 'normalisation quadrature converged').toBe(true);
  expect(r.converged, 'expectation quadrature converged').toBe(true);
  return r.value / z.value;
}

function breakpoints(spec: FamilySpec, c: CompiledFamily, theta: Float64Array): number[] {
  // Breakpoints of the catalogue are parameters themselves (laplace: mu); evaluate simple symbol nodes.
  return spec.breakpoints.map((b) => {
    const name = (b as unknown as { name?: string }).name;
    const i = name ? c.paramNames.indexOf(name) : -1;
    if (i < 0) throw new Error(`conformance suite: breakpoint ${b.toString()} is not a plain parameter`);
    return theta[i];
  });
}

function relErr(a: number, b: number, scale: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), scale);
}

/** Γ^k_ij from a 4th-order central-difference derivative of the compiled metric. */
function christoffelByFiniteDifferences(c: CompiledFamily, theta: Float64Array): Float64Array {
  const n = c.dim;
  const dg = new Float64Array(n * n * n); // [k][i][j]
  for (let k = 0; k < n; k++) {
    const h = 1e-3 * Math.max(1e-2, Math.abs(theta[k]));
    const at = (d: number) => {
      const t = Float64Array.from(theta);
      t[k] += d;
      return c.fisher(t);
    };
    const p1 = at(h), m1 = at(-h), p2 = at(2 * h), m2 = at(-2 * h);
    for (let ij = 0; ij < n * n; ij++) dg[k * n * n + ij] = (8 * (p1[ij] - m1[ij]) - (p2[ij] - m2[ij])) / (12 * h);
  }
  const first = new Float64Array(n * n * n); // Γ_ij,l
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      for (let l = 0; l < n; l++)
        first[(i * n + j) * n + l] = 0.5 * (dg[(i * n + j) * n + l] + dg[(j * n + i) * n + l] - dg[(l * n + i) * n + j]);
  const gi = inverse(c.fisher(theta), n);
  const out = new Float64Array(n * n * n);
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let l = 0; l < n; l++) s += gi[k * n + l] * first[(i * n + j) * n + l];
        out[(k * n + i) * n + j] = s;
      }
  return out;
}


/** Scalar curvature from the compiled metric alone: Γ by finite differences, ∂Γ by finite differences of that. */
function scalarCurvatureByFiniteDifferences(c: CompiledFamily, theta: Float64Array): number {
  const n = c.dim;
  const G = christoffelByFiniteDifferences(c, theta);
  const dG = new Float64Array(n * n * n * n); // [c][a][i][j] = ∂_c Γ^a_ij
  for (let k = 0; k < n; k++) {
    const h = 2e-3 * Math.max(1e-2, Math.abs(theta[k]));
    const at = (d: number) => {
      const t = Float64Array.from(theta);
      t[k] += d;
      return christoffelByFiniteDifferences(c, t);
    };
    const p1 = at(h), m1 = at(-h), p2 = at(2 * h), m2 = at(-2 * h);
    for (let q = 0; q < n * n * n; q++) dG[k * n * n * n + q] = (8 * (p1[q] - m1[q]) - (p2[q] - m2[q])) / (12 * h);
  }
  const g = (a: number, i: number, j: number) => G[(a * n + i) * n + j];
  const d = (cc: number, a: number, i: number, j: number) => dG[((cc * n + a) * n + i) * n + j];
  const gi = inverse(c.fisher(theta), n);
  let R = 0;
  for (let b = 0; b < n; b++)
    for (let dd = 0; dd < n; dd++) {
      let ric = 0; // R_bd = R^a_bad
      for (let a = 0; a < n; a++) {
        let r = d(a, a, dd, b) - d(dd, a, a, b);
        for (let e = 0; e < n; e++) r += g(a, a, e) * g(e, dd, b) - g(a, dd, e) * g(e, a, b);
        ric += r;
      }
      R += gi[b * n + dd] * ric;
    }
  return R;
}

const names = listFamilies();

describe('conformance: catalogue', () => {
  it('lists every family of the contract catalogue, each with conformance points', () => {
    for (const name of Object.keys(POINTS)) expect(names).toContain(name);
    for (const name of names) expect(Object.keys(POINTS)).toContain(name);
  });
});

for (const name of names) {
  describe(`conformance: ${name}`, () => {
    const spec = loadFamily(name);
    const c = compileFamily(deriveFamily(spec));
    const points = (POINTS[name] ?? []).map((p) => Float64Array.from(p));
    it('parameter order follows the contract and points are in the domain', () => {
      expect(c.paramNames).toEqual(spec.params.map((p) => p.name));
      for (const t of points) expect(c.checkPoint(t)).toBeNull();
    });
    for (const theta of points) {
      const at = `at (${Array.from(theta).join(', ')})`;
      const n = c.dim;
      it(`Fisher is symmetric positive definite and equals E[∂l ∂l] ${at}`, () => {
        const g = c.fisher(theta);
        let scale = 0;
        for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(g[i]));
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(g[i * n + j]).toBe(g[j * n + i]);
        expect(cholesky(g, n), 'Cholesky of g succeeds').not.toBe(false);
        for (let i = 0; i < n; i++)
          for (let j = i; j < n; j++) {
            const ref = expectation(spec, c, theta, (s) => s[i] * s[j]);
            expect(relErr(g[i * n + j], ref, 1e-3 * scale), `g[${i}][${j}] = ${g[i * n + j]} vs quadrature ${ref}`).toBeLessThan(1e-9);
          }
      });
      it(`score has zero mean ${at}`, () => {
        const g = c.fisher(theta);
        for (let i = 0; i < n; i++) {
          const m = expectation(spec, c, theta, (s) => s[i]);
          expect(Math.abs(m) / Math.sqrt(g[i * n + i])).toBeLessThan(1e-9);
        }
      });
      it(`Christoffel symbols equal finite differences of the compiled metric ${at}`, () => {
        const gam = c.christoffel(theta);
        const ref = christoffelByFiniteDifferences(c, theta);
        let scale = 0;
        for (const v of ref) scale = Math.max(scale, Math.abs(v));
        for (let q = 0; q < gam.length; q++) expect(Math.abs(gam[q] - ref[q]) / Math.max(scale, 1e-12), `Γ index ${q}`).toBeLessThan(2e-6);
        // symmetric in the lower indices
        for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++)
          expect(gam[(k * n + i) * n + j]).toBeCloseTo(gam[(k * n + j) * n + i], 12);
      });
      if (n >= 2)
        it(`scalar curvature equals R from nested finite differences of the compiled metric ${at}`, () => {
          const R = c.scalarCurvature(theta);
          const ref = scalarCurvatureByFiniteDifferences(c, theta);
          expect(Math.abs(R - ref) / Math.max(1, Math.abs(ref)), `R = ${R} vs ${ref}`).toBeLessThan(1e-7);
        });
      it(`Amari–Chentsov tensor equals E[∂l ∂l ∂l] ${at}`, () => {
        const T = c.amariChentsov(theta);
        // T has the units of (score)³: measure errors against max_i g_ii^{3/2}, so a tensor that vanishes
        // (cauchy, by symmetry) is compared absolutely rather than relative to rounding noise.
        const g = c.fisher(theta);
        let scale = 0;
        for (let i = 0; i < n; i++) scale = Math.max(scale, g[i * n + i] ** 1.5);
        for (let i = 0; i < n; i++)
          for (let j = i; j < n; j++)
            for (let k = j; k < n; k++) {
              const ref = expectation(spec, c, theta, (s) => s[i] * s[j] * s[k]);
              expect(Math.abs(T[(i * n + j) * n + k] - ref) / Math.max(scale, 1e-12), `T[${i}][${j}][${k}] = ${T[(i * n + j) * n + k]} vs ${ref}`).toBeLessThan(1e-7);
            }
      });
      it(`KL is non-negative, zero at the same point, and KL / ½dθᵀg dθ → 1 ${at}`, () => {
        expect(Math.abs(c.kl(theta, theta))).toBeLessThan(1e-12);
        const g = c.fisher(theta);
        // a fixed, non-axis direction scaled per coordinate, kept inside the domain for small h
        const v = Float64Array.from(theta, (t, i) => (i % 2 ? -0.6 : 1) * 0.3 * Math.max(Math.abs(t), 0.05));
        const errs: number[] = [];
        for (const h of [1e-1, 1e-2, 1e-3]) {
          const to = Float64Array.from(theta, (t, i) => t + h * v[i]);
          if (c.checkPoint(to)) continue;
          const kl = c.kl(theta, to);
          let q = 0;
          for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) q += 0.5 * h * h * v[i] * g[i * n + j] * v[j];
          expect(kl).toBeGreaterThan(0);
          errs.push(Math.abs(kl / q - 1));
        }
        expect(errs.length).toBeGreaterThanOrEqual(2);
        expect(errs[errs.length - 1]).toBeLessThan(5e-3);
        expect(errs[errs.length - 1]).toBeLessThan(errs[0]);
      });
    }
  });
}
