/** Softmax-layer fast path (re-exports only); conventions in docs/softmax.md. */
export { SoftmaxRegression } from './softmaxRegression.js';
export type { Dtype, SoftmaxData, SoftmaxOptions } from './softmaxRegression.js';
export type { CurvatureApprox } from './curvatureApprox.js';
export { ExactFisher, MatrixFreeFisher } from './exactFisher.js';
export { KfacFisher, softmaxKfac } from './kfacFisher.js';
export { DiagFisher } from './diagFisher.js';
export { OuterProductFisher, empiricalFisher, sampledFisher } from './empiricalFisher.js';
export { conjugateGradient } from './conjugateGradient.js';
export { ewcPenalty } from './ewc.js';
export { naturalGradient, fisherFor, trainableSoftmax } from './naturalGradient.js';
export { Mlp, trainableMlp } from './mlp.js';
export { train, stepsToAccuracy, TRAIN_METHODS } from './train.js';
export { KfacOptimizer } from './kfacOptimizer.js';
export type { FisherType, KfacOptimizerOptions, KfacStepInfo } from './kfacOptimizer.js';
export { registerThreadSpawner, helperLoop, PARALLEL_MIN_WORK } from './parallel.js';
export type { HelperSpawner, ParallelRunner } from './parallel.js';
export { bestWasmVariant, setDefaultWasmVariant } from './wasmTiles.js';
export type { WasmVariant } from './wasmTiles.js';
