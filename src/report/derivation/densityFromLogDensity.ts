/**
 * Display form of the density p = exp(l) from a log-density l, without simplification:
 * every term c·log(u) of l becomes the factor u^c (likewise c·lgamma(u) → Γ(u)^c and
 * c·logbesseli0(u) → I₀(u)^c, c·lognormcdf(u) → Φ(u)^c), the remaining terms stay in one exponential factor.
 * Exact whenever u > 0 on the support (true for log-densities).
 */
import type { MathNode, OperatorNode, FunctionNode } from 'mathjs';
import { nodes } from './nodes.js';

const LOG_LIKE: Record<string, string> = { log: '', lgamma: 'gamma', logbesseli0: 'besseli0', lognormcdf: 'normcdf', logbesselk0: 'besselk0', logbesselk1: 'besselk1' };

function terms(n: MathNode, neg: boolean, out: { neg: boolean; node: MathNode }[]): void {
  if (n.type === 'ParenthesisNode') return terms((n as unknown as { content: MathNode }).content, neg, out);
  if (n.type === 'OperatorNode') {
    const o = n as OperatorNode;
    if (o.fn === 'add') return o.args.forEach((a) => terms(a, neg, out));
    if (o.fn === 'subtract') {
      terms(o.args[0], neg, out);
      terms(o.args[1], !neg, out);
      return;
    }
    if (o.fn === 'unaryMinus') return terms(o.args[0], !neg, out);
  }
  out.push({ neg, node: n });
}

/** Splits a term into (log-like call, its coefficient) when it is a product/quotient with exactly one log-like factor. */
function logFactor(t: MathNode): { base: MathNode; coef: MathNode } | null {
  const factors: MathNode[] = [];
  const divisors: MathNode[] = [];
  const walk = (n: MathNode, den: boolean) => {
    if (n.type === 'ParenthesisNode') return walk((n as unknown as { content: MathNode }).content, den);
    if (n.type === 'OperatorNode') {
      const o = n as OperatorNode;
      if (o.fn === 'multiply') return o.args.forEach((a) => walk(a, den));
      if (o.fn === 'divide') {
        walk(o.args[0], den);
        walk(o.args[1], !den);
        return;
      }
    }
    (den ? divisors : factors).push(n);
  };
  walk(t, false);
  const isLog = (n: MathNode) => n.type === 'FunctionNode' && Object.hasOwn(LOG_LIKE, (n as FunctionNode).fn.name);
  const logs = factors.filter(isLog);
  if (logs.length !== 1 || divisors.some(isLog)) return null;
  const call = logs[0] as FunctionNode;
  const inner = call.args[0];
  const target = LOG_LIKE[call.fn.name];
  const base = target === '' ? inner : nodes.fn(target, inner);
  let coef = factors.filter((f) => f !== call).reduce((a, b) => nodes.mul(a, b), nodes.num(1));
  for (const d of divisors) coef = nodes.div(coef, d);
  return { base, coef };
}

/** c·(log a − log b) → c·log a − c·log b, when every term of the sum has a log-like factor (Weibull's (k−1)(ln x − ln λ)). */
function distribute(list: { neg: boolean; node: MathNode }[]): { neg: boolean; node: MathNode }[] {
  const out: { neg: boolean; node: MathNode }[] = [];
  for (const t of list) {
    const n = t.node;
    if (logFactor(n) === null && n.type === 'OperatorNode' && (n as OperatorNode).fn === 'multiply') {
      const args = (n as OperatorNode).args;
      const k = args.findIndex((a) => {
        const inner: { neg: boolean; node: MathNode }[] = [];
        terms(a, false, inner);
        return inner.length > 1 && inner.every((x) => logFactor(x.node) !== null);
      });
      if (k >= 0) {
        const inner: { neg: boolean; node: MathNode }[] = [];
        terms(args[k], t.neg, inner);
        const others = args.filter((_, i) => i !== k).reduce((a, b) => nodes.mul(a, b), nodes.num(1));
        for (const x of inner) out.push({ neg: x.neg, node: nodes.mul(others, x.node) });
        continue;
      }
    }
    out.push(t);
  }
  return out;
}

export function densityFromLogDensity(l: MathNode): MathNode {
  const list: { neg: boolean; node: MathNode }[] = [];
  terms(l, false, list);
  const factors: MathNode[] = [];
  const rest: MathNode[] = [];
  for (const t of distribute(list)) {
    const lf = logFactor(t.node);
    if (lf) factors.push(nodes.pow(lf.base, t.neg ? nodes.neg(lf.coef) : lf.coef));
    else rest.push(t.neg ? nodes.neg(t.node) : t.node);
  }
  if (rest.length) factors.push(nodes.fn('exp', nodes.sum(rest)));
  return factors.reduce((a, b) => nodes.mul(a, b), nodes.num(1));
}
