/**
 * What the dual-geometry verbs (divergence, dual, project) share: the compiled family with its
 * exponential-family coordinates (when it has them) and the divergence context, and parsing of
 * `;`-separated point lists.
 */
import { compileLogAffinity } from '../compile/affinity.js';
import { compileExponentialCoordinates, type ExponentialCoordinates } from '../compile/exponentialCoordinates.js';
import { UsageError } from '../core/errors.js';
import { dualCoordinates, type DualCoordinates } from '../solve/dual/dualCoordinates.js';
import type { DivergenceContext } from '../solve/dual/divergences.js';
import { loadCompiled, pointOf, type LoadedFamily } from './family.js';

export interface DualFamily extends LoadedFamily {
  /** Exponential-family coordinates, or the reason the family has none. */
  readonly coords: ExponentialCoordinates | string;
  readonly dual: DualCoordinates | null;
  readonly divergences: DivergenceContext;
}

export function loadDual(nameOrPath: string, cwd: string): DualFamily {
  const fam = loadCompiled(nameOrPath, cwd);
  const coords = compileExponentialCoordinates(fam.spec);
  const dual = typeof coords === 'string' ? null : dualCoordinates(fam.compiled, coords);
  return { ...fam, coords, dual, divergences: { family: fam.compiled, logAffinityQuadrature: compileLogAffinity(fam.derivation), dual } };
}

/** The dual coordinates, or a usage error saying why the family has none. */
export function requireDual(fam: DualFamily): { coords: ExponentialCoordinates; dual: DualCoordinates } {
  if (typeof fam.coords === 'string' || !fam.dual) throw new UsageError(typeof fam.coords === 'string' ? fam.coords : 'no dual coordinates');
  return { coords: fam.coords, dual: fam.dual };
}

/** `name=v,...;name=v,...` → points (each checked against the domain). */
export function pointList(fam: LoadedFamily, text: string, what: string): Float64Array[] {
  const parts = text.split(';').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw new UsageError(`${what} needs at least one point (name=value,...;name=value,...)`);
  if (parts.length > 10000) throw new UsageError(`${what} has more than 10000 points`);
  return parts.map((s, i) => pointOf(fam, s, `${what} point ${i + 1}`));
}
