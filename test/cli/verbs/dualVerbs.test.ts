/**
 * CLI contract of the dual-geometry verbs (geodesic --alpha / --to, divergence, dual, project,
 * transport, mean, region): JSON shapes, values against closed forms, and bad input → exit 2.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { memoryIO } from '../../../src/cli/io.js';

async function cli(args: string[], cwd?: string) {
  const io = memoryIO(cwd);
  const code = await main(args, io);
  return { code, io, json: code === 0 && io.stdout.trim().startsWith('{') ? JSON.parse(io.stdout) : null };
}
const rel = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

describe('dual-geometry verbs', () => {
  it('geodesic --alpha 1 --to: the e-geodesic velocity of gamma is constant in natural coordinates', async () => {
    // gamma natural parameters (α − 1, −β) are affine in (α, β): the e-geodesic is a straight line,
    // so the log map of the α = +1 connection is just b − a.
    const r = await cli(['geodesic', 'gamma', '--from', 'alpha=2,beta=1', '--to', 'alpha=3,beta=0.5', '--alpha', '1', '--json']);
    expect(r.code).toBe(0);
    expect(r.json.alpha).toBe(1);
    expect(Math.abs(r.json.velocity.alpha - 1)).toBeLessThan(1e-9);
    expect(Math.abs(r.json.velocity.beta + 0.5)).toBeLessThan(1e-9);
  });

  it('divergence --json lists every kind with its route and expansions; α-divergence of normals is exact', async () => {
    const r = await cli(['divergence', 'normal', '--from', 'mu=0,sigma=1', '--to', 'mu=0.3,sigma=1.2', '--json']);
    expect(r.code).toBe(0);
    expect(r.json.divergences.map((d: { kind: string }) => d.kind)).toEqual(['kl', 'alpha', 'renyi', 'hellinger', 'bhattacharyya', 'jeffreys']);
    // Bhattacharyya of normals: (μ1−μ2)²/(4(σ1²+σ2²)) + ½ log((σ1²+σ2²)/(2σ1σ2))
    const want = 0.09 / (4 * (1 + 1.44)) + 0.5 * Math.log((1 + 1.44) / (2 * 1.2));
    const b = r.json.divergences.find((d: { kind: string }) => d.kind === 'bhattacharyya');
    expect(rel(b.value, want)).toBeLessThan(1e-12);
    expect(b.route).toMatch(/exponential-family/);
  });

  it('divergence on a family without a closed form uses quadrature and says so', async () => {
    const r = await cli(['divergence', 'cauchy', '--from', 'x0=0,gamma=1', '--to', 'x0=0.5,gamma=1.5', '--kind', 'renyi', '--order', '2', '--json']);
    expect(r.code).toBe(0);
    expect(r.json.divergences[0].route).toBe('quadrature');
    expect(r.json.divergences[0].order).toBe(2);
  });

  it('dual: coordinates, inverse map and e/m geodesics (normal)', async () => {
    const r = await cli(['dual', 'normal', '--expectation', '1,5', '--to', 'mu=0,sigma=1', '--samples', '3', '--json']);
    expect(r.code).toBe(0);
    expect(rel(r.json.at.sigma, 2)).toBeLessThan(1e-12); // E[x] = 1, E[x²] = 5 → σ² = 4
    expect(r.json.inverse_residual).toBeLessThanOrEqual(1e-13);
    expect(rel(r.json.bregman, r.json.kl)).toBeLessThan(1e-12);
    expect(r.json.m_geodesic[1].mu).toBeCloseTo(0.5, 12);
    expect(r.json.e_geodesic).toHaveLength(3);
  });

  it('dual on a family without an expfam block is a clear usage error', async () => {
    const r = await cli(['dual', 'cauchy', '--at', 'x0=0,gamma=1']);
    expect(r.code).toBe(2);
    expect(r.io.stderr).toMatch(/no exponential-family block/);
  });

  it('project: m-projection with the Pythagorean relation', async () => {
    const r = await cli(['project', 'normal', '--at', 'mu=1,sigma=2', '--onto', 'sigma=1.5', '--json']);
    expect(r.code).toBe(0);
    expect(r.json.e_flat).toBe(true);
    expect(rel(r.json.pythagorean.lhs, r.json.pythagorean.rhs)).toBeLessThan(1e-12);
    expect(r.json.projection.mu).toBeCloseTo(1, 12);
  });

  it('transport and mean', async () => {
    const t = await cli(['transport', 'normal', '--from', 'mu=0,sigma=1', '--velocity', 'mu=0,sigma=1', '--vectors', 'mu=0,sigma=1', '--json']);
    expect(t.code).toBe(0);
    // vertical geodesic σ(t) = e^{t/√2·√2}…: the transported ∂σ stays tangent with ‖W‖² = 2 W_σ²/σ² = 2
    expect(rel(2 * t.json.vectors[0].sigma ** 2 / t.json.end.sigma ** 2, 2)).toBeLessThan(1e-9);
    const m = await cli(['mean', 'exponential', '--points', 'lambda=1;lambda=4;lambda=16', '--json']);
    expect(m.code).toBe(0);
    expect(rel(m.json.mean.lambda, 4)).toBeLessThan(1e-10);
  });

  it('region: fits, traces three boundaries, writes the plot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'infogeo-region-'));
    const xs = Array.from({ length: 40 }, (_, i) => 1 + Math.sin(i * 1.7) + 0.3 * Math.cos(i * 0.3));
    writeFileSync(join(dir, 'd.json'), JSON.stringify(xs));
    const r = await cli(['region', 'normal', '--data', 'd.json', '--points', '16', '--plot', 'r.svg', '--json'], dir);
    expect(r.code).toBe(0);
    expect(Object.keys(r.json.regions)).toEqual(['wald', 'geodesic', 'likelihood']);
    expect(r.json.regions.likelihood.boundary).toHaveLength(16);
    expect(readFileSync(join(dir, 'r.svg'), 'utf8')).toMatch(/<svg/);
  });

  it('bad input: unknown divergence, bad --order pairing, bad constraint → exit 2', async () => {
    for (const args of [
      ['divergence', 'normal', '--from', 'mu=0,sigma=1', '--to', 'mu=1,sigma=1', '--kind', 'tsallis'],
      ['divergence', 'normal', '--from', 'mu=0,sigma=1', '--to', 'mu=1,sigma=1', '--order', '2'],
      ['project', 'normal', '--at', 'mu=0,sigma=1', '--onto', 'tau=1'],
      ['mean', 'normal', '--points', 'mu=0,sigma=1;mu=1,sigma=-1'],
      ['geodesic', 'normal', '--from', 'mu=0,sigma=1', '--velocity', 'mu=0,sigma=1', '--to', 'mu=1,sigma=1'],
    ]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
    }
  });
});
