import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.js';
import { memoryIO } from '../../../src/cli/io.js';

async function cli(args: string[]) {
  const io = memoryIO();
  const code = await main(args, io);
  return { code, io, json: code === 0 && io.stdout.trim().startsWith('{') ? JSON.parse(io.stdout) : null };
}

describe('infogeo crb', () => {
  it('crb normal --json follows the contract: bound = F⁻¹/N, empirical_cov, efficiency (+ CI, bias, failed_trials)', async () => {
    const r = await cli(['crb', 'normal', '--at', 'mu=1,sigma=2', '--n', '200', '--trials', '300', '--seed', '3', '--json']);
    expect(r.code).toBe(0);
    const j = r.json;
    // F = diag(1/σ², 2/σ²) → bound diag(σ²/N, σ²/(2N))
    expect(j.bound[0][0]).toBeCloseTo(4 / 200, 15);
    expect(j.bound[1][1]).toBeCloseTo(2 / 200, 15);
    expect(Math.abs(j.bound[0][1])).toBeLessThan(1e-18);
    expect(j.empirical_cov).toHaveLength(2);
    expect(j.empirical_cov[0]).toHaveLength(2);
    expect(j.efficiency).toHaveLength(2);
    expect(j.efficiency[0]).toBeCloseTo(j.bound[0][0] / j.empirical_cov[0][0], 12);
    expect(j.efficiency_ci[0][0]).toBeLessThan(j.efficiency[0]);
    expect(j.failed_trials).toBe(0);
    expect(j.method).toBe('closed-form');
    expect(j.estimates).toBeUndefined();
  });

  it('is reproducible for a seed and changes with the seed', async () => {
    const a = await cli(['crb', 'poisson', '--at', 'lambda=3', '--n', '50', '--trials', '40', '--seed', '8', '--json']);
    const b = await cli(['crb', 'poisson', '--at', 'lambda=3', '--n', '50', '--trials', '40', '--seed', '8', '--json']);
    const c = await cli(['crb', 'poisson', '--at', 'lambda=3', '--n', '50', '--trials', '40', '--seed', '9', '--json']);
    expect(b.json.empirical_cov).toEqual(a.json.empirical_cov);
    expect(c.json.empirical_cov).not.toEqual(a.json.empirical_cov);
    // poisson: the MLE is x̄ with variance exactly λ/n; mean of λ̂ is λ
    expect(a.json.bound[0][0]).toBeCloseTo(3 / 50, 15);
  });

  it('--fn applies the delta method: sigma^2 has bound 2σ⁴/N', async () => {
    const r = await cli(['crb', 'normal', '--at', 'mu=0,sigma=1.5', '--n', '100', '--trials', '200', '--fn', 'sigma^2', '--json']);
    expect(r.code).toBe(0);
    expect(r.json.function.bound).toBeCloseTo((2 * 1.5 ** 4) / 100, 12);
    expect(r.json.function.gradient[1]).toBeCloseTo(3, 10);
    expect(r.json.function.gradient_method).toBe('symbolic');
  });

  it('--plot writes an SVG of variance vs n with the bound at each n', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'infogeo-crb-'));
    try {
      const r = await cli(['crb', 'exponential', '--at', 'lambda=2', '--n', '160', '--trials', '100', '--plot', join(dir, 'v.svg'), '--json']);
      expect(r.code).toBe(0);
      const svg = readFileSync(join(dir, 'v.svg'), 'utf8');
      expect(svg).toMatch(/^<svg|<\?xml/);
      expect(svg).toContain('lambda: CRB');
      const curve = r.json.plot.curve as { n: number; bound: number[] }[];
      expect(curve.map((c) => c.n)).toEqual([10, 20, 40, 80, 160]);
      for (const c of curve) expect(c.bound[0]).toBeCloseTo(4 / c.n, 14); // F = 1/λ² → λ²/n
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--workers 2 gives the same JSON as in-process (gamma: Fisher scoring from the shipped generated code)', async () => {
    const args = ['crb', 'gamma', '--at', 'alpha=2,beta=1.5', '--n', '100', '--trials', '24', '--seed', '4', '--json'];
    const one = await cli([...args, '--workers', '1']);
    const two = await cli([...args, '--workers', '2', '--force-workers']);
    expect(two.code).toBe(0);
    expect(two.json.workers).toBe(2);
    expect(two.json.method).toBe('fisher-scoring');
    expect(two.json.empirical_cov).toEqual(one.json.empirical_cov);
    expect(two.json.mean).toEqual(one.json.mean);
  });

  it('rejects a missing --n, bad seeds and bad --fn with exit code 2', async () => {
    expect((await cli(['crb', 'normal', '--at', 'mu=0,sigma=1'])).code).toBe(2);
    expect((await cli(['crb', 'normal', '--at', 'mu=0,sigma=1', '--n', '10', '--seed', '-1'])).code).toBe(2);
    const bad = await cli(['crb', 'normal', '--at', 'mu=0,sigma=1', '--n', '10', '--fn', 'tau*2']);
    expect(bad.code).toBe(2);
    expect(bad.io.stderr).toMatch(/tau/);
  });

  it('extreme points are errors naming the quantity, never exit 0 with −Infinity/[0]/[null] efficiencies (issue 10)', async () => {
    const a = await cli(['crb', 'gamma', '--at', 'alpha=1e-9,beta=1', '--n', '50', '--trials', '10']);
    expect(a.code).not.toBe(0);
    expect(a.io.stderr).toMatch(/10 of 10 trials failed.*first failure: trial 0/);
    const b = await cli(['crb', 'poisson', '--at', 'lambda=1e300', '--n', '50', '--trials', '10', '--json']);
    expect(b.code).not.toBe(0);
    expect(b.io.stdout).toBe('');
    expect(b.io.stderr).toMatch(/(variance|efficiency|bound|mean) of (the estimates of )?lambda/);
    const c = await cli(['crb', 'binomial10', '--at', 'p=1e-300', '--n', '50', '--trials', '10', '--json']);
    expect(c.code).not.toBe(0);
    expect(c.io.stdout).toBe('');
    expect(c.io.stderr).toMatch(/of the estimates of p is 0/);
  });

  it('a user file without sampler and closed form runs (generic inversion sampler, generic MLE); several variables without sampler exit 2', async () => {
    const dir = join(__dirname, '../../fixtures/sampling');
    const r = await cli(['crb', join(dir, 'logistic_nosampler.yaml'), '--at', 'mu=0,s=1', '--n', '100', '--trials', '20', '--json']);
    expect(r.code).toBe(0);
    expect(r.json.sampler.method).toBe('inversion (PINV)');
    expect(r.json.method).toBe('fisher-scoring');
    const m = await cli(['crb', join(dir, 'binormal_nosampler.yaml'), '--at', 'mu=0', '--n', '10', '--trials', '5']);
    expect(m.code).toBe(2);
    expect(m.io.stderr).toMatch(/declares no sampler and has 2 data variables/);
  });
});
