/**
 * infogeo public API for Node (`import … from 'infogeo'`): the browser API of src/browser.ts (declare → derive →
 * compile → solve → report, families from text) plus the Node-only parts: the family file loader (built-in
 * names and paths), the Cramér–Rao Monte Carlo (worker threads), the documentation-site writer, and worker
 * threads for the softmax models (importing this entry makes their default `threads` the available cores, and
 * turns on V8's relaxed SIMD on Node 20 so that the softmax kernels use fused multiply-add).
 *
 * @example
 * import { loadFamily, deriveFamily, compileFamily } from 'infogeo';
 * const gamma = compileFamily(deriveFamily(loadFamily('gamma')));
 * gamma.fisher([2.5, 0.7]); // Float64Array [ψ₁(2.5), −1/0.7, −1/0.7, 2.5/0.49]
 */
export * from './browser.js';
export { loadFamily, listFamilies, resolveFamilyPath, isFamilyPath } from './node/loadFamily.js';
export { crb, crbBound, prestartCrbWorkers, closeCrbPool } from './solve/crb/crb.js';
export { buildSite } from './node/writeSite.js';
import { useNodeThreads } from './node/softmaxThreads.js';
import { enableRelaxedSimd } from './node/wasmFeatures.js';
export { enableRelaxedSimd } from './node/wasmFeatures.js';
export { useNodeThreads, availableCores } from './node/softmaxThreads.js';
enableRelaxedSimd();
useNodeThreads();
