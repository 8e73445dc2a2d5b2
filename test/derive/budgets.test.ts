/**
 * Derivations that once exhausted memory or the stack (issue 10, items 2 and 3):
 *  - log(1 + log(1 + … σ)) nested 30 deep and the 40-factor product σ(σ+1)…(σ+39) in a normal-like
 *    family derive (hash-consed DAGs, memoised differentiation, budgeted simplification), and the
 *    compiled score and second derivatives agree with central differences of the compiled log-density;
 *  - their derivation documents, whose expanded trees are too large to print, fail with a
 *    FamilyError naming the equation and the print budget;
 *  - a log-density far deeper than the declare budgets allow (built by hand) fails with a
 *    FamilyError naming the object, never with a RangeError;
 *  - folding never hides a non-finite constant.
 */
import { OperatorNode, SymbolNode, ConstantNode, type MathNode } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { FamilyError } from '../../src/core/errors.js';
import { evaluate } from '../../src/core/evaluate.js';
import { parseFamily } from '../../src/declare/parseFamily.js';
import { compileExprs } from '../../src/compile/compileExprs.js';
import { deriveFamilyWith } from '../../src/derive/deriveFamily.js';
import { ONE, ZERO, add, dagSize, depth, div, key, mul, num, same, size, strip, sub, sym } from '../../src/derive/build.js';
import { simplify } from '../../src/derive/simplify.js';
import { derivationDocument } from '../../src/report/derivation/derivationDocument.js';
import type { Derivation } from '../../src/derive/types.js';
import { familyWith, nestedLog, product } from '../helpers/pathological.js';

/** Compiled score and Hessian vs central differences of the compiled log-density (Richardson-extrapolated). */
function agreeWithFd(d: Derivation, points: [number, number, number][]): number {
  const inputs = { theta: d.params, x: d.family.variables };
  const ld = compileExprs([d.logDensity], inputs);
  const sc = compileExprs(d.score, inputs);
  const he = compileExprs(d.hessian.flat(), inputs);
  let worst = 0;
  for (const [x, mu, sigma] of points) {
    const t = [mu, sigma];
    const f = (u: number[]) => ld.evaluate(x, u)[0];
    const cd = (g: (u: number[]) => number, u: number[], k: number, h: number) => {
      const a = u.slice();
      const b = u.slice();
      a[k] += h;
      b[k] -= h;
      return (g(a) - g(b)) / (2 * h);
    };
    // Richardson: (4 D(h/2) − D(h)) / 3
    const rich = (g: (u: number[]) => number, u: number[], k: number, h: number) => (4 * cd(g, u, k, h / 2) - cd(g, u, k, h)) / 3;
    const s = sc.evaluate(x, t);
    const H = he.evaluate(x, t);
    for (let i = 0; i < 2; i++) {
      const fd = rich(f, t, i, 1e-3);
      worst = Math.max(worst, Math.abs(s[i] - fd) / (1 + Math.abs(fd)));
      for (let j = 0; j < 2; j++) {
        const fd2 = rich((u) => rich(f, u, j, 1e-3), t, i, 1e-3);
        worst = Math.max(worst, Math.abs(H[i * 2 + j] - fd2) / (1 + Math.abs(fd2)));
      }
    }
  }
  return worst;
}

const POINTS: [number, number, number][] = [
  [0.3, 0.1, 1.3],
  [-1.2, -0.4, 0.7],
  [2.0, 0.5, 2.2],
];

describe('explosive derivations stay polynomial (hash-consed DAGs) and correct', () => {
  it('log(1 + log(1 + … σ)) nested 30 deep derives; score and Hessian agree with finite differences', () => {
    const d = deriveFamilyWith(parseFamily(familyWith(nestedLog(30)), 'nest30.yaml'));
    expect(agreeWithFd(d, POINTS)).toBeLessThan(1e-6);
    // shared subexpressions: the σσ second derivative has far fewer distinct nodes than tree nodes
    const h = d.hessian[1][1];
    expect(dagSize([h])).toBeLessThan(400);
    expect(size(h)).toBeGreaterThan(2 * dagSize([h]));
    expect(dagSize(d.dFisher!.flat(2))).toBeLessThan(2000);
  }, 20_000);

  it('the 40-factor product σ(σ+1)…(σ+39) derives; score and Hessian agree with finite differences', () => {
    const d = deriveFamilyWith(parseFamily(familyWith(`1e-60*${product(40)}`), 'prod40.yaml'));
    expect(agreeWithFd(d, POINTS)).toBeLessThan(1e-6);
    // ∂σ³ of the product as a tree has millions of nodes; as a DAG a few hundred
    const dg = d.dFisher![1][1][1];
    expect(size(dg)).toBeGreaterThan(1e6);
    expect(dagSize([dg])).toBeLessThan(2000);
  }, 20_000);

  it('their derivation documents fail cleanly with the print budget, naming the equation', () => {
    for (const [extra, file] of [
      [nestedLog(30), 'nest30.yaml'],
      [`1e-60*${product(40)}`, 'prod40.yaml'],
    ]) {
      const d = deriveFamilyWith(parseFamily(familyWith(extra), file));
      let err: unknown;
      try {
        derivationDocument(d);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(FamilyError);
      const p = (err as FamilyError).problems[0];
      expect(p).toMatchObject({ file, line: 8, field: 'logDensity' });
      expect(p.message).toMatch(/derivation document exceeds its print budget: ".*" equation .* has [\d,]+ nodes to print, budget 40,000/);
    }
  }, 20_000);
});

describe('depth safety', () => {
  /** a + a + … (n terms) built directly, bypassing the declare budgets. */
  function deepSum(n: number, leaf: () => MathNode): MathNode {
    let e = leaf();
    for (let i = 1; i < n; i++) e = new OperatorNode('+', 'add', [e, leaf()]);
    return e;
  }

  it('strip/size/depth/dagSize handle a 30,000-deep tree (formerly RangeError in rebuild)', () => {
    const t = deepSum(30_000, () => new SymbolNode('sigma'));
    const s = strip(t);
    expect(depth(s)).toBe(30_000);
    expect(size(s)).toBe(59_999);
    expect(dagSize([s])).toBe(30_000); // hash-consing: every `sigma` leaf is the same node
  });

  it('a log-density deeper than the derivation depth budget fails with a FamilyError naming the object', () => {
    const spec = parseFamily(familyWith('0'), 'deep.yaml');
    const deep = new OperatorNode('*', 'multiply', [new ConstantNode(0.001), deepSum(5_000, () => new OperatorNode('*', 'multiply', [new SymbolNode('sigma'), new SymbolNode('x')]))]);
    let err: unknown;
    try {
      deriveFamilyWith({ ...spec, logDensity: new OperatorNode('+', 'add', [spec.logDensity, deep]) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FamilyError);
    expect((err as FamilyError).problems[0]).toMatchObject({ file: 'deep.yaml', field: 'logDensity' });
    expect((err as FamilyError).message).toMatch(/derivation exceeds its depth budget: the log-density has depth 5,00\d, budget 1,500/);
  });
});

describe('folding never hides a non-finite constant', () => {
  const inf = div(ONE, ZERO); // 1/0 is kept as a division (not an exact constant)

  it('0·(1/0), (1/0)·0, 0/0, 0/(1/0), (1/0) − (1/0), (1/0)/(1/0) and σ·(1/0) − σ·(1/0) keep their NaN', () => {
    const s = sym('sigma');
    for (const e of [mul(ZERO, inf), mul(inf, ZERO), div(ZERO, ZERO), sub(inf, inf), div(inf, inf), sub(mul(s, inf), mul(s, inf)), mul(ZERO, mul(s, inf))]) {
      expect(evaluate(e, { sigma: 2 }), e.toString()).toBeNaN();
    }
    expect(evaluate(div(ZERO, inf), {})).toBe(0); // 0/∞ = 0 in IEEE arithmetic
  });

  it('finite cases still fold: 0·σ → 0, σ − σ → 0, σ/σ → 1, 0/σ → 0', () => {
    const s = sym('sigma');
    expect(key(mul(ZERO, s))).toBe('0');
    expect(key(sub(s, s))).toBe('0');
    expect(key(div(s, s))).toBe('1');
    expect(key(div(ZERO, s))).toBe('0');
    expect(same(mul(num(2), s), mul(num(2), sym('sigma')))).toBe(true);
  });

  it('the simplifier leaves trees with a non-finite constant alone', () => {
    const e = mul(ZERO, inf);
    expect(simplify(e)).toBe(e);
    const f = add(mul(sym('mu'), inf), mul(num(-1), mul(sym('mu'), inf)));
    expect(evaluate(simplify(f), { mu: 1 })).toBeNaN();
  });
});
