/**
 * Issue 10: every verb checks every number it prints (src/cli/outputCheck.ts): non-finite values,
 * catastrophic cancellation, underflow and singular metrics are errors naming the quantity (exit 1),
 * never `null` or a wrong digit string; and the numeric fixes behind the examples.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NumericError } from '../../src/core/errors.js';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { checkOutput } from '../../src/cli/outputCheck.js';

async function run(args: string[]) {
  const io = memoryIO();
  const code = await main(args, io);
  return { code, out: io.stdout, err: io.stderr, json: () => JSON.parse(io.stdout) };
}
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('checkOutput', () => {
  it('names a non-finite entry by its path, with parameter names for matrix indices', () => {
    expect(() => checkOutput({ params: ['a', 'b'], fisher: [[1, NaN], [0, 1]] }, 'fisher of x')).toThrow(NumericError);
    expect(() => checkOutput({ params: ['a', 'b'], fisher: [[1, NaN], [0, 1]] }, 'fisher of x')).toThrow('fisher of x: fisher[a][b] is not finite: NaN');
    expect(() => checkOutput({ loss: 1, grad: Float64Array.of(0, -Infinity, 1) }, 'softmax')).toThrow('softmax: grad[1] is not finite: -Infinity');
    expect(() => checkOutput({ end: { p: 0.5 }, path: [[0.1], [0.2]] }, 'geodesic')).not.toThrow();
  });
});

describe('cancellation and range checks in the geometry verbs', () => {
  it('fisher vonmises at κ = 1e12: g_κκ = 5.0000000000025e-25 (was 1.1e-16)', async () => {
    const r = await run(['fisher', 'vonmises', '--at', 'mu=0,kappa=1e12', '--json']);
    expect(r.code).toBe(0);
    expect(rel(r.json().fisher[1][1], 5.0000000000025e-25)).toBeLessThan(1e-12);
  });
  it('curvature vonmises at κ = 1e5 is −1.00000000000000075 (was +5173), at κ = 1e3 −1.0000000007545229', async () => {
    const a = await run(['curvature', 'vonmises', '--at', 'mu=0,kappa=1e5', '--json']);
    expect(a.code).toBe(0);
    expect(rel(a.json().scalar, -1.000000000000000750045)).toBeLessThan(1e-12);
    const b = await run(['curvature', 'vonmises', '--at', 'mu=0,kappa=1e3', '--json']);
    expect(rel(b.json().scalar, -1.000000000754522898318)).toBeLessThan(1e-12);
  });
  it('curvature vonmises at κ = 1e-3 and 1e-8, where the closed form cancels, is an error naming the quantity (exit 1)', async () => {
    for (const k of ['1e-3', '1e-8']) {
      const r = await run(['curvature', 'vonmises', '--at', `mu=0,kappa=${k}`, '--json']);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toMatch(new RegExp(`curvature of vonmises lost its significant digits to cancellation at mu=0, kappa=${Number(k)}`));
    }
  });
  it('fisher vonmises at κ = 1e-200: g_μμ = κA underflows to 0 → error naming fisher[mu][mu]', async () => {
    const r = await run(['fisher', 'vonmises', '--at', 'mu=0,kappa=1e-200']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/fisher\[mu\]\[mu\] of vonmises underflows at mu=0, kappa=1e-200/);
  });
  it('fisher normal at σ = 1e200: σ² overflows inside 1/σ² → error naming fisher[mu][mu] (was [[0,0],[0,0]], exit 0)', async () => {
    const r = await run(['fisher', 'normal', '--at', 'mu=0,sigma=1e200', '--json']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/fisher\[mu\]\[mu\] of normal cannot be computed in double precision at mu=0, sigma=1e\+200: an intermediate result overflows/);
    expect((await run(['fisher', 'normal', '--at', 'mu=0,sigma=1e100', '--json'])).json().fisher).toEqual([[1e-200, 0], [0, 2e-200]]);
  });
  it('curvature normal at σ = 1e-150 prints a finite Ricci tensor −g/2 (was [[null,null],[null,null]])', async () => {
    const r = await run(['curvature', 'normal', '--at', 'mu=0,sigma=1e-150', '--json']);
    expect(r.code).toBe(0);
    const j = r.json();
    expect(j.scalar).toBe(-1);
    expect(rel(j.ricci[0][0], -0.5e300)).toBeLessThan(1e-14);
    expect(rel(j.ricci[1][1], -1e300)).toBeLessThan(1e-14);
    expect(j.ricci[0][1]).toBe(0);
  });
  it('curvature normal at σ = 1e-160 (g overflows) is an error naming the Ricci entry, never null', async () => {
    const r = await run(['curvature', 'normal', '--at', 'mu=0,sigma=1e-160', '--json']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/ricci\[mu\]\[mu\] is not finite: -Infinity/);
  });
  it('a singular metric is an error for verbs that need g⁻¹ numerically (christoffel of mvnormal2 with s22 → 0)', async () => {
    const r = await run(['christoffel', 'mvnormal2', '--at', 'mu1=0,mu2=0,s11=1,s12=0,s22=1e-300', '--json']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/christoffel of mvnormal2/);
  });
  it('kl of nearby points whose closed form cancels is an error; KL(θ‖θ) = 0 and distant points are fine', async () => {
    const near = await run(['kl', 'gamma', '--from', 'alpha=2,beta=1', '--to', 'alpha=2.0000001,beta=1', '--json']);
    expect(near.code).toBe(1);
    expect(near.err).toMatch(/kl of gamma lost its significant digits to cancellation/);
    expect((await run(['kl', 'gamma', '--from', 'alpha=2,beta=1', '--to', 'alpha=2,beta=1', '--json'])).json().kl).toBe(0);
    expect((await run(['kl', 'gamma', '--from', 'alpha=2,beta=1', '--to', 'alpha=2.1,beta=1', '--json'])).code).toBe(0);
  });
});

describe('geodesic: real boundary crossings vs step overshoot', () => {
  it('bernoulli and binomial10 from p = 0.5 with velocity 3 reach p = 1 at t = π/12 → exit 2 (was p = 0.9999999999999999, converged)', async () => {
    for (const fam of ['bernoulli', 'binomial10']) {
      const r = await run(['geodesic', fam, '--from', 'p=0.5', '--velocity', 'p=3', '--json']);
      expect(r.code).toBe(2);
      const t = Number(/leaves the parameter domain at t=([0-9.]+)/.exec(r.err)?.[1]);
      expect(Math.abs(t - Math.PI / 12)).toBeLessThan(1e-4);
      expect(r.err).toMatch(/boundary/);
    }
  });
  it('the mirror direction (p → 0) is reported the same way', async () => {
    const r = await run(['geodesic', 'bernoulli', '--from', 'p=0.5', '--velocity', 'p=-3', '--json']);
    expect(r.code).toBe(2);
    expect(Math.abs(Number(/at t=([0-9.]+)/.exec(r.err)?.[1]) - Math.PI / 12)).toBeLessThan(1e-4);
  });
  it('normal from σ = 1 with velocity σ = −100 reaches σ = e^−100 (complete manifold; was a false exit 2)', async () => {
    const r = await run(['geodesic', 'normal', '--from', 'mu=0,sigma=1', '--velocity', 'mu=0,sigma=-100', '--json']);
    expect(r.code).toBe(0);
    const j = r.json();
    expect(j.converged).toBe(true);
    expect(j.end.mu).toBe(0);
    expect(rel(j.end.sigma, Math.exp(-100))).toBeLessThan(1e-9);
    expect(rel(j.velocity_end.sigma, -100 * Math.exp(-100))).toBeLessThan(1e-9);
  });
});

describe('softmax natgrad: log-sum-exp and overflow', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infogeo-numeric-'));
  const write = (name: string, c: unknown) => {
    const f = join(dir, name);
    writeFileSync(f, JSON.stringify(c));
    return f;
  };
  it('logits ±1000 with the label on the small one: loss = 2000 exactly by hand (log(e^1000 + e^−1000) + 1000), gradient (p − y)x', async () => {
    const f = write('big.json', { W: [[1000, 0], [-1000, 0]], b: [0, 0], X: [[1, 0]], y: [1] });
    const r = await run(['softmax', 'natgrad', '--case', f, '--mode', 'exact', '--damping', '0.1', '--json']);
    expect(r.code).toBe(0);
    const j = r.json();
    expect(j.loss).toBe(2000);
    expect(j.grad).toEqual([1, 0, 1, -1, 0, -1]);
    expect(j.natgrad.every((v: number) => Number.isFinite(v))).toBe(true);
  });
  it('inputs of 1e308 are rejected with a message naming the fields (exit 2), not null/zeros', async () => {
    const f = write('huge.json', { W: [[1e308, 0], [-1e308, 0]], b: [0, 0], X: [[1, 0]], y: [1] });
    const r = await run(['softmax', 'natgrad', '--case', f, '--mode', 'exact', '--damping', '0.1', '--json']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/"W", "b", "X\[0\]": the logit of class 0 can reach 1e\+308 and would overflow/);
    const g = write('hugex.json', { W: [[1, 0], [0, 1]], b: [0, 0], X: [[1e200, 0]], y: [1] });
    const r2 = await run(['softmax', 'natgrad', '--case', g, '--mode', 'kfac', '--damping', '0.1', '--json']);
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/case field "X\[0\]" is too large/);
  });
});
