/**
 * infogeo browser API (`import … from 'infogeo/browser'`): everything that runs without Node, i.e. the stages
 * declare → derive → compile → solve → report. A family comes in as the text of a family file
 * ({@link declareFamily} or {@link parseFamily}); there is no file system, no worker thread and no `process`.
 * The Node entry (`infogeo`, src/index.ts) re-exports all of this and adds the file loader, the Cramér–Rao
 * Monte Carlo (worker threads) and the site writer.
 *
 * @example
 * import { declareFamily, deriveFamily, compileFamily } from 'infogeo/browser';
 * const fam = compileFamily(deriveFamily(declareFamily(yamlText)));
 * fam.fisher([2.5, 0.7]); // Float64Array, row-major g_ij
 */
import { parseFamily } from './declare/parseFamily.js';
import type { FamilySpec } from './declare/types.js';

/**
 * Declares a family from the text of a family file (YAML, format in docs/family-format.md).
 * @param text the YAML source.
 * @param file name used in error messages (default `family.yaml`).
 * @throws FamilyError listing every problem of the file (with line and field).
 */
export function declareFamily(text: string, file = 'family.yaml'): FamilySpec {
  return parseFamily(text, file);
}

export type { CompiledFamily, Metric, DataPoint, Vec, Mat, Tensor3 } from './core/types.js';
export { FamilyError, DomainError, UsageError, UnsupportedError, ConvergenceError } from './core/errors.js';
export { FUNCTIONS } from './core/functions.js';
export { SPECIAL } from './core/special.js';
export { evaluate } from './core/evaluate.js';
export { integrateOver, integrateOverVector } from './core/quadrature.js';
export { SAMPLERS } from './core/random.js';
export type { FamilySpec, ParamSpec, SupportSpec, Expr } from './declare/types.js';
export { parseFamily } from './declare/parseFamily.js';
export { checkPoint } from './declare/checkPoint.js';
export type { Derivation, Route, Step } from './derive/types.js';
export { deriveFamily, deriveFamilyWith } from './derive/deriveFamily.js';
export { differentiate } from './derive/differentiate.js';
export { compileFamily } from './compile/compileFamily.js';
export { emitModule } from './compile/emitModule.js';
export { checkFamily } from './compile/checkFamily.js';
export { expMap, geodesic } from './solve/geodesic/expMap.js';
export { logMap } from './solve/geodesic/logMap.js';
export { distance } from './solve/geodesic/distance.js';
export { dormandPrince } from './solve/geodesic/ode.js';
export { dormandPrince853 } from './solve/geodesic/dop853.js';
export { chain, scale, applyUpdates } from './solve/optim/transformation.js';
export { scaleByFisherInverse } from './solve/optim/scaleByFisherInverse.js';
export { klTrustRegion } from './solve/optim/klTrustRegion.js';
export { adam, scaleByAdam } from './solve/optim/adam.js';
export { sgd } from './solve/optim/sgd.js';
export { naturalGradient } from './solve/optim/naturalGradient.js';
export { minimize } from './solve/optim/minimize.js';
export { fisherFlow } from './solve/optim/fisherFlow.js';
export { fit, mle, fisherScoring } from './solve/optim/fit.js';
export { naturalGradientVI } from './solve/optim/vi.js';
export * as softmax from './solve/softmax/index.js';
export { printLatex } from './report/latex/printLatex.js';
export { derivationDocument } from './report/derivation/derivationDocument.js';
export { renderLatexDocument } from './report/derivation/renderLatexDocument.js';
export { renderHtmlPage } from './report/derivation/renderHtmlFragment.js';
export { renderSite } from './report/site/buildSite.js';
export { svgPlot } from './report/svgPlot.js';
export { renderHtmlFragment, renderTex } from './report/derivation/renderHtmlFragment.js';
export { renderJson } from './report/derivation/renderJson.js';
export { familyFigures } from './report/site/familyPlots.js';
