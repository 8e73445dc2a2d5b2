/**
 * Fisher information of designs for models with covariates, against the literature's closed forms:
 * linear regression XᵀX/σ², logistic regression Σ p(1−p) x̃x̃ᵀ, Poisson regression Σ λ x̃x̃ᵀ, the DC
 * level in WGN (CRB σ²/N), and the sinusoid's amplitude/frequency/phase (Kay, Estimation Theory,
 * Example 3.14: exact finite-N sums and the large-N bounds).
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel, designArgument } from '../../src/cli/model.js';
import { parseDesign } from '../../src/declare/design.js';
import { inverse } from '../../src/core/linalg.js';

const EX = resolve(__dirname, '../../examples/models');
const load = (f: string) => loadModel(resolve(EX, f), process.cwd());
const maxRel = (got: ArrayLike<number>, want: ArrayLike<number>) => {
  let e = 0;
  const scale = Math.max(...Array.from(want, Math.abs));
  for (let i = 0; i < want.length; i++) e = Math.max(e, Math.abs(got[i] - want[i]) / scale);
  return e;
};

describe('Fisher information of a design', () => {
  it('linear regression: XᵀX/σ²', () => {
    const m = load('linear-regression.yaml');
    expect(m.compiled.method).toBe('closed-form');
    const d = designArgument('x = 0.1, 0.7, 2, 3.5; weights = 1, 2, 1, 3', m.spec, process.cwd());
    const xs = [0.1, 0.7, 2, 3.5];
    const w = [1, 2, 1, 3];
    const want = [0, 0, 0, 0];
    xs.forEach((x, k) => {
      const r = [1, x];
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) want[i * 2 + j] += (w[k] * r[i] * r[j]) / 0.25;
    });
    expect(maxRel(m.compiled.designFisher(d, [0.3, -1]), want)).toBeLessThan(1e-13);
  });

  it('logistic and Poisson regression: Σ p(1−p) x̃x̃ᵀ and Σ λ x̃x̃ᵀ', () => {
    const lg = load('logistic-regression.yaml');
    const po = load('poisson-regression.yaml');
    const d = parseDesign('x = -1.5, -0.2, 0.4, 2.2', ['x']);
    const b = [0.3, 1.4];
    const wantL = [0, 0, 0, 0];
    const wantP = [0, 0, 0, 0];
    for (const x of [-1.5, -0.2, 0.4, 2.2]) {
      const p = 1 / (1 + Math.exp(-(b[0] + b[1] * x)));
      const lam = Math.exp(b[0] + b[1] * x);
      const r = [1, x];
      for (let i = 0; i < 2; i++)
        for (let j = 0; j < 2; j++) {
          wantL[i * 2 + j] += p * (1 - p) * r[i] * r[j];
          wantP[i * 2 + j] += lam * r[i] * r[j];
        }
    }
    expect(maxRel(lg.compiled.designFisher(d, b), wantL)).toBeLessThan(1e-12);
    expect(maxRel(po.compiled.designFisher(d, b), wantP)).toBeLessThan(1e-12);
  });

  it('DC level in WGN: I = N/σ², CRB σ²/N', () => {
    const m = load('dc-level.yaml');
    const d = m.spec.design!;
    expect(d.size).toBe(100);
    const I = m.compiled.designFisher(d, [1.7]);
    expect(Math.abs(1 / I[0] - 4 / 100)).toBeLessThan(1e-15);
  });

  it('sinusoid: exact finite-N Fisher matrix (Kay Ex. 3.14) and the large-N bounds', () => {
    const m = load('sinusoid.yaml');
    const A = 1.3;
    const f0 = 0.12;
    const phi = 0.4;
    const s2 = 1;
    for (const N of [10, 50]) {
      const d = parseDesign(`n = 0..${N - 1}`, ['n']);
      const I = m.compiled.designFisher(d, [A, f0, phi]);
      const want = new Float64Array(9);
      for (let n = 0; n < N; n++) {
        const a = 2 * Math.PI * f0 * n + phi;
        const c = Math.cos(a);
        const s = Math.sin(a);
        const dA = c;
        const dF = -A * 2 * Math.PI * n * s;
        const dP = -A * s;
        const g = [dA, dF, dP];
        for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) want[i * 3 + j] += (g[i] * g[j]) / s2;
      }
      expect(maxRel(I, want)).toBeLessThan(1e-11);
    }
    // Large N: var(Â) ≥ 2σ²/N, var(f̂) ≥ 12/((2π)² η N(N²−1)), var(φ̂) ≥ 2(2N−1)/(η N(N+1)), η = A²/(2σ²)
    const N = 2000;
    const crb = inverse(m.compiled.designFisher(parseDesign(`n = 0..${N - 1}`, ['n']), [A, f0, phi]), 3);
    const eta = (A * A) / (2 * s2);
    const approx = [(2 * s2) / N, 12 / ((2 * Math.PI) ** 2 * eta * N * (N * N - 1)), (2 * (2 * N - 1)) / (eta * N * (N + 1))];
    [0, 4, 8].forEach((k, i) => expect(Math.abs(crb[k] / approx[i] - 1)).toBeLessThan(2e-3));
  });

  it('chain rule through a quadrature base metric (student5 regression) equals the closed-form route scaled', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(resolve(tmpdir(), 'infogeo-model-'));
    writeFileSync(resolve(dir, 't.yaml'), 'model: treg\nfamily: student5\nparams:\n  - { name: b0 }\n  - { name: b1 }\n  - { name: ls }\ncovariates: [x]\nlink:\n  mu: "b0 + b1*x"\n  sigma: "exp(ls)"\n');
    const m = loadModel(resolve(dir, 't.yaml'), dir);
    expect(m.compiled.method).toBe('chain-rule');
    // Student-t (ν = 5) location-scale: g_μμ = (ν+1)/((ν+3)σ²) = 6/(8σ²), g_σσ = 2ν/((ν+3)σ²) = 10/(8σ²)
    const d = parseDesign('x = 0, 1, 3', ['x']);
    const th = [0.2, -0.5, Math.log(1.7)];
    const s2 = 1.7 ** 2;
    const want = new Float64Array(9);
    for (const x of [0, 1, 3]) {
      const J = [[1, x, 0], [0, 0, 1.7]];
      const g = [[6 / (8 * s2), 0], [0, 10 / (8 * s2)]];
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) want[i * 3 + j] += J[a][i] * g[a][b] * J[b][j];
    }
    expect(maxRel(m.compiled.designFisher(d, th), want)).toBeLessThan(1e-9);
  });
});
