/**
 * The delta method for a scalar function g(θ) of the parameters: if √n(θ̂ − θ) → N(0, F⁻¹) then
 * √n(g(θ̂) − g(θ)) → N(0, ∇gᵀ F⁻¹ ∇g), so the Cramér–Rao bound for unbiased estimators of g(θ)
 * from n observations is ∇g(θ)ᵀ (F(θ)⁻¹/n) ∇g(θ).
 *
 * g is an expression over the parameter names and family constants (e.g. `alpha/beta`), in the
 * same whitelisted language as family files; it is evaluated by the core interpreter. The gradient
 * is symbolic (the derive-stage differentiator, then the interpreter) when every function has a
 * rule, else a Richardson-extrapolated central difference (error O(h⁴), h relative to |θ_i|).
 */
import { parse } from '../../core/mathjs.js';
import type { MathNode } from 'mathjs';
import { compileInterpreted, type InterpretedFn } from '../../core/evaluate.js';
import { differentiate } from '../../derive/differentiate.js';

export interface ParamFunction {
  /** The expression as given. */
  readonly text: string;
  value(theta: ArrayLike<number>): number;
  /** ∇g(θ), in parameter order. */
  gradient(theta: ArrayLike<number>): Float64Array;
  /** 'symbolic' or 'central-differences'. */
  readonly gradientMethod: string;
}

/**
 * Parses `text` as a function of `paramNames` (and the named `constants`).
 * @throws Error when the text does not parse or uses an unknown name or function.
 * @example paramFunction('alpha/beta', ['alpha', 'beta']).value([2, 4]) // returns 0.5
 */
export function paramFunction(text: string, paramNames: readonly string[], constants: Readonly<Record<string, number>> = {}): ParamFunction {
  let node: MathNode;
  try {
    node = parse(text);
  } catch (e) {
    throw new Error(`cannot parse function "${text}": ${(e as Error).message}`);
  }
  const constNames = Object.keys(constants);
  const names = [...paramNames, ...constNames];
  const f = compileInterpreted(node, names);
  const d = paramNames.length;
  const buf = new Float64Array(names.length);
  constNames.forEach((c, i) => (buf[d + i] = constants[c]));
  const value = (theta: ArrayLike<number>): number => {
    for (let i = 0; i < d; i++) buf[i] = theta[i];
    return f(buf);
  };
  let partials: InterpretedFn[] | null = null;
  try {
    partials = paramNames.map((p) => compileInterpreted(differentiate(node, p), names));
  } catch {
    partials = null; // a function without a derivative rule: fall back to differences
  }
  const symbolic = (theta: ArrayLike<number>): Float64Array => {
    for (let i = 0; i < d; i++) buf[i] = theta[i];
    return Float64Array.from(partials!, (f) => f(buf));
  };
  const numeric = (theta: ArrayLike<number>): Float64Array => centralDifferenceGradient(value, theta);
  return partials
    ? { text, value, gradient: symbolic, gradientMethod: 'symbolic' }
    : { text, value, gradient: numeric, gradientMethod: 'central-differences' };
}

/** Richardson-extrapolated central-difference gradient (error O(h⁴), h = 10⁻³·max(|θ_i|, 10⁻³)). */
export function centralDifferenceGradient(f: (theta: ArrayLike<number>) => number, theta: ArrayLike<number>): Float64Array {
  const d = theta.length;
  const g = new Float64Array(d);
  const x = Float64Array.from(theta);
  const cd = (i: number, h: number) => {
    x[i] = theta[i] + h;
    const up = f(x);
    x[i] = theta[i] - h;
    const down = f(x);
    x[i] = theta[i];
    return (up - down) / (2 * h);
  };
  for (let i = 0; i < d; i++) {
    const h = 1e-3 * Math.max(Math.abs(theta[i]), 1e-3);
    g[i] = (4 * cd(i, h / 2) - cd(i, h)) / 3;
  }
  return g;
}

/** ∇gᵀ C ∇g for a row-major d×d matrix C (the delta-method variance when C is a covariance). */
export function deltaVariance(grad: ArrayLike<number>, cov: ArrayLike<number>, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) s += grad[i] * cov[i * d + j] * grad[j];
  return s;
}
