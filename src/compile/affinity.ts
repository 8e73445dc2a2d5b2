/**
 * The affinity ∫ p_a^s p_b^{1−s} (its logarithm) of two members of a family by quadrature or
 * summation over the support: the one integral behind the Rényi, Amari α-, Hellinger and
 * Bhattacharyya divergences when no closed form is available (src/solve/dual/divergences.ts).
 * Unnormalised log-densities are allowed (each density is divided by its normaliser).
 */
import { integrateOver } from '../core/quadrature.js';
import type { Derivation } from '../derive/types.js';
import { compileExprs } from './compileExprs.js';
import { logDensitySampler, logNormaliser, pointMaker, quadOptions } from './expectation.js';
import type { QuadratureSettings, SupportInfo } from './expectation.js';

/** The support of a derivation's family as the quadrature routines see it. */
export function supportInfo(d: Derivation): SupportInfo {
  const spec = d.family;
  const breakpoints = spec.breakpoints.length ? compileExprs(spec.breakpoints, { theta: d.params }, spec.constants) : null;
  return { support: spec.support, variables: spec.variables, breakpoints: breakpoints ? breakpoints.evaluate : null };
}

/** (s, a, b) ↦ log ∫ p_a^s p_b^{1−s} dx by quadrature (NaN when it does not converge). */
export function compileLogAffinity(d: Derivation, settings: QuadratureSettings = { rtol: 1e-12 }) {
  const info = supportInfo(d);
  const lSample = logDensitySampler(d.logDensity, d.params, info, d.family.constants);
  const mk = pointMaker(info);
  return (s: number, a: ArrayLike<number>, b: ArrayLike<number>): number => {
    const la = lSample(a);
    const lb = lSample(b);
    const buf = new Float64Array(3);
    const lAt = (x: number, y: number, z = NaN): number => {
      const p = mk(x, y, z, buf);
      const u = la(p);
      const v = lb(p);
      // p_a^s p_b^{1−s} vanishes where either density does (avoids 0·∞ at the support's edges).
      if (u === -Infinity || v === -Infinity) return -Infinity;
      return s * u + (1 - s) * v;
    };
    const { opts, l0 } = quadOptions(info, lAt, a, settings);
    const bpB = info.breakpoints ? Array.from(info.breakpoints(b)) : [];
    if (bpB.length) opts.breakpoints = [...(opts.breakpoints ?? []), ...bpB];
    const r = integrateOver(info.support, (x, y, z) => Math.exp(lAt(x, y, z) - l0), opts);
    if (!r.converged && !(r.error <= 1e-8 * Math.abs(r.value))) return NaN;
    return l0 + Math.log(r.value) - s * logNormaliser(info, lSample, a, settings) - (1 - s) * logNormaliser(info, lSample, b, settings);
  };
}
