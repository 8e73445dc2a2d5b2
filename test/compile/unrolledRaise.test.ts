/**
 * The generated LDLᵀ raise equals g⁻¹ Γ from an independent route (LU inverse) for random symmetric
 * positive-definite metrics of dimensions 1–8, and is what compileFamily uses for mvnormal2.
 */
import { describe, expect, it } from 'vitest';
import { raiseFirstIndex } from '../../src/compile/numericGeometry.js';
import { unrolledRaise, unrolledRaiseSource } from '../../src/compile/unrolledRaise.js';
import { createRng } from '../../src/core/random.js';
import { compileFamily } from '../../src/compile/compileFamily.js';
import { deriveFamily } from '../../src/derive/deriveFamily.js';
import { loadFamily } from '../../src/node/loadFamily.js';

describe('unrolled LDLᵀ raise', () => {
  it('matches the LU route on random SPD metrics, n = 1..8', () => {
    const rng = createRng(5);
    for (let n = 1; n <= 8; n++) {
      const a = Float64Array.from({ length: n * n }, () => rng.normal());
      const g = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        let s = i === j ? n : 0;
        for (let k = 0; k < n; k++) s += a[i * n + k] * a[j * n + k];
        g[i * n + j] = s;
      }
      const first = new Float64Array(n ** 3);
      for (let i = 0; i < n; i++) for (let j = i; j < n; j++) for (let l = 0; l < n; l++) first[(i * n + j) * n + l] = first[(j * n + i) * n + l] = rng.normal();
      const want = raiseFirstIndex(g, first, n);
      const s = new Float64Array(n * n + n ** 3);
      s.set(g);
      s.set(first, n * n);
      const got = unrolledRaise(n)(s, new Float64Array(n ** 3));
      const scale = Math.max(...Array.from(want, Math.abs));
      for (let k = 0; k < want.length; k++) expect(Math.abs(got[k] - want[k])).toBeLessThan(1e-12 * scale);
    }
  });

  it('source has no loops and depends only on n', () => {
    const src = unrolledRaiseSource(5);
    expect(src).not.toMatch(/\bfor\b|\bwhile\b/);
    expect(() => unrolledRaiseSource(9)).toThrow(RangeError);
  });

  it('mvnormal2 Christoffels use one CSE bundle for g and Γ_ij,k plus the unrolled solve', () => {
    const c = compileFamily(deriveFamily(loadFamily('mvnormal2')));
    expect(c.methods.christoffel).toBe('closed-form + unrolled LDLᵀ');
    const th = [0.3, -0.4, 1.7, 0.3, 1.2];
    const want = raiseFirstIndex(c.fisher(th), c.christoffelFirst(th), 5);
    const got = c.christoffel(th);
    for (let k = 0; k < want.length; k++) expect(Math.abs(got[k] - want[k])).toBeLessThan(1e-12 * (1 + Math.abs(want[k])));
  });
});

describe('zero-pattern specialisation', () => {
  it('skipping known zeros gives the same result as the dense solve', () => {
    const rng = createRng(9);
    const n = 5;
    const g = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) g[i * n + j] = g[j * n + i] = i === j ? 3 + rng.next() : 0.3 * rng.normal();
    const zero = Array.from({ length: n ** 3 }, (_, k) => k % 3 === 0);
    const first = new Float64Array(n ** 3);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) for (let l = 0; l < n; l++) {
      const v = zero[(i * n + j) * n + l] ? 0 : rng.normal();
      first[(i * n + j) * n + l] = v;
      zero[(j * n + i) * n + l] = zero[(i * n + j) * n + l];
      first[(j * n + i) * n + l] = v;
    }
    const s = new Float64Array(n * n + n ** 3);
    s.set(g);
    s.set(first, n * n);
    const want = raiseFirstIndex(g, first, n);
    const got = unrolledRaise(n, zero)(s, new Float64Array(n ** 3));
    for (let k = 0; k < want.length; k++) expect(Math.abs(got[k] - want[k])).toBeLessThan(1e-12 * (1 + Math.abs(want[k])));
  });
});
