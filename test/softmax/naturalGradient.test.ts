import { describe, expect, it } from 'vitest';
import { naturalGradient } from '../../src/solve/softmax/naturalGradient.js';
import { SoftmaxRegression } from '../../src/solve/softmax/softmaxRegression.js';
import { ExactFisher } from '../../src/solve/softmax/exactFisher.js';
import { softmaxKfac } from '../../src/solve/softmax/kfacFisher.js';
import { empiricalFisher } from '../../src/solve/softmax/empiricalFisher.js';
import { DiagFisher } from '../../src/solve/softmax/diagFisher.js';
import { expectRelClose, FIXTURE_NAMES, loadFixture } from './fixtures.js';
import { enableRelaxedSimd } from '../../src/node/wasmFeatures.js';
import { setDefaultWasmVariant } from '../../src/solve/softmax/wasmTiles.js';
import type { SoftmaxData } from '../../src/solve/softmax/softmaxRegression.js';

enableRelaxedSimd();

/** A model on the named kernels: WebAssembly relaxed SIMD (FMA), plain SIMD, or scalar JavaScript. */
function modelOn(data: SoftmaxData, flavour: 'relaxed' | 'simd' | 'scalar'): SoftmaxRegression {
  setDefaultWasmVariant(flavour === 'scalar' ? 'auto' : flavour);
  try {
    const model = new SoftmaxRegression(data, { simd: flavour !== 'scalar' });
    expect(model.wasmVariant).toBe(flavour === 'scalar' ? null : flavour);
    return model;
  } finally {
    setDefaultWasmVariant('auto');
  }
}

describe.each(FIXTURE_NAMES)('softmax natural gradient matches PyTorch float64 on fixture %s', (name) => {
  const fx = loadFixture(name);
  for (const flavour of ['relaxed', 'simd', 'scalar'] as const) {
    const label = { relaxed: 'relaxed-SIMD kernels', simd: 'plain SIMD kernels', scalar: 'scalar kernels' }[flavour];
    it(`gives the loss and gradient (${label})`, () => {
      const model = modelOn(fx.parsed.data, flavour);
      const g = new Float64Array(model.dim);
      const loss = model.lossAndGrad(fx.parsed.theta, g);
      expect(Math.abs(loss - fx.loss)).toBeLessThanOrEqual(1e-12 * Math.abs(fx.loss));
      expectRelClose(g, fx.grad, 1e-10);
      expectRelClose(model.P, fx.probs.flat(), 1e-12);
    });
    for (const mode of ['exact', 'kfac', 'diag', 'empirical'] as const) {
      it(`gives the ${mode} natural gradient (${label})`, () => {
        const model = modelOn(fx.parsed.data, flavour);
        const r = naturalGradient(model, fx.parsed.theta, mode, fx.damping);
        expectRelClose(r.natgrad, fx.natgrad[mode], 1e-10);
        if (mode === 'exact') {
          expect(r.cg?.converged).toBe(true);
          expect(r.cg!.residual).toBeLessThanOrEqual(1e-12);
        }
      });
    }
  }
  it('densifies the exact, empirical and K-FAC Fishers to the PyTorch matrices', () => {
    const model = new SoftmaxRegression(fx.parsed.data);
    model.setParams(fx.parsed.theta);
    expectRelClose(new ExactFisher(model).toDense(), fx.fisher, 1e-12);
    expectRelClose(empiricalFisher(model).toDense(), fx.empirical, 1e-12);
    const k = softmaxKfac(model).blocks[0];
    expectRelClose(k.A, fx.kfac_A, 1e-12);
    expectRelClose(k.G, fx.kfac_G, 1e-12);
    const dim = model.dim;
    const diag = new DiagFisher({ dim, diagFisher: (o) => model.diagFisher(o) }).diagonal;
    expectRelClose(diag, Array.from({ length: dim }, (_, i) => fx.fisher[i * dim + i]), 1e-12);
  });
});
