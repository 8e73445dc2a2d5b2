/**
 * Designs: the covariate points z_1 … z_N at which a model is observed, with weights (counts, or the
 * proportions of an approximate design). Text syntax (model files' `design:` field and `--design`):
 *
 *   n = 0..49                 integers 0, 1, …, 49
 *   x = 0..1:11               11 equally spaced points from 0 to 1
 *   x = 0.1, 0.5, 2           a list
 *   x = 0..1:3; t = 1, 2      several covariates: the Cartesian product (here 6 points)
 *   x = 0.2, 1; weights = 0.5, 0.5
 *
 * Every covariate of the model must be given; numbers are plain decimals. At most 1,000,000 points.
 */
import { UsageError } from '../core/errors.js';

export interface Design {
  readonly covariates: readonly string[];
  /** Number of points N. */
  readonly size: number;
  /** Row-major N × m (m = covariates.length). */
  readonly points: Float64Array;
  /** One weight per point (default 1: one observation each). */
  readonly weights: Float64Array;
}

export const MAX_DESIGN_POINTS = 1_000_000;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function num(s: string, what: string): number {
  const t = s.trim();
  if (!NUMBER.test(t)) throw new UsageError(`${what}: '${t.slice(0, 30)}' is not a decimal number`);
  return Number(t);
}

function values(spec: string, what: string): number[] {
  const s = spec.trim();
  const range = /^(.+?)\.\.(.+?)(?::(\d+))?$/.exec(s);
  if (range) {
    const a = num(range[1], what);
    const b = num(range[2], what);
    if (range[3] !== undefined) {
      const k = Number(range[3]);
      if (!(k >= 2 && k <= MAX_DESIGN_POINTS)) throw new UsageError(`${what}: the number of points after ':' must be between 2 and ${MAX_DESIGN_POINTS}`);
      return Array.from({ length: k }, (_, i) => a + ((b - a) * i) / (k - 1));
    }
    if (!Number.isInteger(a) || !Number.isInteger(b) || b < a) throw new UsageError(`${what}: a range a..b needs integers a ≤ b (or a..b:k for k equally spaced points)`);
    if (b - a + 1 > MAX_DESIGN_POINTS) throw new UsageError(`${what}: more than ${MAX_DESIGN_POINTS} points`);
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  }
  const list = s.split(',').map((x) => num(x, what));
  if (list.length === 0) throw new UsageError(`${what}: no values`);
  return list;
}

/** Parses the design syntax above for the given covariates. */
export function parseDesign(text: string, covariates: readonly string[]): Design {
  const given = new Map<string, number[]>();
  let weights: number[] | null = null;
  for (const part of text.split(';').map((s) => s.trim()).filter((s) => s !== '')) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new UsageError(`design item '${part.slice(0, 40)}' must be name = values`);
    const name = part.slice(0, eq).trim();
    const spec = part.slice(eq + 1);
    if (name === 'weights') {
      weights = values(spec, 'design weights');
      if (weights.some((w) => !(w >= 0))) throw new UsageError('design weights must be non-negative');
      continue;
    }
    if (!covariates.includes(name)) throw new UsageError(`design names '${name.slice(0, 30)}', which is not a covariate (covariates: ${covariates.join(', ')})`);
    if (given.has(name)) throw new UsageError(`design gives '${name}' twice`);
    given.set(name, values(spec, `design ${name}`));
  }
  const missing = covariates.filter((c) => !given.has(c));
  if (missing.length) throw new UsageError(`design is missing the covariate(s) ${missing.join(', ')}`);
  const axes = covariates.map((c) => given.get(c)!);
  const size = axes.reduce((n, a) => n * a.length, 1);
  if (size > MAX_DESIGN_POINTS) throw new UsageError(`design has ${size} points (at most ${MAX_DESIGN_POINTS})`);
  const m = covariates.length;
  const points = new Float64Array(size * m);
  for (let i = 0; i < size; i++) {
    let r = i;
    for (let j = m - 1; j >= 0; j--) {
      const a = axes[j];
      points[i * m + j] = a[r % a.length];
      r = Math.floor(r / a.length);
    }
  }
  if (weights && weights.length !== size) throw new UsageError(`design has ${size} points but ${weights.length} weights`);
  if (weights && !(weights.reduce((s, w) => s + w, 0) > 0)) throw new UsageError('design weights must have a positive sum');
  return { covariates, size, points, weights: weights ? Float64Array.from(weights) : new Float64Array(size).fill(1) };
}

/** A design from explicit rows and weights (checked). */
export function designOf(covariates: readonly string[], rows: readonly (readonly number[])[], weights?: readonly number[]): Design {
  const m = covariates.length;
  const points = new Float64Array(rows.length * m);
  rows.forEach((r, i) => {
    if (r.length !== m || r.some((v) => !Number.isFinite(v))) throw new UsageError(`design point ${i + 1} must have ${m} finite coordinates`);
    points.set(r, i * m);
  });
  const w = weights ? Float64Array.from(weights) : new Float64Array(rows.length).fill(1);
  if (w.length !== rows.length || w.some((v) => !(v >= 0))) throw new UsageError('design weights must be non-negative, one per point');
  return { covariates, size: rows.length, points, weights: w };
}
