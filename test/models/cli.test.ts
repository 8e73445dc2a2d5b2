/**
 * CLI of models with covariates: `fisher <model> --design`, `derive <model>`, `design <model>`, and bad
 * model files (file, line and field in one message, exit 2).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

const EX = resolve(__dirname, '../../examples/models');
async function cli(args: string[], cwd = EX) {
  const io = memoryIO(cwd);
  const code = await main(args, io);
  return { code, io, json: code === 0 && io.stdout.trim().startsWith('{') ? JSON.parse(io.stdout) : null };
}

describe('model verbs', () => {
  it('fisher <model> --design: DC level CRB = σ²/N', async () => {
    const r = await cli(['fisher', 'dc-level.yaml', '--at', 'A=0.3', '--design', 'n = 0..24', '--json']);
    expect(r.code).toBe(0);
    expect(r.json.design_points).toBe(25);
    expect(Math.abs(r.json.crb[0][0] - 4 / 25)).toBeLessThan(1e-15);
  });

  it('fisher <model> with a CSV design (weights column)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'infogeo-design-'));
    writeFileSync(join(dir, 'd.csv'), 'x,weight\n0,2\n1,3\n');
    const r = await cli(['fisher', resolve(EX, 'linear-regression.yaml'), '--at', 'b0=0,b1=1', '--design', 'd.csv', '--json'], dir);
    expect(r.code).toBe(0);
    // XᵀWX/σ² with σ = 0.5: [[5, 3], [3, 3]] / 0.25
    expect(r.json.fisher).toEqual([[20, 12], [12, 12]]);
  });

  it('a singular design is a clear error', async () => {
    const r = await cli(['fisher', 'linear-regression.yaml', '--at', 'b0=0,b1=1', '--design', 'x = 2']);
    expect(r.code).toBe(2);
    expect(r.io.stderr).toMatch(/singular/);
  });

  it('derive <model> --format latex names the link, the Jacobian and I_z', async () => {
    const r = await cli(['derive', 'logistic-regression.yaml', '--format', 'latex']);
    expect(r.code).toBe(0);
    expect(r.io.stdout).toMatch(/Jacobian of the link/);
    expect(r.io.stdout).toMatch(/I_\{\\beta_0\\beta_1\}/);
  });

  it('design <model> --json: Michaelis–Menten D-optimal design with the equivalence check; --plot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'infogeo-design-'));
    const r = await cli(['design', resolve(EX, 'michaelis-menten.yaml'), '--at', 'Vmax=3,K=2.5', '--region', 'x = 0..10', '--plot', 'd.svg', '--json'], dir);
    expect(r.code).toBe(0);
    expect(r.json.support).toHaveLength(2);
    expect(Math.abs(r.json.support[0].x - 25 / 15)).toBeLessThan(1e-6);
    expect(r.json.equivalence.relative_gap).toBeLessThan(1e-8);
    expect(readFileSync(join(dir, 'd.svg'), 'utf8')).toMatch(/sensitivity/);
  });

  it('crb <model> --design: efficiency interval of the DC level contains 1', async () => {
    const r = await cli(['crb', 'dc-level.yaml', '--at', 'A=1', '--design', 'n = 0..24', '--trials', '300', '--seed', '2', '--json']);
    expect(r.code).toBe(0);
    expect(r.json.bound[0][0]).toBeCloseTo(0.16, 14);
    expect(r.json.efficiency_ci[0][0]).toBeLessThan(1);
    expect(r.json.efficiency_ci[0][1]).toBeGreaterThan(1);
  });

  it('bad model files: one message with file, line and field, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'infogeo-badmodel-'));
    const head = 'model: m\nfamily: normal\nparams:\n  - { name: b }\ncovariates: [x]\n';
    const cases: [string, RegExp][] = [
      [head + 'link:\n  mu: "b*x"\n', /link\.sigma.*missing link/],
      [head + 'link:\n  mu: "b*x"\n  sigma: "constructor(1)"\n', /link\.sigma/],
      [head + 'link:\n  mu: "b*x"\n  sigma: "1"\n  nu: "2"\n', /link\.nu.*not a parameter of normal/],
      [head + 'link:\n  mu: "b*y"\n  sigma: "1"\n', /:7.*link\.mu/],
      ['model: m\nfamily: normal\nparams:\n  - { name: b, tex: \'\\input{/etc/hostname}\' }\ncovariates: [x]\nlink:\n  mu: "b*x"\n  sigma: "1"\n', /params\[0\]\.tex.*\\input/],
      [head + 'link:\n  mu: "b*x"\n  sigma: "1"\ndesign: "x = 0..1e9"\n', /design/],
    ];
    for (const [i, [text, re]] of cases.entries()) {
      writeFileSync(join(dir, `m${i}.yaml`), text);
      const r = await cli(['fisher', `m${i}.yaml`, '--at', 'b=1', '--design', 'x = 1, 2'], dir);
      expect(r.code, text).toBe(2);
      expect(r.io.stderr, text).toMatch(re);
      expect(r.io.stderr.split('\n').filter((l) => l.trim()).length, r.io.stderr).toBeLessThanOrEqual(2);
    }
  });
});
