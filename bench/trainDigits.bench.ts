/**
 * Training comparison on the 8×8 digits (1797 × 64, 10 classes; converted from Debian's python3-sklearn
 * by bench/digits.py): SGD, Adam, exact natural gradient, K-FAC and EK-FAC, 40 full-batch steps each.
 * Writes docs/figures/digits-loss-step.svg and docs/figures/digits-loss-time.svg and prints JSON with
 * the loss and accuracy reached and the time per step. Run: node bin/run-ts.js bench/trainDigits.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { standardize } from '../src/solve/softmax/datasets.js';
import { compareOptimizers } from '../src/solve/softmax/compareOptimizers.js';
import { svgPlot } from '../src/report/svgPlot.js';

const here = dirname(fileURLToPath(import.meta.url));
const r = spawnSync('/usr/bin/python3', [join(here, 'digits.py')], { encoding: 'utf8', maxBuffer: 64 << 20 });
if (r.status !== 0) {
  console.log(JSON.stringify({ bench: 'train-digits', note: 'skipped: needs Debian python3-sklearn' }));
  process.exit(0);
}
const raw = JSON.parse(r.stdout) as { N: number; D: number; C: number; X: number[]; y: number[] };
const X = Float64Array.from(raw.X);
standardize(X, raw.N, raw.D);
const data = { N: raw.N, D: raw.D, C: raw.C, X, y: Int32Array.from(raw.y) };
const steps = 40;
const hist = compareOptimizers(data, steps);
const names: Record<string, string> = { sgd: 'gradient descent', adam: 'Adam', natgrad: 'natural gradient (exact, CG)', kfac: 'K-FAC (LM damping)', ekfac: 'EK-FAC (LM damping)' };
const series = (x: 'step' | 'ms') => Object.entries(hist).map(([m, h]) => ({ name: names[m], points: h.map((p) => [x === 'ms' ? p.ms : p.step, p.loss] as const) }));
writeFileSync(join(here, '../docs/figures/digits-loss-step.svg'), svgPlot(series('step'), { title: 'Digits (1797 × 64, 10 classes): training loss per step', xLabel: 'step', yLabel: 'mean cross-entropy', logY: true }));
writeFileSync(join(here, '../docs/figures/digits-loss-time.svg'), svgPlot(series('ms'), { title: 'Digits: training loss against wall time', xLabel: 'milliseconds', yLabel: 'mean cross-entropy', logY: true }));
console.log(JSON.stringify({
  bench: 'train-digits',
  steps,
  results: Object.fromEntries(Object.entries(hist).map(([m, h]) => [m, { final_loss: h.at(-1)!.loss, final_accuracy: h.at(-1)!.accuracy, ms_per_step: +(h.at(-1)!.ms / (h.length - 1)).toFixed(2) }])),
}));
