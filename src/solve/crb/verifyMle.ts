/**
 * `check` of a declared closed-form MLE (`mle:` block) against the generic route: on a seeded
 * sample of size 2000 drawn at θ, (a) the closed form is a maximiser of the compiled likelihood —
 * its mean log-likelihood is not below that of Fisher scoring started from it — and (b) when
 * scoring converges (smooth families), both estimates agree to 1e-8 (relative, or absolute below 1).
 */
import { createRng } from '../../core/random.js';
import type { CompiledFamily } from '../../core/types.js';
import type { FamilySpec } from '../../declare/types.js';
import { compileMleProgram } from '../../compile/compileStatistics.js';
import { instantiateMle } from '../../compile/portableCode.js';
import { dataObjective, fisherScoring } from '../optim/fit.js';
import { crbSetup } from './crbSetup.js';
import { drawFunction } from './runTrials.js';

export interface MleCheck {
  ok: boolean;
  /** Largest relative difference between the closed form and the generic estimate (NaN if none). */
  value: number;
  detail: string;
}

/** null when the family declares no `mle:` block. */
export function verifyDeclaredMle(spec: FamilySpec, compiled: CompiledFamily, theta: ArrayLike<number>, n = 2000, seed = 20260): MleCheck | null {
  const program = compileMleProgram(spec);
  if (!program) return null;
  let data;
  let domains;
  try {
    const setup = crbSetup(spec, compiled, theta);
    domains = setup.domains;
    data = drawFunction(setup.sampler, setup.theta, compiled)(createRng(seed, 0), n);
  } catch (e) {
    return { ok: false, value: NaN, detail: `cannot draw a sample to check the declared mle: ${(e as Error).message}` };
  }
  const cf = instantiateMle(program)(data);
  const names = compiled.paramNames;
  const show = (v: ArrayLike<number>) => names.map((p, i) => `${p}=${v[i]}`).join(', ');
  if (!cf.every(Number.isFinite) || compiled.checkPoint(cf) !== null) {
    return { ok: false, value: NaN, detail: `the declared mle gives ${show(cf)} on a sample of ${n} drawn at this point (${compiled.checkPoint(cf) ?? 'not finite'})` };
  }
  const objective = dataObjective(compiled, data);
  const gen = fisherScoring(compiled, objective, cf, { domains, paramNames: names });
  const llCf = objective.value(cf);
  const llGen = objective.value(gen.value);
  if (llGen > llCf + 1e-12 * Math.max(1, Math.abs(llCf))) {
    return { ok: false, value: NaN, detail: `the declared mle is not a maximiser: mean log-likelihood ${llCf} at ${show(cf)}, ${llGen} at ${show(gen.value)} (Fisher scoring)` };
  }
  if (!gen.converged) return { ok: true, value: NaN, detail: `mean log-likelihood not improved by Fisher scoring from the declared mle (${gen.message ?? 'scoring did not converge: non-smooth likelihood'})` };
  let rel = 0;
  for (let i = 0; i < cf.length; i++) rel = Math.max(rel, Math.abs(cf[i] - gen.value[i]) / Math.max(1, Math.abs(cf[i])));
  return rel <= 1e-8
    ? { ok: true, value: rel, detail: `declared mle equals Fisher scoring on a sample of ${n} (relative difference ${rel.toExponential(2)})` }
    : { ok: false, value: rel, detail: `declared mle ${show(cf)} differs from Fisher scoring ${show(gen.value)} on a sample of ${n} drawn at this point` };
}
