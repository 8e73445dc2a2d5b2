/**
 * Numerical verification of every built-in family file (the catalogue is only as trustworthy as
 * this test): at 2–3 parameter points per family, by quadrature / summation over the support
 * (src/core/quadrature.ts) with the whitelisted interpreter (src/core/evaluate.ts):
 *  - the density integrates (sums) to 1;
 *  - expfam identity l = η·T − A + base at random (x, θ);
 *  - declared E[T_a] equal the quadrature E[T_a]; declared moments equal E[feature];
 *  - a declared closed-form Fisher matrix equals E[∂_i l ∂_j l] with scores from central finite
 *    differences of l (independent of any symbolic work);
 *  - per-outcome log-pmf cases equal the Lagrange-combined single expression on the support;
 *  - the sampler arguments evaluate to finite numbers; checkPoint accepts the points;
 *  - the sampler block (src/core/random.ts) draws from the declared density: sample means of
 *    bounded features match their quadrature expectations within 5 standard errors (seeded).
 */
import { parse } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { compileInterpreted } from '../../src/core/evaluate.js';
import { integrateOver } from '../../src/core/quadrature.js';
import { createRng, sampleMany } from '../../src/core/random.js';
import type { IntegrateOptions } from '../../src/core/quadrature.js';
import { checkPoint } from '../../src/declare/checkPoint.js';
import { listFamilies, loadFamily } from '../../src/node/loadFamily.js';
import type { Expr, FamilySpec } from '../../src/declare/types.js';
import { rng } from '../derive/helpers.js';

/** Parameter points per family (contract order). Every built-in family must be listed. */
const POINTS: Readonly<Record<string, number[][]>> = {
  bernoulli: [[0.3], [0.85]],
  binomial10: [[0.2], [0.65]],
  categorical3: [[0.2, 0.5], [0.6, 0.1]],
  geometric: [[0.3], [0.8]],
  poisson: [[0.7], [12]],
  negbinomial5: [[0.3], [0.75]],
  exponential: [[0.5], [3]],
  normal: [[0, 1], [-2, 0.3], [4, 5]],
  normal_logsigma: [[1, -0.5], [0, 1]],
  lognormal: [[0, 0.5], [1, 1.2]],
  gamma: [[2.5, 1.5], [0.7, 3], [9, 0.5]],
  beta: [[2, 3], [0.7, 1.5], [5, 1.2]],
  weibull: [[1.5, 2], [0.8, 1], [4, 0.5]],
  laplace: [[0, 1], [1.5, 0.4]],
  cauchy: [[0, 1], [2, 0.5]],
  student5: [[0, 1], [1, 2.5]],
  vonmises: [[0.5, 2], [-2, 0.3], [3, 8]],
  inversegaussian: [[1, 2], [2.5, 0.8]],
  dirichlet3: [[2, 3, 4], [1.5, 2, 2.5]],
  mvnormal2: [[0, 1, 1, 0.3, 2], [1, -1, 0.5, -0.2, 0.8]],
};

interface Fam {
  spec: FamilySpec;
  names: string[];
  /** values vector: θ, then constants, then data variables. */
  values(theta: number[], x: number[]): number[];
  fn(e: Expr): (v: number[]) => number;
}

function prepare(spec: FamilySpec): Fam {
  const consts = Object.entries(spec.constants);
  const names = [...spec.params.map((p) => p.name), ...consts.map(([k]) => k), ...spec.variables];
  return {
    spec,
    names,
    values: (theta, x) => [...theta, ...consts.map(([, v]) => v), ...x],
    fn: (e) => {
      const f = compileInterpreted(e, names);
      return (v) => f(v);
    },
  };
}

/** Quadrature hints so the rules look where the mass is. */
function hints(spec: FamilySpec, theta: number[]): IntegrateOptions {
  const o: IntegrateOptions = { rtol: 1e-12, dim: spec.variables.length === 2 ? 2 : 1 };
  const t = (n: string) => theta[spec.params.findIndex((p) => p.name === n)];
  switch (spec.name) {
    case 'normal':
    case 'student5':
      return { ...o, center: t('mu'), scale: t('sigma') };
    case 'normal_logsigma':
      return { ...o, center: t('mu'), scale: Math.exp(t('s')) };
    case 'laplace':
      return { ...o, center: t('mu'), scale: t('b') };
    case 'cauchy':
      return { ...o, center: t('x0'), scale: t('gamma') };
    case 'vonmises':
      return { ...o, center: t('mu') };
    case 'lognormal':
      return { ...o, center: Math.exp(t('mu')) };
    case 'gamma':
      return { ...o, center: t('alpha') / t('beta'), scale: Math.sqrt(t('alpha')) / t('beta') };
    case 'weibull':
      return { ...o, center: t('lambda') };
    case 'inversegaussian':
      return { ...o, center: t('mu') };
    case 'mvnormal2':
      return { ...o, center: [t('mu1'), t('mu2')], scale: [Math.sqrt(t('s11')), Math.sqrt(t('s22'))] };
    default:
      return o;
  }
}

function breakpointsAt(f: Fam, theta: number[]): number[] {
  return f.spec.breakpoints.map((b) => f.fn(b)(f.values(theta, f.spec.variables.map(() => 0))));
}

/**
 * E_θ[g_c(x)] for each c, then ∫p as the last entry, by quadrature over the support
 * (one scalar integral per component; in 2-D the integrand's first two arguments are x1, x2).
 */
function expectations(
  f: Fam,
  theta: number[],
  gs: ((v: number[]) => number)[],
  extraBreakpoints: number[] = [],
  rtol = 1e-12,
): { values: number[]; converged: boolean } {
  const l = f.fn(f.spec.logDensity);
  const twoD = f.spec.variables.length === 2;
  const opts = { ...hints(f.spec, theta), rtol, breakpoints: [...breakpointsAt(f, theta), ...extraBreakpoints] };
  let converged = true;
  const values = [...gs, () => 1].map((g) => {
    const r = integrateOver(
      f.spec.support,
      (x: number, y: number) => {
        const v = f.values(theta, twoD ? [x, y] : [x]);
        const p = Math.exp(l(v));
        return p === 0 ? 0 : p * g(v);
      },
      opts,
    );
    converged &&= r.converged;
    return r.value;
  });
  return { values, converged };
}

/** A random data point in the support. */
function randomX(spec: FamilySpec, u: () => number): number[] {
  const s = spec.support;
  switch (s.kind) {
    case 'real':
      return spec.variables.map(() => (u() - 0.5) * 8);
    case 'positive':
      return spec.variables.map(() => -Math.log(u()) * 2 + 1e-3);
    case 'unit':
      return spec.variables.map(() => 0.02 + 0.96 * u());
    case 'circle':
      return [-Math.PI + 2 * Math.PI * u()];
    case 'nonnegint':
      return [Math.floor(u() * 20)];
    case 'integers':
      return [s.lo + Math.floor(u() * (s.hi - s.lo + 1))];
    case 'finite':
      return [s.values[Math.floor(u() * s.values.length)]];
    case 'simplex': {
      const a = u();
      const b = u();
      return [Math.min(a, b) * 0.98 + 0.005, (Math.max(a, b) - Math.min(a, b)) * 0.98 + 0.005];
    }
  }
}

/** Central finite-difference score (4-point stencil, O(h⁴)). */
function fdScore(l: (v: number[]) => number, f: Fam, theta: number[], x: number[], step: number): number[] {
  return theta.map((t, i) => {
    const h = step * Math.max(1, Math.abs(t)) * (f.spec.params[i].domain === 'real' ? 1 : Math.min(1, Math.abs(t)));
    const at = (d: number) => {
      const th = theta.slice();
      th[i] = t + d;
      return l(f.values(th, x));
    };
    return (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
  });
}

/**
 * Bounded test features h(x) for the sampler check (bounded, so every family — Cauchy included —
 * has finite means and variances), centred and scaled by the quadrature hints.
 */
function features(spec: FamilySpec, theta: number[]): ((x: number[]) => number)[] {
  const h = hints(spec, theta);
  const c = (i: number, dflt: number) => (typeof h.center === 'number' ? (i === 0 ? h.center : dflt) : (h.center?.[i] ?? dflt));
  const sc = (i: number, dflt: number) => (typeof h.scale === 'number' ? (i === 0 ? h.scale : dflt) : (h.scale?.[i] ?? dflt));
  const s = spec.support;
  if (spec.variables.length === 2) {
    const c0 = s.kind === 'simplex' ? 1 / 3 : c(0, 0);
    const c1 = s.kind === 'simplex' ? 1 / 3 : c(1, 0);
    const s0 = s.kind === 'simplex' ? 0.2 : sc(0, 1);
    const s1 = s.kind === 'simplex' ? 0.2 : sc(1, 1);
    return [
      (x) => Math.tanh((x[0] - c0) / s0),
      (x) => Math.tanh((x[1] - c1) / s1),
      (x) => Math.tanh((x[0] - c0) / s0) * Math.tanh((x[1] - c1) / s1),
    ];
  }
  if (s.kind === 'circle') return [(x) => Math.cos(x[0] - 0.3), (x) => Math.sin(x[0] - 0.3)];
  if (s.kind === 'nonnegint' || s.kind === 'integers' || s.kind === 'finite') {
    return [(x) => Math.tanh((x[0] - 2) / 3), (x) => 1 / (1 + x[0])];
  }
  const c0 = s.kind === 'unit' ? 0.5 : c(0, s.kind === 'positive' ? 1 : 0);
  const s0 = s.kind === 'unit' ? 0.2 : sc(0, Math.max(Math.abs(c0), 1) / 2);
  return [(x) => Math.tanh((x[0] - c0) / s0), (x) => 1 / (1 + ((x[0] - c0) / s0) ** 2)];
}

function relClose(actual: number, expected: number, rtol: number, atol = 0): void {
  const err = Math.abs(actual - expected);
  expect(err, `got ${actual}, expected ${expected}`).toBeLessThanOrEqual(atol + rtol * Math.abs(expected));
}

describe('every built-in family file is numerically consistent', () => {
  it('the catalogue holds exactly the 20 contract families, each with test points', () => {
    expect(listFamilies()).toEqual(Object.keys(POINTS).sort());
    expect(listFamilies()).toHaveLength(20);
  });

  for (const name of Object.keys(POINTS).sort()) {
    describe(name, () => {
      const spec = loadFamily(name);
      const f = prepare(spec);
      const pts = POINTS[name];

      it('has parameter points inside its domain (checkPoint) and a sampler with finite arguments', () => {
        for (const th of pts) {
          expect(checkPoint(spec, th)).toBeNull();
          expect(spec.sampler).not.toBeNull();
          if (spec.sampler!.kind !== 'builtin') continue;
          for (const a of spec.sampler!.args) expect(Number.isFinite(f.fn(a)(f.values(th, spec.variables.map(() => 0.5))))).toBe(true);
        }
      });

      it('sampler draws from the declared density (bounded features: sample mean vs quadrature, 5 standard errors)', () => {
        const N = 20000;
        pts.forEach((th, k) => {
          const v0 = f.values(th, spec.variables.map(() => 0));
          const sampler = spec.sampler!;
          if (sampler.kind !== 'builtin') throw new Error('catalogue families use built-in samplers');
          const args = sampler.args.map((a) => f.fn(a)(v0));
          const draws = sampleMany(sampler.method, createRng(20261122, k), args, N);
          const xs: number[][] = Array.from({ length: N }, (_, i) => {
            const d = draws[i];
            return typeof d === 'number' ? [d] : Array.from(d as Float64Array);
          });
          const hs = features(spec, th);
          const exact = expectations(f, th, hs.map((h) => (v: number[]) => h(v.slice(v.length - spec.variables.length))));
          expect(exact.converged).toBe(true);
          hs.forEach((h, j) => {
            let m = 0;
            let m2 = 0;
            for (const x of xs) {
              const y = h(x);
              m += y;
              m2 += y * y;
            }
            m /= N;
            const se = Math.sqrt(Math.max(m2 / N - m * m, 1e-12) / N);
            expect(Math.abs(m - exact.values[j]), `feature ${j} at θ = ${th}: sample ${m}, exact ${exact.values[j]}, se ${se}`).toBeLessThan(5 * se);
          });
        });
      });

      it('density integrates (or sums) to 1', () => {
        for (const th of pts) {
          const r = expectations(f, th, []);
          expect(r.converged).toBe(true);
          relClose(r.values[0], 1, 1e-10);
        }
      });

      if (spec.logDensityCases) {
        it('the Lagrange-combined log-pmf equals each per-outcome case on the support', () => {
          const l = f.fn(spec.logDensity);
          for (const th of pts) {
            for (const [v, e] of spec.logDensityCases!) relClose(l(f.values(th, [v])), f.fn(e)(f.values(th, [v])), 1e-13, 1e-14);
          }
        });
      }

      if (spec.expfam) {
        const ef = spec.expfam;
        it('satisfies l = η·T − A + base at random (x, θ)', () => {
          const u = rng(12345);
          const l = f.fn(spec.logDensity);
          const eta = ef.eta.map(f.fn);
          const T = ef.T.map(f.fn);
          const A = f.fn(ef.A);
          const base = f.fn(ef.base);
          for (let trial = 0; trial < 40; trial++) {
            const th = pts[trial % pts.length].map((t, i) => {
              const d = spec.params[i].domain;
              const jitter = 1 + 0.3 * (u() - 0.5);
              return d === 'real' ? t + (u() - 0.5) : d === 'unit' ? t * jitter : t * jitter;
            });
            if (checkPoint(spec, th) !== null) continue;
            const x = randomX(spec, u);
            const v = f.values(th, x);
            const rhs = eta.reduce((s, e, a) => s + e(v) * T[a](v), 0) - A(v) + base(v);
            relClose(l(v), rhs, 1e-11, 1e-11);
          }
        });

        it('declares E[T_a] equal to the quadrature expectations', () => {
          for (const th of pts) {
            const r = expectations(f, th, ef.T.map(f.fn));
            expect(r.converged).toBe(true);
            ef.ET.forEach((e, a) => relClose(r.values[a], f.fn(e)(f.values(th, spec.variables.map(() => 0))), 1e-9, 1e-11));
          }
        });
      }

      if (spec.moments.size > 0) {
        it('declares moments equal to the quadrature expectations of their features', () => {
          // Moment keys are stored canonically; re-parse them through the family's own symbols.
          const keys = [...spec.moments.keys()];
          const feats = keys.map((k) => f.fn(parseKey(k)));
          for (const th of pts) {
            const r = expectations(f, th, feats);
            expect(r.converged).toBe(true);
            keys.forEach((k, c) =>
              relClose(r.values[c], f.fn(spec.moments.get(k)!)(f.values(th, spec.variables.map(() => 0))), 1e-9, 1e-11),
            );
          }
        });
      }

      if (spec.fisher) {
        it('declares a Fisher matrix equal to E[∂_i l ∂_j l] (finite-difference scores, quadrature)', () => {
          const l = f.fn(spec.logDensity);
          const d = spec.params.length;
          // A kink (abs) makes finite differences wrong within ±2h of it: a tiny step keeps that
          // region's mass small (error ~ h), at the cost of round-off ~ ε/h.
          const nonSmooth = /\b(abs|sign)\(/.test(spec.logDensity.toString());
          const step = nonSmooth ? 1e-6 : 1e-3;
          const rtol = nonSmooth ? 2e-5 : 1e-7;
          for (const th of pts) {
            const gs: ((v: number[]) => number)[] = [];
            for (let i = 0; i < d; i++) {
              for (let j = 0; j < d; j++) {
                gs.push((v) => {
                  const x = v.slice(v.length - spec.variables.length);
                  const s = fdScore(l, f, th, x, step);
                  return s[i] * s[j];
                });
              }
            }
            // The finite-difference score jumps where a kink of l at a shifted θ sits: split there too.
            const shifted: number[] = [];
            if (nonSmooth) {
              th.forEach((t, i) => {
                const h = step * Math.max(1, Math.abs(t)) * (spec.params[i].domain === 'real' ? 1 : Math.min(1, Math.abs(t)));
                for (const k of [-2, -1, 1, 2]) {
                  const th2 = th.slice();
                  th2[i] = t + k * h;
                  shifted.push(...breakpointsAt(f, th2));
                }
              });
            }
            // Round-off in the scores (ε/h) is noise the quadrature cannot resolve below ~1e-9.
            const r = expectations(f, th, gs, shifted, nonSmooth ? 1e-8 : 1e-11);
            expect(r.converged).toBe(true);
            const v0 = f.values(th, spec.variables.map(() => 0));
            const scale = Math.max(...r.values.slice(0, d * d).map(Math.abs));
            for (let i = 0; i < d; i++) {
              for (let j = 0; j < d; j++) {
                relClose(r.values[i * d + j], f.fn(spec.fisher!.matrix[i][j])(v0), rtol, rtol * 1e-2 * scale);
              }
            }
          }
        });
      }
    });
  }
});

function parseKey(k: string): Expr {
  return parse(k);
}
