import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { expectRelClose, loadFixture } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'infogeo-softmax-'));

describe('infogeo softmax natgrad', () => {
  const fx = loadFixture('small');
  const casePath = join(dir, 'case.json');
  writeFileSync(casePath, JSON.stringify(fx.case));
  for (const mode of ['exact', 'kfac', 'diag', 'empirical'] as const) {
    it(`prints the ${mode} natural gradient as JSON, matching PyTorch`, async () => {
      const io = memoryIO(dir);
      const code = await main(['softmax', 'natgrad', '--case', 'case.json', '--mode', mode, '--damping', String(fx.damping), '--json'], io);
      expect(code).toBe(0);
      const out = JSON.parse(io.stdout);
      expect(out.mode).toBe(mode);
      expect(out.damping).toBe(fx.damping);
      expect(out.loss).toBeCloseTo(fx.loss, 12);
      expectRelClose(out.grad, fx.grad, 1e-10);
      expectRelClose(out.natgrad, fx.natgrad[mode], 1e-10);
      if (mode === 'exact') expect(out.cg.converged).toBe(true);
      else expect(out.cg).toBeUndefined();
    });
  }
  it('--threads: the same bits with 1 and 2 threads on the wide PyTorch fixture (its A product is split), and a bad count is a usage error', async () => {
    const wide = JSON.parse(readFileSync(join(__dirname, '../fixtures/softmax/wide.json'), 'utf8'));
    writeFileSync(join(dir, 'wide.json'), JSON.stringify(wide.case));
    const outs: string[] = [];
    for (const threads of ['1', '2']) {
      const io = memoryIO(dir);
      expect(await main(['softmax', 'natgrad', '--case', 'wide.json', '--mode', 'kfac', '--damping', String(wide.damping), '--threads', threads, '--json'], io)).toBe(0);
      outs.push(io.stdout);
    }
    expect(outs[1]).toBe(outs[0]);
    expectRelClose(JSON.parse(outs[0]).natgrad, wide.natgrad.kfac, 1e-10);
    const io = memoryIO(dir);
    expect(await main(['softmax', 'natgrad', '--case', 'wide.json', '--mode', 'kfac', '--damping', '0.1', '--threads', '0'], io)).toBe(2);
    expect(io.stderr).toMatch(/--threads/);
  });
  it('prints a readable summary without --json', async () => {
    const io = memoryIO(dir);
    expect(await main(['softmax', 'natgrad', '--case', casePath, '--mode', 'exact', '--damping', '0.001'], io)).toBe(0);
    expect(io.stdout).toMatch(/loss\s+1\.2737984/);
    expect(io.stdout).toMatch(/CG\s+\d+ iterations/);
  });
  it('rejects bad input with exit code 2 and a message naming the problem', async () => {
    const cases: [string[], RegExp][] = [
      [['--mode', 'fancy', '--damping', '1'], /--mode must be one of/],
      [['--mode', 'kfac', '--damping', '0'], /--damping must be > 0/],
      [['--mode', 'kfac'], /missing required option --damping/],
    ];
    for (const [extra, msg] of cases) {
      const io = memoryIO(dir);
      expect(await main(['softmax', 'natgrad', '--case', casePath, ...extra], io)).toBe(2);
      expect(io.stderr).toMatch(msg);
    }
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ W: [[1, 2], [3, 4]], b: [0, 0], X: [[1, 2]], y: [5] }));
    const io = memoryIO(dir);
    expect(await main(['softmax', 'natgrad', '--case', 'bad.json', '--mode', 'exact', '--damping', '1'], io)).toBe(2);
    expect(io.stderr).toMatch(/y\[0\]" must be an integer in 0\.\.1/);
  });
});

describe('infogeo softmax train', () => {
  it('trains on iris: K-FAC and exact natural gradient pass 95% train accuracy in fewer steps than SGD, and write the SVG', async () => {
    const io = memoryIO(dir);
    const code = await main(['softmax', 'train', '--dataset', 'iris', '--steps', '60', '--out', 'iris.svg', '--json'], io);
    expect(code).toBe(0);
    expect(io.stderr).toBe(''); // no progress display with --json
    const out = JSON.parse(io.stdout);
    const m = out.methods;
    expect(m.kfac.final_accuracy).toBeGreaterThan(0.95);
    expect(m.natgrad.final_accuracy).toBeGreaterThan(0.95);
    expect(m.kfac.steps_to_95).toBeGreaterThan(0);
    expect(m.natgrad.steps_to_95).toBeGreaterThan(0);
    // SGD has not reached 95% within 60 steps (-1) or needs more steps
    const sgd = m.sgd.steps_to_95 < 0 ? Infinity : m.sgd.steps_to_95;
    expect(m.kfac.steps_to_95).toBeLessThan(sgd);
    expect(m.natgrad.steps_to_95).toBeLessThan(sgd);
    expect(m.natgrad.loss).toHaveLength(61);
    expect(m.natgrad.final_loss).toBeLessThan(m.sgd.final_loss);
    const svg = readFileSync(join(dir, 'iris.svg'), 'utf8');
    expect(svg.match(/<polyline class="series-\d"/g)).toHaveLength(4);
    expect(svg).toContain('natgrad');
  });
  it('trains a tanh MLP with --hidden and reports a table', async () => {
    const io = memoryIO(dir);
    expect(await main(['softmax', 'train', '--dataset', 'iris', '--steps', '30', '--hidden', '6', '--methods', 'adam,kfac'], io)).toBe(0);
    expect(io.stdout).toMatch(/MLP 4-6-3 \(tanh\) on iris/);
    expect(io.stdout).toMatch(/kfac\s+\d/);
  });
});
