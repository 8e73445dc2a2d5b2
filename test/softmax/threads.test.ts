/**
 * Multi-threaded softmax products (solve/softmax/parallel.ts with the Node worker_threads spawner): results are
 * bitwise identical for 1, 2 and 3 threads, they agree with PyTorch float64 (test/fixtures/softmax/wide.json,
 * split threshold lowered so that every eligible product is cut into row blocks), the helper threads really
 * compute blocks, and a one-thread model starts no thread.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeThreadSpawner } from '../../src/node/softmaxThreads.js';
import { registerThreadSpawner, rowBounds, ROW_ALIGN } from '../../src/solve/softmax/parallel.js';
import { naturalGradient } from '../../src/solve/softmax/naturalGradient.js';
import { empiricalFisher } from '../../src/solve/softmax/empiricalFisher.js';
import { parseSoftmaxCase } from '../../src/solve/softmax/softmaxCase.js';
import { SoftmaxRegression, type SoftmaxData } from '../../src/solve/softmax/softmaxRegression.js';
import { createRng } from '../../src/solve/softmax/rng.js';
import { expectRelClose } from './fixtures.js';

const MODES = ['exact', 'kfac', 'diag', 'empirical'] as const;

function bits(x: ArrayLike<number>): string {
  return Buffer.from(Float64Array.from(x).buffer).toString('base64');
}

/** Waits (event loop free) until the model's helper threads are attached. */
async function helpersReady(model: SoftmaxRegression): Promise<void> {
  const r = model.runner!;
  // Helpers start on the first split product.
  model.inputGram();
  for (let i = 0; i < 400 && r.ready < r.threads - 1; i++) await new Promise((res) => setTimeout(res, 25));
  expect(r.ready).toBe(r.threads - 1);
}

const wide = JSON.parse(readFileSync(join(__dirname, '../fixtures/softmax/wide.json'), 'utf8'));
const wideCase = parseSoftmaxCase(wide.case);

function randomData(C: number, D: number, N: number, seed: number): { data: SoftmaxData; theta: Float64Array } {
  const rng = createRng(seed);
  const X = Float64Array.from({ length: N * D }, () => rng.normal());
  const y = Int32Array.from({ length: N }, () => Math.floor(rng.next() * C));
  const theta = Float64Array.from({ length: C * (D + 1) }, () => 0.05 * rng.normal());
  return { data: { C, D, N, X, y }, theta };
}

/** Everything the model computes, as bit strings. */
function fingerprint(model: SoftmaxRegression, theta: ArrayLike<number>, damping: number): Record<string, string> {
  const out: Record<string, string> = {};
  const g = new Float64Array(model.dim);
  out.loss = bits([model.lossAndGrad(theta, g)]);
  out.grad = bits(g);
  const fv = new Float64Array(model.dim);
  model.fisherVector(g, fv);
  out.fisherVector = bits(fv);
  const { A, G } = model.kfacFactors(true);
  out.A = bits(A);
  out.G = bits(G);
  out.gram = bits(model.inputGram());
  for (const mode of MODES) out[mode] = bits(naturalGradient(model, theta, mode, damping, { cgMaxIter: 30 }).natgrad);
  return out;
}

describe('multi-threaded softmax products', () => {
  beforeAll(() => registerThreadSpawner(nodeThreadSpawner, 1));
  afterAll(() => registerThreadSpawner(null));

  it('row blocks are aligned, increasing and cover the rows; a lower product gets fewer rows at the bottom', () => {
    for (const [m, n, lower] of [[785, 785, true], [1024, 10, false], [100, 100, true], [50, 3, true]] as const) {
      const b = rowBounds(m, n, lower, 4);
      expect(b[0]).toBe(0);
      expect(b[b.length - 1]).toBe(m);
      for (let i = 1; i < b.length; i++) expect(b[i]).toBeGreaterThan(b[i - 1]);
      for (let i = 1; i < b.length - 1; i++) expect(b[i] % ROW_ALIGN).toBe(0);
    }
    const tri = rowBounds(785, 785, true, 4);
    expect(tri.length).toBe(5);
    expect(tri[1]).toBeGreaterThan(785 / 4); // equal triangle areas: the first block is the tallest
    expect(785 - tri[3]).toBeLessThan(785 / 4);
  });

  it('gives bitwise identical results with 1, 2 and 3 threads, every product split, helpers computing blocks', async () => {
    const { data, theta } = randomData(7, 130, 200, 11);
    const models = [1, 2, 3].map((threads) => new SoftmaxRegression(data, { threads, parallel: { minWork: 0, adaptive: false } }));
    // The default adaptive runner (backs off to the calling thread while helpers lag): same bits whatever it chose.
    models.push(new SoftmaxRegression(data, { threads: 2, parallel: { minWork: 0 } }));
    try {
      expect(models.map((m) => m.threads)).toEqual([1, 2, 3, 2]);
      expect(models[0].runner).toBeNull();
      for (const m of models.slice(1)) await helpersReady(m);
      const prints = models.map((m) => fingerprint(m, theta, 1e-2));
      expect(prints[1]).toEqual(prints[0]);
      expect(prints[2]).toEqual(prints[0]);
      expect(prints[3]).toEqual(prints[0]);
      for (const m of models.slice(1, 3)) {
        const s = m.runner!.stats;
        expect(s.splits).toBeGreaterThan(20);
        // Blocks go to whichever thread asks first: over many products the helpers take some.
        expect(s.blocks - s.callerBlocks).toBeGreaterThan(0);
      }
    } finally {
      for (const m of models) m.close();
    }
  });

  it('agrees with PyTorch float64 (wide fixture) in every mode with 2 threads and split products', async () => {
    const model = new SoftmaxRegression(wideCase.data, { threads: 2, parallel: { minWork: 0, adaptive: false } });
    try {
      await helpersReady(model);
      const g = new Float64Array(model.dim);
      const loss = model.lossAndGrad(wideCase.theta, g);
      expect(Math.abs(loss - wide.loss)).toBeLessThanOrEqual(1e-12 * Math.abs(wide.loss));
      expectRelClose(g, wide.grad, 1e-10);
      expectRelClose(model.kfacFactors().G, wide.kfac_G, 1e-12);
      for (const mode of MODES) expectRelClose(naturalGradient(model, wideCase.theta, mode, wide.damping).natgrad, wide.natgrad[mode], 1e-10);
      expect(model.runner!.stats.splits).toBeGreaterThan(10);
    } finally {
      model.close();
    }
  });

  it('an empirical Fisher whose Woodbury factor was displaced from the model\'s square buffer refactors', () => {
    const { data, theta } = randomData(4, 6, 60, 5);
    const model = new SoftmaxRegression(data, { threads: 2, parallel: { minWork: 0, adaptive: false } });
    try {
      const g = new Float64Array(model.dim);
      model.lossAndGrad(theta, g);
      const e1 = empiricalFisher(model);
      const x1 = bits(e1.multiplyInverse(g, 1e-2));
      model.setParams(theta.map((t) => 3 * t));
      const e2 = empiricalFisher(model);
      const x2 = bits(e2.multiplyInverse(g, 1e-2));
      expect(x2).not.toBe(x1);
      expect(bits(e1.multiplyInverse(g, 1e-2))).toBe(x1);
      expect(bits(e2.multiplyInverse(g, 1e-2))).toBe(x2);
    } finally {
      model.close();
    }
  });

  it('splits nothing below the default threshold, and one thread starts no helper', () => {
    const { data, theta } = randomData(3, 5, 40, 3);
    const two = new SoftmaxRegression(data, { threads: 2 });
    const one = new SoftmaxRegression(data, { threads: 1 });
    naturalGradient(two, theta, 'kfac', 1e-3);
    naturalGradient(one, theta, 'kfac', 1e-3);
    expect(two.runner!.stats.splits).toBe(0);
    expect(two.runner!.ready).toBe(0);
    expect(one.runner).toBeNull();
    two.close();
  });

  it('rejects a bad thread count, and threads > 1 without a spawner', () => {
    const { data } = randomData(3, 5, 10, 1);
    expect(() => new SoftmaxRegression(data, { threads: 0 })).toThrow(/threads must be an integer in 1\.\.256/);
    registerThreadSpawner(null);
    try {
      expect(() => new SoftmaxRegression(data, { threads: 2 })).toThrow(/needs a thread spawner/);
      expect(new SoftmaxRegression(data).threads).toBe(1);
    } finally {
      registerThreadSpawner(nodeThreadSpawner, 1);
    }
  });
});
