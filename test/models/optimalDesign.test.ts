/**
 * Locally optimal designs against known closed forms: Michaelis–Menten (2 parameters: weight ½ at
 * K x_max/(2K + x_max) and x_max), Emax (3 parameters: weight ⅓ at 0, ED50 x_max/(2 ED50 + x_max), x_max),
 * simple linear regression on [−1, 1] (D-, A- and E-optimal: weight ½ at ±1), and the equivalence
 * theorem (sensitivity ≤ bound, equality at the support points).
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/cli/model.js';
import { optimalDesign } from '../../src/solve/design/optimalDesign.js';

const EX = resolve(__dirname, '../../examples/models');
const load = (f: string) => loadModel(resolve(EX, f), process.cwd()).compiled;

describe('optimal designs', () => {
  it('Michaelis–Menten: D-optimal two-point design to 1e-6', () => {
    const m = load('michaelis-menten.yaml');
    const K = 2.5;
    const xmax = 10;
    const r = optimalDesign(m, [3, K], { lo: [0], hi: [xmax] });
    expect(r.design.size).toBe(2);
    const xs = Array.from(r.design.points);
    expect(Math.abs(xs[0] - (K * xmax) / (2 * K + xmax))).toBeLessThan(1e-6);
    expect(Math.abs(xs[1] - xmax)).toBeLessThan(1e-6);
    for (const w of r.design.weights) expect(Math.abs(w - 0.5)).toBeLessThan(1e-6);
    expect(r.check.gap).toBeLessThan(1e-8);
    for (const d of r.check.atSupport) expect(Math.abs(d - 2)).toBeLessThan(1e-8);
  });

  it('Emax: D-optimal three-point design to 1e-6', () => {
    const m = load('emax.yaml');
    const ed50 = 15;
    const xmax = 100;
    const r = optimalDesign(m, [1, 8, ed50], { lo: [0], hi: [xmax] });
    expect(r.design.size).toBe(3);
    const xs = Array.from(r.design.points);
    const want = [0, (ed50 * xmax) / (2 * ed50 + xmax), xmax];
    xs.forEach((x, i) => expect(Math.abs(x - want[i])).toBeLessThan(1e-6 * xmax));
    for (const w of r.design.weights) expect(Math.abs(w - 1 / 3)).toBeLessThan(1e-6);
    expect(r.check.gap).toBeLessThan(1e-8);
  });

  it('linear regression on [−1, 1]: D, A and E-optimal designs put ½ at each end', () => {
    const m = load('linear-regression.yaml');
    for (const criterion of ['D', 'A', 'E'] as const) {
      const r = optimalDesign(m, [0.3, 1], { lo: [-1], hi: [1] }, { criterion });
      expect(Array.from(r.design.points)).toEqual([-1, 1]);
      for (const w of r.design.weights) expect(Math.abs(w - 0.5)).toBeLessThan(1e-6);
      expect(r.check.gap).toBeLessThan(1e-6);
    }
  });

  it('a non-optimal design violates the equivalence bound', async () => {
    const { equivalenceCheck } = await import('../../src/solve/design/optimalDesign.js');
    const { parseDesign } = await import('../../src/declare/design.js');
    const m = load('michaelis-menten.yaml');
    const c = equivalenceCheck(m, [3, 2.5], parseDesign('x = 1, 10', ['x']), { lo: [0], hi: [10] }, 'D');
    expect(c.gap).toBeGreaterThan(0.05);
  });
});
