import { describe, expect, it } from 'vitest';
import { evaluate, inv, parse, type MathNode } from 'mathjs';
import { symbolicDet, symbolicInverse } from '../../../src/report/derivation/symbolicInverse.js';

const M = (rows: string[][]) => rows.map((r) => r.map((s) => parse(s)));
// infogeo's trees come from its parser-only mathjs instance, which cannot .compile(): evaluate their text.
const num = (e: MathNode, scope: Record<string, number>) => Number(evaluate(e.toString(), { ...scope }));

describe('symbolicInverse', () => {
  it('inverts a diagonal metric entrywise: diag(1/σ², 2/σ²) → diag(σ², σ²/2)', () => {
    const r = symbolicInverse(M([['1/sigma^2', '0'], ['0', '2/sigma^2']]));
    expect(r.complete).toBe(true);
    expect(r.blocks.map((b) => b.indices)).toEqual([[0], [1]]);
    expect(num(r.inverse[0][0]!, { sigma: 3 })).toBeCloseTo(9, 12);
    expect(num(r.inverse[1][1]!, { sigma: 3 })).toBeCloseTo(4.5, 12);
    expect(num(r.inverse[0][1]!, { sigma: 3 })).toBe(0);
  });

  it('inverts a full 3×3 matrix by cofactors, matching mathjs inv numerically', () => {
    const g = M([['a+1', 'b', 'c'], ['b', 'a*2', '1'], ['c', '1', 'a^2+3']]);
    const r = symbolicInverse(g);
    const scope = { a: 1.3, b: 0.4, c: -0.2 };
    const numeric = inv(g.map((row) => row.map((e) => num(e, scope))));
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(num(r.inverse[i][j]!, scope)).toBeCloseTo(numeric[i][j], 12);
    expect(num(symbolicDet(g), scope)).toBeCloseTo(Number(evaluate('det(A)', { A: g.map((row) => row.map((e) => num(e, scope))) })), 12);
  });

  it('splits a 5×5 block-diagonal metric (bivariate-normal pattern) into a 2×2 and a 3×3 block', () => {
    const g = M([
      ['p', 'q', '0', '0', '0'],
      ['q', 'r', '0', '0', '0'],
      ['0', '0', 'u', 'v', 'w'],
      ['0', '0', 'v', 'y', 'z'],
      ['0', '0', 'w', 'z', 't'],
    ]);
    const r = symbolicInverse(g);
    expect(r.blocks.map((b) => b.indices)).toEqual([[0, 1], [2, 3, 4]]);
    const scope = { p: 2, q: 0.5, r: 1.5, u: 3, v: 0.2, w: 0.1, y: 2.5, z: -0.3, t: 1.8 };
    const numeric = inv(g.map((row) => row.map((e) => num(e, scope))));
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) expect(num(r.inverse[i][j]!, scope)).toBeCloseTo(numeric[i][j], 12);
  });

  it('reports an incomplete inverse for a dense 4×4 block', () => {
    const g = M([['a', '1', '1', '1'], ['1', 'a', '1', '1'], ['1', '1', 'a', '1'], ['1', '1', '1', 'a']]);
    const r = symbolicInverse(g);
    expect(r.complete).toBe(false);
    expect(r.inverse[0][0]).toBeNull();
  });
});
