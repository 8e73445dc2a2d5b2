/**
 * Geodesic solvers on families compiled by the real pipeline (declare → derive → compile),
 * checked against closed-form Fisher–Rao distances and the hand-written reference metrics.
 */
import { describe, expect, it } from 'vitest';
import { loadFamily } from '../../../src/node/loadFamily.js';
import { deriveFamily } from '../../../src/derive/deriveFamily.js';
import { compileFamily } from '../../../src/compile/compileFamily.js';
import type { CompiledFamily } from '../../../src/core/types.js';
import { distance } from '../../../src/solve/geodesic/distance.js';
import { expMap } from '../../../src/solve/geodesic/expMap.js';
import * as ref from './referenceMetrics.js';
import {
  bernoulliDistance, binomialDistance, categorical3Distance, exponentialDistance, lognormalDistance, normalDistance, poissonDistance,
} from './closedForms.js';

const cache = new Map<string, CompiledFamily>();
const family = (name: string) => {
  if (!cache.has(name)) cache.set(name, compileFamily(deriveFamily(loadFamily(name))));
  return cache.get(name)!;
};
const close = (got: number, want: number, tol = 1e-9) => expect(Math.abs(got - want)).toBeLessThan(tol * Math.max(1, want));

describe('geodesic solvers on compiled families', () => {
  it('normal and lognormal distances equal √2 × hyperbolic distance', () => {
    close(distance(family('normal'), [0, 1], [3, 0.4]).value, normalDistance([0, 1], [3, 0.4]));
    close(distance(family('lognormal'), [0.2, 0.5], [-1, 2]).value, lognormalDistance([0.2, 0.5], [-1, 2]));
  });

  it('one-parameter closed forms: exponential, poisson, bernoulli, binomial10', () => {
    close(distance(family('exponential'), [0.5], [4]).value, exponentialDistance(0.5, 4));
    close(distance(family('poisson'), [0.5], [9]).value, poissonDistance(0.5, 9));
    close(distance(family('bernoulli'), [0.1], [0.8]).value, bernoulliDistance(0.1, 0.8));
    close(distance(family('binomial10'), [0.3], [0.6]).value, binomialDistance(10, 0.3, 0.6));
  });

  it('categorical3 distance equals 2 arccos Σ √(p_i q_i)', () => {
    close(distance(family('categorical3'), [0.2, 0.5], [0.6, 0.1]).value, categorical3Distance([0.2, 0.5], [0.6, 0.1]));
  });

  it('gamma and beta exp maps agree with the hand-written closed-form metrics to 1e-10', () => {
    for (const [name, hand, a, v] of [['gamma', ref.gamma, [2, 1], [1, -0.5]], ['beta', ref.beta, [2, 3], [-0.8, 1.1]]] as const) {
      const got = expMap(family(name), a, v).value;
      const want = expMap(hand, a, v).value;
      for (let i = 0; i < 2; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-10 * Math.max(1, Math.abs(want[i])));
    }
  });

  it('location–scale families with g = diag(A, B)/σ² have distance √B · d_H((μ√(A/B), σ)) (laplace, cauchy, student5)', () => {
    const dH = (x1: number, y1: number, x2: number, y2: number) => Math.acosh(1 + ((x1 - x2) ** 2 + (y1 - y2) ** 2) / (2 * y1 * y2));
    const scaled = (A: number, B: number, a: number[], b: number[]) => Math.sqrt(B) * dH(a[0] * Math.sqrt(A / B), a[1], b[0] * Math.sqrt(A / B), b[1]);
    const a = [0, 1], b = [2, 3];
    close(distance(family('laplace'), a, b).value, scaled(1, 1, a, b)); // g = diag(1/b², 1/b²)
    close(distance(family('cauchy'), a, b).value, scaled(0.5, 0.5, a, b)); // g = diag(1/(2γ²), 1/(2γ²))
    close(distance(family('student5'), a, b).value, scaled(6 / 8, 10 / 8, a, b)); // (ν+1)/((ν+3)σ²), 2ν/((ν+3)σ²)
  });

  it('normal_logsigma distance equals the normal distance of the same distributions', () => {
    const d = distance(family('normal_logsigma'), [0, Math.log(1)], [3, Math.log(0.4)]).value;
    close(d, normalDistance([0, 1], [3, 0.4]));
  });
});
