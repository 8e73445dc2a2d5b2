/**
 * The pipeline the CLI runs for a family argument: declare → derive → compile, cached per family.
 * A family argument is a built-in name (families/<name>.yaml) or a path to a family file.
 */
import { ConvergenceError, DomainError, FamilyError, UsageError } from '../core/errors.js';
import type { CompiledFamily } from '../core/types.js';
import { loadFamily } from '../node/loadFamily.js';
import { checkPoint } from '../declare/checkPoint.js';
import type { FamilySpec } from '../declare/types.js';
import { deriveFamily } from '../derive/deriveFamily.js';
import type { Derivation } from '../derive/types.js';
import { compileFamily } from '../compile/compileFamily.js';
import { isExtremePoint, nearbyNormalizationProblem, normalizationProblem, singularMetricProblem } from '../compile/guards.js';
import { parseFlags, parseParams, requireString, type FlagKind, type ParsedArgs } from './args.js';
import type { CliIO } from './io.js';

export interface LoadedFamily {
  spec: FamilySpec;
  derivation: Derivation;
  compiled: CompiledFamily;
}

export function loadCompiled(nameOrPath: string, cwd: string): LoadedFamily {
  const spec = loadFamily(nameOrPath, { cwd });
  const derivation = deriveFamily(spec);
  const compiled = compileFamily(derivation);
  return { spec, derivation, compiled };
}

/**
 * Parses `name=value,...` for this family, checks the point lies in the parameter domain and runs
 * the guards of {@link guardPoint} there.
 */
export function pointOf(fam: LoadedFamily, text: string, what: string): Float64Array {
  const theta = parseParams(text, fam.compiled.paramNames, what);
  const problem = fam.compiled.checkPoint(theta);
  if (problem) throw new DomainError(`${what} is outside the domain of ${fam.spec.name}: ${problem}`);
  guardPoint(fam, theta, what);
  return theta;
}

/** Guard results per loaded spec (loadFamily refreshes the spec object when its file changes) and point. */
const guardCache = new WeakMap<FamilySpec, Map<string, string | null>>();

/**
 * The guards every verb runs at each parameter point it is given (src/compile/guards.ts), cached
 * per family file and θ: the density must be normalised there and at a nearby point
 * (|∫p − 1| ≤ 1e-8) and the Fisher metric must not be singular. Throws a FamilyError (exit 2) naming the file otherwise.
 */
export function guardPoint(fam: LoadedFamily, theta: ArrayLike<number>, what: string): void {
  let cache = guardCache.get(fam.spec);
  if (!cache) guardCache.set(fam.spec, (cache = new Map()));
  const key = Array.from(theta).join(',');
  let problem = cache.get(key);
  if (problem === undefined) {
    const names = fam.compiled.paramNames;
    const at = names.map((n, i) => `${n}=${theta[i]}`).join(', ');
    // At extreme points the quadratures and metric entries may under/overflow: the verbs' numeric
    // checks name the failing entry there instead (see isExtremePoint).
    problem = isExtremePoint(theta)
      ? null
      : (normalizationProblem(fam.derivation, theta, at) ??
        nearbyNormalizationProblem(fam.derivation, theta, at) ??
        singularMetricProblem(fam.compiled.fisher(theta), names, at));
    cache.set(key, problem);
  }
  if (problem) throw new FamilyError([{ file: fam.spec.file, message: `${what}: ${problem}` }]);
}

/** Fixed-width number for human-readable tables. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-4 && a < 1e7 ? Number(v.toPrecision(12)).toString() : v.toExponential(10);
}

/** Matrix as aligned text rows with row/column labels. */
export function formatMatrix(names: readonly string[], m: ArrayLike<number>, n = names.length): string {
  const cells = names.map((_, i) => names.map((__, j) => fmt(m[i * n + j])));
  const w = Math.max(...names.map((s) => s.length), ...cells.flat().map((s) => s.length));
  const pad = (s: string) => s.padStart(w);
  const lines = [' '.repeat(w) + '  ' + names.map(pad).join('  ')];
  names.forEach((r, i) => lines.push(pad(r) + '  ' + cells[i].map(pad).join('  ')));
  return lines.join('\n');
}

/** Row-major flat dim×dim array → nested arrays. */
export function nest2(m: ArrayLike<number>, n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => m[i * n + j]));
}

/** Flat dim³ tensor → nested [a][b][c]. */
export function nest3(t: ArrayLike<number>, n: number): number[][][] {
  return Array.from({ length: n }, (_, a) => nest2(Array.from({ length: n * n }, (_, k) => t[a * n * n + k]), n));
}

/**
 * Numeric closures return NaN rather than throw (e.g. a quadrature that did not reach its tolerance):
 * the CLI turns that into a clear error instead of printing `null`.
 */
export function assertFinite<T extends ArrayLike<number> | number>(value: T, what: string, fam: LoadedFamily): T {
  const values = typeof value === 'number' ? [value] : Array.from(value as ArrayLike<number>);
  if (values.every((v) => Number.isFinite(v))) return value;
  const method = fam.compiled.methods[what] ?? 'numeric';
  const where = fam.compiled.lastFailure?.() ?? null;
  throw new ConvergenceError(
    `${what} of ${fam.spec.name} is not finite at this point (method: ${method}); ` +
      (where !== null
        ? `${where}.`
        : method.includes('quadrature')
          ? 'the quadrature did not reach its tolerance.'
          : 'the point may be too close to the boundary of the domain.'),
  );
}

/**
 * Common start of a verb that takes one family and `--at`: parses the flags (plus --at, --json, --help),
 * prints the help when asked (returns null), loads the family and checks the point.
 */
export function familyAtPoint(
  args: string[],
  io: CliIO,
  help: string,
  extraFlags: Readonly<Record<string, FlagKind>> = {},
): { p: ParsedArgs; fam: LoadedFamily; theta: Float64Array } | null {
  const p = parseFlags(args, { at: 'string', json: 'boolean', help: 'boolean', ...extraFlags });
  if (p.flags.help) {
    io.out(help + '\n');
    return null;
  }
  if (p.positional.length !== 1) throw new UsageError(`expected one family argument\n${help}`);
  const fam = loadCompiled(p.positional[0], io.cwd);
  return { p, fam, theta: pointOf(fam, requireString(p, 'at'), '--at') };
}

/**
 * For verbs without a parameter point (derive, compile): the normalisation guard at the first
 * default check point (real 0.3, positive 1.7, unit 0.35, halved until the constraints hold).
 */
export function guardDefaultPoint(derivation: Derivation): void {
  const spec = derivation.family;
  const table = { real: 0.3, positive: 1.7, unit: 0.35, circle: 0.3 } as const;
  const th = spec.params.map((q) => table[q.domain]);
  for (let k = 0; k < 20 && checkPoint(spec, th) !== null; k++) spec.params.forEach((q, i) => q.domain !== 'positive' && q.domain !== 'circle' && (th[i] *= 0.5));
  if (checkPoint(spec, th) !== null) return;
  const at = spec.params.map((q, i) => `${q.name}=${th[i]}`).join(', ');
  const problem = normalizationProblem(derivation, th, at);
  if (problem) throw new FamilyError([{ file: spec.file, message: problem }]);
}
