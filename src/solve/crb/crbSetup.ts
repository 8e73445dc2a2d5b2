/**
 * Builds the serializable {@link CrbSetup} of a family at θ from its declarations alone (nothing is
 * keyed by the family's name or parameter names):
 *  - sampler: the declared built-in (arguments evaluated at θ) or transform; with none declared, the
 *    generic inversion sampler of one continuous variable (PINV-like table, u-error ≤ 1e-10) or the
 *    cumulative pmf of a discrete one; several variables without a sampler are an error;
 *  - MLE: the declared closed form (`mle:` block), else Fisher scoring from near θ on the compiled score
 *    and metric — on the mean sufficient statistic when the family has an `expfam` block that
 *    reproduces the log-density at θ (checked at sampled points);
 *  - F(θ) from the compiled family, checked finite and positive definite.
 */
import { evaluate } from '../../core/evaluate.js';
import { checkSamplerArgs, createRng } from '../../core/random.js';
import { cholesky } from '../../core/linalg.js';
import type { CompiledFamily, DataPoint } from '../../core/types.js';
import type { FamilySpec, SupportSpec } from '../../declare/types.js';
import { compileMleProgram, compileSuffStats, compileTransform, instantiateSuffStats } from '../../compile/compileStatistics.js';
import { compileExprs } from '../../compile/compileExprs.js';
import { buildDiscrete, buildInversion, type Interval } from './inversion.js';
import { drawFunction, type CrbSetup, type ModelSource, type SamplerSource } from './runTrials.js';
import { portableModel } from './portableModel.js';

const INTERVALS: Partial<Record<SupportSpec['kind'], Interval>> = {
  real: { lo: -Infinity, hi: Infinity },
  positive: { lo: 0, hi: Infinity },
  unit: { lo: 0, hi: 1 },
  circle: { lo: -Math.PI, hi: Math.PI },
};

/** The sampler of the family at θ (declared, or generic). @throws Error with the reason. */
export function samplerSource(spec: FamilySpec, compiled: CompiledFamily, theta: ArrayLike<number>): SamplerSource {
  const s = spec.sampler;
  if (s?.kind === 'builtin') {
    const scope: Record<string, number> = { ...spec.constants };
    compiled.paramNames.forEach((p, i) => (scope[p] = theta[i]));
    const args = s.args.map((a) => evaluate(a, scope));
    const problem = checkSamplerArgs(s.method, args);
    if (problem) throw new Error(`sampler of ${spec.name} at this point: ${problem}`);
    return { kind: 'builtin', method: s.method, args };
  }
  if (s?.kind === 'transform') return { kind: 'transform', transform: compileTransform(spec)! };
  if (spec.variables.length !== 1) {
    throw new Error(
      `family ${spec.name} declares no sampler and has ${spec.variables.length} data variables: the generic samplers handle one variable; ` +
        `add a 'sampler:' block ({method, args} or {transform: [...]}, see docs/family-format.md)`,
    );
  }
  const ld = compiled.logDensityFactory ? compiled.logDensityFactory(theta) : (x: DataPoint) => compiled.logDensity(x, theta);
  const sup = spec.support;
  try {
    if (sup.kind === 'nonnegint') return { kind: 'discrete', table: buildDiscrete((k) => ld(k), null) };
    if (sup.kind === 'integers' && sup.hi === Infinity && Number.isFinite(sup.lo)) return { kind: 'discrete', table: buildDiscrete((k) => ld(k), null, sup.lo) };
    if (sup.kind === 'integers') {
      if (sup.hi - sup.lo > 1e7) throw new Error('more than 10⁷ support points');
      return { kind: 'discrete', table: buildDiscrete((k) => ld(k), Array.from({ length: sup.hi - sup.lo + 1 }, (_, i) => sup.lo + i)) };
    }
    if (sup.kind === 'finite') return { kind: 'discrete', table: buildDiscrete((k) => ld(k), sup.values) };
    const interval = INTERVALS[sup.kind];
    if (!interval) throw new Error(`support '${sup.kind}' has no generic sampler`);
    const bps = spec.breakpoints.length ? Array.from(compileExprs(spec.breakpoints, { theta: compiled.paramNames }, spec.constants).evaluate(theta)) : [];
    return { kind: 'inversion', table: buildInversion((x) => ld(x), interval, bps) };
  } catch (e) {
    throw new Error(`family ${spec.name} declares no sampler and the generic one failed at this point: ${(e as Error).message}`);
  }
}

/**
 * @throws Error when no sampler can be built, or F(θ) is not finite and positive definite.
 */
export function crbSetup(spec: FamilySpec, compiled: CompiledFamily, theta: ArrayLike<number>): CrbSetup {
  const d = compiled.dim;
  const F = compiled.fisher(theta);
  const bad = Array.from(F).findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`Fisher information g[${Math.floor(bad / d)}][${bad % d}] of ${spec.name} is not finite at this point (${F[bad]})`);
  if (!cholesky(F, d)) throw new Error(`the Fisher information of ${spec.name} is not positive definite at this point: the Cramér–Rao bound F⁻¹/n does not exist`);
  const sampler = samplerSource(spec, compiled, theta);
  const closedForm = compileMleProgram(spec);
  const th = Array.from(theta);
  // The sufficient-statistic route only when the expfam block reproduces the log-density here.
  let suffStats = closedForm ? null : compileSuffStats(spec);
  const fisherMethod = compiled.methods.fisher ?? 'closed-form';
  // Quadrature-based Fisher is costly per call: freeze it at the start of each fit (chord method).
  const refreshFisher = !/quad|numeric|sum/i.test(fisherMethod);
  const needsModel = !closedForm || (sampler.kind === 'discrete' && sampler.table.infinite);
  let modelSource: ModelSource | null = null;
  if (needsModel || suffStats) {
    const probe = drawFunction(sampler, th, compiled)(createRng(0), 8);
    if (suffStats) {
      const ss = instantiateSuffStats(suffStats);
      for (let i = 0; i < probe.length && suffStats; i++) {
        const x = probe[i] as DataPoint;
        const l = compiled.logDensity(x, th);
        if (!(Math.abs(ss.identityGap(x, th, l)) <= 1e-9 * (1 + Math.abs(l)))) suffStats = null;
      }
    }
    if (needsModel) {
      const portable = portableModel(spec, compiled, th, probe[0] as DataPoint, refreshFisher ? null : Array.from(F));
      modelSource = portable ? { kind: 'portable', model: portable } : { kind: 'family', nameOrPath: spec.file, cwd: '/' };
    }
  }
  return {
    family: spec.name,
    paramNames: [...compiled.paramNames],
    domains: spec.params.map((p) => p.domain),
    constants: { ...spec.constants },
    theta: th,
    sampler,
    fisher: Array.from(F),
    refreshFisher,
    closedForm,
    suffStats,
    modelSource,
  };
}
