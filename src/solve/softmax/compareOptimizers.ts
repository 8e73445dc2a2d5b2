/**
 * Training comparison on one softmax-regression problem: gradient descent, Adam, exact natural
 * gradient (CG on the true Fisher), K-FAC and EK-FAC (the training optimiser, true Fisher, running
 * averages, inverses every 5 steps). Every method starts from the same θ₀ and records the full-batch
 * loss and accuracy after each step with the wall time.
 */
import { KfacOptimizer } from './kfacOptimizer.js';
import { SoftmaxRegression, type SoftmaxData } from './softmaxRegression.js';
import { train, type StepRecord } from './train.js';
import { trainableSoftmax } from './naturalGradient.js';

export type ComparedMethod = 'sgd' | 'adam' | 'natgrad' | 'kfac' | 'ekfac';
export const COMPARED_METHODS: readonly ComparedMethod[] = ['sgd', 'adam', 'natgrad', 'kfac', 'ekfac'];

export function compareOptimizers(data: SoftmaxData, steps: number, methods: readonly ComparedMethod[] = COMPARED_METHODS): Record<string, StepRecord[]> {
  const out: Record<string, StepRecord[]> = {};
  for (const method of methods) {
    const model = new SoftmaxRegression(data);
    const theta = new Float64Array(model.dim);
    if (method === 'kfac' || method === 'ekfac') {
      const opt = new KfacOptimizer(model, { fisherType: 'true', ekfac: method === 'ekfac', lr: 1, damping: 1e-3, dampingSchedule: 'lm' });
      const hist: StepRecord[] = [];
      const t0 = performance.now();
      // opt.step evaluates the loss at θ_s before moving (and leaves the model at θ_s for accuracy()).
      for (let s = 0; s < steps; s++) {
        const { loss } = opt.step(theta);
        hist.push({ step: s, loss, accuracy: model.accuracy(), ms: performance.now() - t0 });
        if (!Number.isFinite(loss)) break;
      }
      const last = model.lossAndGrad(theta, new Float64Array(model.dim));
      hist.push({ step: hist.length, loss: last, accuracy: model.accuracy(), ms: performance.now() - t0 });
      out[method] = hist;
    } else {
      out[method] = train(trainableSoftmax(model), theta, { method, steps }).history;
    }
  }
  return out;
}
