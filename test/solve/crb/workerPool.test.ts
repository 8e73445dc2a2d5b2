/**
 * The pooled Cramér–Rao worker threads (src/solve/crb/workerPool.ts): threads started ahead of
 * time serve later calls, are reused across calls and across different experiments (each job
 * rebuilds the closures when its setup differs), and give bitwise the in-process estimates.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { crb, closeCrbPool, prestartCrbWorkers } from '../../../src/solve/crb/crb.js';
import { crbPoolSize } from '../../../src/solve/crb/workerPool.js';
import { crbSetup } from '../../../src/solve/crb/crbSetup.js';
import { loadFamily } from '../../../src/node/loadFamily.js';
import { deriveFamily } from '../../../src/derive/deriveFamily.js';
import { compileFamily } from '../../../src/compile/compileFamily.js';

const build = (name: string, theta: number[]) => {
  const spec = loadFamily(name);
  const compiled = compileFamily(deriveFamily(spec));
  return { setup: crbSetup(spec, compiled, theta), compiled };
};

afterAll(async () => {
  await closeCrbPool();
});

describe('crb worker pool', () => {
  it('prestarted threads are reused across calls and experiments, estimates bitwise identical to in-process', async () => {
    await closeCrbPool();
    prestartCrbWorkers(2);
    expect(crbPoolSize()).toBe(2);
    const gamma = build('gamma', [2, 1.5]);
    const beta = build('beta', [2, 3]);
    for (const { setup, compiled } of [gamma, beta, gamma]) {
      const inproc = await crb(setup, compiled, { n: 40, trials: 24, seed: 4 });
      const pooled = await crb(setup, compiled, { n: 40, trials: 24, seed: 4, workers: 3, blockSize: 2, mainThread: false });
      expect(pooled.likelihood).toBe('sufficient-statistics');
      expect(Array.from(pooled.estimates)).toEqual(Array.from(inproc.estimates));
      // the two prestarted threads (and one more for the third worker) serve every call
      expect(crbPoolSize()).toBe(3);
    }
    // another n and seed on the same warm threads
    const a = await crb(gamma.setup, gamma.compiled, { n: 15, trials: 20, seed: 8 });
    const b = await crb(gamma.setup, gamma.compiled, { n: 15, trials: 20, seed: 8, workers: 2, blockSize: 3 });
    expect(Array.from(b.estimates)).toEqual(Array.from(a.estimates));
    expect(crbPoolSize()).toBe(3);
  });

  it('threads started ahead of time never keep the process alive: a CLI run that fails before the trials exits', () => {
    // --workers 2 starts a pooled thread before the family loads; --at is then rejected
    const r = spawnSync(process.execPath, ['bin/infogeo-dev.js', 'crb', 'gamma', '--at', 'alpha=-1,beta=1', '--n', '10', '--trials', '10', '--workers', '2'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.signal).toBeNull(); // not killed by the timeout
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/alpha/);
  });
});
