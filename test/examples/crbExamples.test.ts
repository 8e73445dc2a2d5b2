/**
 * Issue 9 acceptance: `crb` on EVERY example family of examples/families/*.yaml (the folder is
 * globbed, so a new example is covered automatically) gives an efficient, unbiased MLE at large n.
 *
 * Point: the first reference point of test/fixtures/example-families/reference.json (where the
 * mpmath reference shows the metric regular), else the family's first default check point
 * (checkPoints). n = 2000, 200 trials, seed 1, one worker. Asserted per family:
 *  - no failed trial (a dropped trial is a sample whose MLE the engine did not find; dropping those
 *    samples — typically the ones whose estimate lies far from θ — shrinks the variance and makes the
 *    efficiency look better than 1);
 *  - for every parameter the efficiency interval contains 1. The intervals are at level 0.999: over
 *    the ~40 intervals of the folder this keeps the chance of a spurious miss of a correct engine
 *    near 4% (Bonferroni), while a defect such as the old engine's (efficiency 2.8 for gengamma) is
 *    far outside;
 *  - |bias| ≤ 4 standard errors of the mean estimate (√(var/trials)).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCompiled } from '../../src/cli/family.js';
import { checkPoints } from '../../src/compile/checkFamily.js';
import { crbSetup } from '../../src/solve/crb/crbSetup.js';
import { crb } from '../../src/solve/crb/crb.js';

const DIR = new URL('../../examples/families/', import.meta.url).pathname;
const ref = JSON.parse(readFileSync(new URL('../fixtures/example-families/reference.json', import.meta.url), 'utf8')) as {
  families: Record<string, { points: number[][] }>;
};
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();
const N = 2000;
const TRIALS = 200;

describe('crb on every example family: efficient, unbiased MLE at n = 2000', () => {
  it('the folder holds the example families', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  for (const file of files) {
    const name = file.replace(/\.yaml$/, '');
    it(name, async () => {
      const f = loadCompiled(DIR + file, DIR);
      const theta = ref.families[name]?.points[0] ?? checkPoints(f.compiled, f.derivation)[0];
      expect(theta, `${name}: no point to run crb at`).toBeDefined();
      const r = await crb(crbSetup(f.spec, f.compiled, theta), f.compiled, { n: N, trials: TRIALS, seed: 1, confidence: 0.999 });
      const at = `${name} at ${r.params.map((p, i) => `${p}=${theta[i]}`).join(', ')}`;
      expect(r.failed_trials, `${at}: failed trials`).toBe(0);
      r.params.forEach((p, i) => {
        const [lo, hi] = r.efficiency_ci[i];
        expect(lo <= 1 && 1 <= hi, `${at}: efficiency of ${p} ${r.efficiency[i].toFixed(3)} [${lo.toFixed(3)}, ${hi.toFixed(3)}]`).toBe(true);
        const se = Math.sqrt(r.empirical_cov[i][i] / TRIALS);
        expect(Math.abs(r.bias[i]), `${at}: bias of ${p} ${r.bias[i]} (se ${se})`).toBeLessThanOrEqual(4 * se);
      });
    }, 30_000);
  }
});
