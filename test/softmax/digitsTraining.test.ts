/**
 * Training comparison on the 8×8 digits (converted at set-up from Debian's python3-sklearn by
 * bench/digits.py; the test skips with a message when it is not installed): the curvature methods
 * (exact natural gradient, K-FAC, EK-FAC) reach a lower full-batch loss in 20 steps than gradient
 * descent and Adam from the same start.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { standardize } from '../../src/solve/softmax/datasets.js';
import { compareOptimizers } from '../../src/solve/softmax/compareOptimizers.js';

const r = spawnSync('/usr/bin/python3', [resolve(__dirname, '../../bench/digits.py')], { encoding: 'utf8', maxBuffer: 64 << 20 });
const available = r.status === 0;
if (!available) console.warn('digits training test skipped: /usr/bin/python3 cannot load sklearn digits (apt-get install python3-sklearn)');

describe.skipIf(!available)('softmax training on the digits', () => {
  it('natural gradient, K-FAC and EK-FAC beat SGD and Adam per step', () => {
    const raw = JSON.parse(r.stdout) as { N: number; D: number; C: number; X: number[]; y: number[] };
    expect([raw.N, raw.D, raw.C]).toEqual([1797, 64, 10]);
    const X = Float64Array.from(raw.X);
    standardize(X, raw.N, raw.D);
    const h = compareOptimizers({ N: raw.N, D: raw.D, C: raw.C, X, y: Int32Array.from(raw.y) }, 20);
    const final = (m: string) => h[m].at(-1)!.loss;
    for (const m of ['natgrad', 'kfac', 'ekfac']) {
      expect(final(m), m).toBeLessThan(final('adam'));
      expect(final(m), m).toBeLessThan(final('sgd'));
    }
    for (const m of Object.keys(h)) expect(h[m]).toHaveLength(21);
  });
});
