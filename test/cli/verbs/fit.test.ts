import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.js';
import { memoryIO } from '../../../src/cli/io.js';

const dir = mkdtempSync(join(tmpdir(), 'infogeo-fit-'));
const xs = [1.2, 0.4, 2.5, 3.1, 0.9, 1.7, 2.2, 0.6, 1.4, 2.9];
writeFileSync(join(dir, 'x.csv'), 'x\n' + xs.join('\n') + '\n');
writeFileSync(join(dir, 'x.json'), JSON.stringify(xs));
writeFileSync(join(dir, 'bad.csv'), '1\n-2\n3\n');
writeFileSync(join(dir, 'const.csv'), '5\n5\n5\n5\n');

async function cli(args: string[]) {
  const io = memoryIO(dir);
  const code = await main(args, io);
  return { code, io, json: code === 0 ? JSON.parse(io.stdout) : null };
}

describe('infogeo fit', () => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);

  it('normal from CSV with a header: MLE = (mean, population sd) for every method', async () => {
    for (const method of ['natgrad', 'newton']) {
      const r = await cli(['fit', 'normal', '--data', 'x.csv', '--method', method, '--json']);
      expect(r.code).toBe(0);
      expect(r.json.estimate.mu).toBeCloseTo(mean, 9);
      expect(r.json.estimate.sigma).toBeCloseTo(sd, 9);
      expect(r.json.n).toBe(10);
    }
    const a = await cli(['fit', 'normal', '--data', 'x.csv', '--method', 'adam', '--json']);
    expect(a.json.estimate.mu).toBeCloseTo(mean, 4);
  });

  it('exponential from JSON: rate = 1 / mean', async () => {
    const r = await cli(['fit', 'exponential', '--data', 'x.json', '--json']);
    expect(r.json.estimate.lambda).toBeCloseTo(1 / mean, 9);
  });

  it('data outside the support is a usage error (status 2)', async () => {
    const r = await cli(['fit', 'exponential', '--data', 'bad.csv', '--json']);
    expect(r.code).toBe(2);
    expect(r.io.stderr).toMatch(/support/);
  });

  it('an unknown method is a usage error', async () => {
    const r = await cli(['fit', 'normal', '--data', 'x.csv', '--method', 'bfgs']);
    expect(r.code).toBe(2);
  });

  it('gamma on constant data (5, 5, 5, 5): "no maximum likelihood estimate exists", exit 2, not a converged α = 1e14 (issue 10)', async () => {
    const r = await cli(['fit', 'gamma', '--data', 'const.csv', '--json']);
    expect(r.code).toBe(2);
    expect(r.io.stdout).toBe('');
    expect(r.io.stderr).toMatch(/no maximum likelihood estimate exists: alpha → \+∞ with the log-likelihood still increasing/);
  });

  it('check verifies a declared mle: against the generic route (a moment estimator declared as mle fails)', async () => {
    const good = await cli(['check', 'normal', '--json']);
    expect(good.code).toBe(0);
    expect(good.json.checks.filter((c: { name: string; ok: boolean }) => c.name === 'mle closed form' && c.ok)).toHaveLength(2);
    const io = memoryIO(dir);
    const code = await main(['check', join(__dirname, '../../fixtures/sampling/gammamle.yaml')], io);
    expect(code).toBe(2);
    expect(io.stderr).toMatch(/check 'mle closed form' failed .*not a maximiser/);
  });
});
