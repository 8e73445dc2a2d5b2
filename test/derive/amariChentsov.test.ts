import { describe, expect, it } from 'vitest';
import { listFamilies, loadFamily } from '../../src/node/loadFamily.js';
import { deriveFamily } from '../../src/derive/deriveFamily.js';
import { mul } from '../../src/derive/build.js';
import { ev, quadExpect, randomPoint, relDiff, rng, scopeOf } from './helpers.js';

describe('amariChentsov: T_ijk = E[∂_i l ∂_j l ∂_k l]', () => {
  it('normal: T_μμσ = 2/σ³, T_σσσ = 8/σ³, T_μμμ = T_μσσ = 0', () => {
    const spec = loadFamily('normal');
    const d = deriveFamily(spec);
    const s = scopeOf(spec, [0.2, 1.3]);
    const T = (i: number, j: number, k: number) => ev(d.amariChentsov![i][j][k], s);
    expect(T(0, 0, 1)).toBeCloseTo(2 / 1.3 ** 3, 13);
    expect(T(1, 0, 0)).toBeCloseTo(2 / 1.3 ** 3, 13);
    expect(T(1, 1, 1)).toBeCloseTo(8 / 1.3 ** 3, 13);
    expect(T(0, 0, 0)).toBe(0);
    expect(T(0, 1, 1)).toBe(0);
  });
  for (const name of listFamilies()) {
    const spec = loadFamily(name);
    if (spec.variables.length !== 1) continue;
    it(`${name}: every entry equals the quadrature of the score product`, () => {
      const d = deriveFamily(spec);
      const s = randomPoint(spec, rng(name.length * 3));
      const n = d.dim;
      for (let i = 0; i < n; i++)
        for (let j = i; j < n; j++)
          for (let k = j; k < n; k++) {
            const ref = quadExpect(spec, s, mul(mul(d.score[i], d.score[j]), d.score[k]));
            expect(relDiff(ev(d.amariChentsov![i][j][k], s, spec), ref), `T${i}${j}${k}`).toBeLessThan(1e-8);
            expect(d.amariChentsov![k][i][j]).toBe(d.amariChentsov![i][j][k]);
          }
    });
  }
  it('reports the route: identity for exponential families, quadrature for cauchy/student5/laplace', () => {
    expect(deriveFamily(loadFamily('gamma')).routes.amariChentsov).toBe('exponential-family');
    for (const name of ['cauchy', 'student5', 'laplace']) expect(deriveFamily(loadFamily(name)).routes.amariChentsov).toBe('quadrature');
  });
});
