/**
 * Shared command-line parsing for verbs: flags, `name=value,...` parameter lists.
 * Every problem throws UsageError with a message that says what to type instead.
 */
import { UsageError } from '../core/errors.js';

export type FlagKind = 'string' | 'number' | 'boolean';

/** Plain decimal notation: optional sign, digits with an optional point, optional exponent (no 0x, 0b, _, Infinity, NaN). */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A number written in plain decimal notation, or null (hexadecimal `0x10`, binary `0b1`, `1_000`, `Infinity`, `NaN`,
 * an empty string and anything that overflows to ±Infinity are not numbers here).
 * @example parseDecimal('-1.5e3')  // -1500
 * @example parseDecimal('0x10')    // null
 */
export function parseDecimal(text: string): number | null {
  const t = text.trim();
  if (!DECIMAL.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

/** User input quoted in a usage message: at most 40 characters. */
export function quote(text: string): string {
  const cs = Array.from(text);
  return `'${cs.length > 40 ? cs.slice(0, 40).join('') + '…' : text}'`;
}

/**
 * An integer option in [min, max] (`v` is the flag value: a number, or undefined when the option is missing).
 * @example boundedInt(200, 'n', 1, 1e7)  // 200
 */
export function boundedInt(v: unknown, name: string, min: number, max: number): number {
  if (v === undefined) throw new UsageError(`missing required option --${name}`);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}${typeof v === 'number' && Number.isFinite(v) ? `, got ${v}` : ''}`);
  }
  return v;
}

/**
 * `--workers W`: a positive integer, at most the number of cores unless forced, and never above `hardCap`.
 * @example workerCount('2', 8, 64, false)  // 2
 */
export function workerCount(text: string, cores: number, hardCap: number, force: boolean): number {
  const w = parseDecimal(text);
  if (w === null || !Number.isInteger(w) || w < 1) throw new UsageError(`--workers must be a positive integer or 'auto', got ${quote(text)}`);
  if (w > hardCap) throw new UsageError(`--workers ${w} is above the hard limit of ${hardCap}`);
  if (w > cores && !force) throw new UsageError(`--workers ${w} is more than the ${cores} available core(s); add --force-workers to run that many anyway (at most ${hardCap})`);
  return w;
}

export interface ParsedArgs {
  positional: string[];
  /** Flag values by name (without leading dashes); booleans are true when present. */
  flags: Record<string, string | number | boolean>;
}

/**
 * Parses `--name value`, `--name=value` and boolean `--name` flags. Unknown flags are errors.
 * @example parseFlags(['gamma', '--at', 'alpha=1,beta=2', '--json'], { at: 'string', json: 'boolean' })
 * // returns { positional: ['gamma'], flags: { at: 'alpha=1,beta=2', json: true } }
 */
export function parseFlags(args: readonly string[], spec: Readonly<Record<string, FlagKind>>): ParsedArgs {
  const positional: string[] = [];
  const flags: Record<string, string | number | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--') || a === '--') {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    const kind = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (!kind) {
      const known = Object.keys(spec).map((k) => `--${k}`).join(', ');
      throw new UsageError(`unknown option --${Array.from(name).slice(0, 40).join('')} (known: ${known || 'none'})`);
    }
    if (kind === 'boolean') {
      if (eq >= 0) throw new UsageError(`option --${name} takes no value`);
      flags[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = a.slice(eq + 1);
    else {
      value = args[i + 1];
      i++;
    }
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`option --${name} needs a value`);
    if (kind === 'number') {
      const n = parseDecimal(value);
      if (n === null) throw new UsageError(`option --${name} needs a finite number in decimal notation (e.g. 12, -0.5, 1e-3), got ${quote(value)}`);
      flags[name] = n;
    } else flags[name] = value;
  }
  return { positional, flags };
}

/** The flag as a string, or a UsageError when it is required and missing. */
export function requireString(p: ParsedArgs, name: string): string {
  const v = p.flags[name];
  if (typeof v !== 'string') throw new UsageError(`missing required option --${name}`);
  return v;
}

/**
 * Parses `name=value,name=value` into a vector ordered like `paramNames`.
 * All names are required, each once; unknown names and non-finite numbers are errors.
 * @example parseParams('beta=0.7,alpha=2.5', ['alpha', 'beta'])  // returns Float64Array [2.5, 0.7]
 */
export function parseParams(text: string, paramNames: readonly string[], what = 'parameters'): Float64Array {
  const out = new Float64Array(paramNames.length);
  const seen = new Set<string>();
  const expected = paramNames.join(',');
  if (text.trim() === '') throw new UsageError(`empty ${what}; expected ${paramNames.map((n) => `${n}=<value>`).join(',')}`);
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new UsageError(`bad ${what} ${quote(part)}: expected name=value (names: ${expected})`);
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    const idx = paramNames.indexOf(name);
    if (idx < 0) throw new UsageError(`unknown parameter ${quote(name)} in ${what} (this family has: ${expected})`);
    if (seen.has(name)) throw new UsageError(`parameter '${name}' given twice in ${what}`);
    const v = parseDecimal(raw);
    if (v === null) throw new UsageError(`parameter '${name}' in ${what} must be a finite number in decimal notation (e.g. 2.5, -1e-3), got ${quote(raw)}`);
    seen.add(name);
    out[idx] = v;
  }
  const missing = paramNames.filter((n) => !seen.has(n));
  if (missing.length) throw new UsageError(`missing ${missing.join(', ')} in ${what} (expected ${expected})`);
  return out;
}

/** {name: value} object in parameter order, for JSON output. */
export function namedValues(names: readonly string[], values: ArrayLike<number>): Record<string, number> {
  const o: Record<string, number> = {};
  names.forEach((n, i) => (o[n] = values[i]));
  return o;
}

/**
 * `--rtol` (in (0, 1), optional) and `--integrator dop853|dopri5` (default dop853) of the geodesic verbs.
 */
export function integratorFlags(p: ParsedArgs): { rtol: number | undefined; method: 'dop853' | 'dopri5' } {
  const rtol = p.flags.rtol as number | undefined;
  if (rtol !== undefined && !(rtol > 0 && rtol < 1)) throw new UsageError('--rtol must be in (0, 1)');
  const method = (p.flags.integrator as string | undefined) ?? 'dop853';
  if (method !== 'dop853' && method !== 'dopri5') throw new UsageError(`--integrator must be dop853 (Dormand–Prince 8(5,3), default) or dopri5 (5(4)), got '${method}'`);
  return { rtol, method };
}
