/**
 * Generated code for the Monte Carlo side of a family, in a portable form (plain source strings over
 * the function table, rebuilt with `instantiate` — so worker threads can ship them without the
 * declare → derive → compile pipeline):
 *  - {@link compileMleProgram}: a declared closed-form MLE (`mle:` block): its sample statistics
 *    (mean/var/cov/median of whitelisted expressions of x, possibly nested) and the estimates;
 *  - {@link compileTransform}: a declared transform sampler x = T(θ, u…, z…);
 *  - {@link compileSuffStats}: the exponential-family reduction of a sample to the mean of its
 *    sufficient statistics T̄, with η(θ), A(θ) and their θ-gradients, so that the mean
 *    log-likelihood is η·T̄ − A (+ a θ-free term) and the mean score Σ_a ∂_iη_a T̄_a − ∂_iA.
 */
import type { MathNode } from 'mathjs';
import type { FamilySpec } from '../declare/types.js';
import { argsOf, fnName } from '../derive/build.js';
import { differentiate } from '../derive/differentiate.js';
import { compileExprs } from './compileExprs.js';
import type { PortableMle, PortableSuffStats, PortableTransform } from './portableCode.js';

export type { PortableMle, PortableSuffStats, PortableTransform, Sample, SuffStats } from './portableCode.js';
export { instantiateMle, instantiateSuffStats, instantiateTransform } from './portableCode.js';


// ------------------------------------------------------------------------------------------------
// Declared closed-form MLE


const statName = (i: number) => `__s${i}`;

/** Generated code of the family's `mle:` block, or null when it declares none. */
export function compileMleProgram(spec: FamilySpec): PortableMle | null {
  const m = spec.mle;
  if (!m) return null;
  const stats = m.stats.map((s, k) => {
    const prev = Array.from({ length: k }, (_, i) => statName(i));
    return { kind: s.kind, source: compileExprs(s.args, { theta: prev, x: spec.variables }, spec.constants).source };
  });
  const outer = compileExprs(m.estimates, { theta: m.stats.map((_, i) => statName(i)) }, spec.constants).source;
  return { stats, outer, dim: m.estimates.length };
}

// ------------------------------------------------------------------------------------------------
// Transform sampler


/** Generated code of a `sampler: {transform}` block, or null for built-in samplers / none. */
export function compileTransform(spec: FamilySpec): PortableTransform | null {
  const s = spec.sampler;
  if (!s || s.kind !== 'transform') return null;
  const b = compileExprs(s.transform, { theta: spec.params.map((p) => p.name), x: s.inputs }, spec.constants);
  return { inputs: [...s.inputs], outputs: s.transform.length, factory: b.factorySource };
}

// ------------------------------------------------------------------------------------------------
// Sufficient statistics of an exponential family


/** Generated code of the expfam reduction, or null when the family has no `expfam` block. */
export function compileSuffStats(spec: FamilySpec): PortableSuffStats | null {
  const ef = spec.expfam;
  if (!ef) return null;
  const names = spec.params.map((p) => p.name);
  const consts = spec.constants;
  const T = compileExprs([...ef.T, ef.base], { theta: [], x: spec.variables }, consts);
  // Statistics log(g(x)) are summed as the log of a product of g (meanT in portableCode.ts): one
  // logarithm per sample instead of one per point.
  const logArgs = ef.T.map(logArgument);
  const logOf = logArgs.map((a) => a !== null);
  const acc = logOf.some(Boolean) ? compileExprs(ef.T.map((e, a) => logArgs[a] ?? e), { theta: [], x: spec.variables }, consts).source : undefined;
  const grads: MathNode[] = [];
  for (const p of names) grads.push(differentiate(ef.A, p));
  for (const p of names) for (const e of ef.eta) grads.push(differentiate(e, p));
  const natural = compileExprs([ef.A, ...ef.eta, ...grads], { theta: names }, consts);
  return { dim: names.length, k: ef.T.length, T: T.source, natural: natural.source, ...(acc ? { acc, logOf } : {}) };
}

/** g when `e` is log(g) (parentheses ignored), else null. */
function logArgument(e: MathNode): MathNode | null {
  let n = e;
  while (n.type === 'ParenthesisNode') n = (n as unknown as { content: MathNode }).content;
  return fnName(n) === 'log' && argsOf(n).length === 1 ? argsOf(n)[0] : null;
}

