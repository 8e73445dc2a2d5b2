/**
 * A family's likelihood closures in a form a worker thread can rebuild without the family
 * pipeline (whose mathjs import costs seconds per worker): the generated JavaScript of the
 * compiled `logDensity`, `score` and `fisher` (CompiledFamily.source, bodies of
 * `new Function('F', …)` over the compile stage's function table) plus the parameter domains.
 *
 * Only used when every piece is plain generated code (closed-form score and Fisher, no extra
 * constraints); {@link portableModel} verifies the rebuilt closures reproduce the originals
 * bit for bit at θ and returns null otherwise (the worker then rebuilds the pipeline).
 */
import { FUNCTION_TABLE } from '../../compile/functionTable.js';
import type { CompiledFamily, DataPoint } from '../../core/types.js';
import type { FamilySpec, ParamDomain } from '../../declare/types.js';
import type { LikelihoodModel } from '../optim/fit.js';

export interface PortableModel {
  readonly dim: number;
  readonly paramNames: readonly string[];
  readonly domains: readonly ParamDomain[];
  readonly logDensity: string;
  readonly score: string;
  /** Generated Fisher code, or null with `frozenFisher` (chord method: F is only needed at θ). */
  readonly fisher: string | null;
  readonly frozenFisher: readonly number[] | null;
}

type DataFn = (x: DataPoint, theta: ArrayLike<number>, out?: Float64Array) => Float64Array;
type ThetaFn = (theta: ArrayLike<number>, out?: Float64Array) => Float64Array;

/** Rebuilds the likelihood closures (logDensity, score, fisher, checkPoint) from a PortableModel. */
export function instantiatePortable(p: PortableModel): LikelihoodModel {
  const make = <T>(src: string): T => new Function('F', src)(FUNCTION_TABLE) as T;
  const ld = make<DataFn>(p.logDensity);
  const sc = make<DataFn>(p.score);
  const frozen = p.frozenFisher;
  const fi: ThetaFn = p.fisher !== null ? make<ThetaFn>(p.fisher) : (_theta, out) => {
    const r = out ?? new Float64Array(frozen!.length);
    r.set(frozen!);
    return r;
  };
  const one = new Float64Array(1);
  return {
    dim: p.dim,
    logDensity: (x, theta) => ld(x, theta, one)[0],
    score: (x, theta, out) => sc(x, theta, out),
    fisher: (theta, out) => fi(theta, out),
    checkPoint: (theta) => {
      // the same rules as declare/checkPoint for families without extra constraints
      for (let i = 0; i < p.dim; i++) {
        const v = theta[i];
        if (!Number.isFinite(v)) return `${p.paramNames[i]} = ${v} is not a finite number`;
        if (p.domains[i] === 'positive' && !(v > 0)) return `${p.paramNames[i]} = ${v} must be > 0`;
        if (p.domains[i] === 'unit' && !(v > 0 && v < 1)) return `${p.paramNames[i]} = ${v} must lie in the open interval (0, 1)`;
      }
      return null;
    },
  };
}

const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

/**
 * The portable form of `compiled`, or null when it cannot be shipped: quadrature-based score or
 * Fisher, extra constraints, missing source, or closures that do not reproduce the originals at
 * θ and the observation `x` (bitwise) — or the same for checkPoint at a few probes.
 */
export function portableModel(
  spec: FamilySpec,
  compiled: CompiledFamily,
  theta: ArrayLike<number>,
  x: DataPoint,
  frozenFisher: readonly number[] | null = null,
): PortableModel | null {
  if (spec.constraints.length > 0) return null;
  const closedFisher = compiled.methods.fisher === 'closed-form';
  if (compiled.methods.score !== 'closed-form' || (!closedFisher && !frozenFisher)) return null;
  const src = compiled.source;
  if (typeof src.logDensity !== 'string' || typeof src.score !== 'string' || (closedFisher && typeof src.fisher !== 'string')) return null;
  const p: PortableModel = {
    dim: compiled.dim,
    paramNames: [...compiled.paramNames],
    domains: spec.params.map((q) => q.domain),
    logDensity: src.logDensity,
    score: src.score,
    fisher: closedFisher ? src.fisher : null,
    frozenFisher: closedFisher ? null : [...frozenFisher!],
  };
  try {
    const m = instantiatePortable(p);
    if (!Object.is(m.logDensity(x, theta), compiled.logDensity(x, theta))) return null;
    if (!sameBits(m.score(x, theta), compiled.score(x, theta))) return null;
    if (!sameBits(m.fisher(theta), compiled.fisher(theta))) return null;
    for (const probe of [theta, Array.from(theta, (v) => -v), Array.from(theta, (v) => v + 1), Array.from(theta, () => NaN)]) {
      if ((m.checkPoint(probe) === null) !== (compiled.checkPoint(probe) === null)) return null;
    }
  } catch {
    return null;
  }
  return p;
}
