/** `sampler: {transform: "..."}`: an expression of θ, u ~ U(0,1) and z ~ N(0,1), whitelisted like any other. */
import { describe, expect, it } from 'vitest';
import { FamilyError } from '../../src/core/errors.js';
import { evaluate } from '../../src/core/evaluate.js';
import { parseFamily } from '../../src/declare/parseFamily.js';

const BASE = `name: gumbel
title: Gumbel
params:
  - { name: mu, domain: real }
  - { name: beta, domain: positive }
variables: [x]
support: real
logDensity: "-log(beta) - (x - mu)/beta - exp(-(x - mu)/beta)"
`;

function problems(text: string): string {
  try {
    parseFamily(text, '/tmp/f.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(FamilyError);
    return (e as Error).message;
  }
  return '';
}

describe('sampler.transform', () => {
  it('parses an expression in θ, u and z', () => {
    const s = parseFamily(BASE + 'sampler: { transform: "mu - beta*log(-log(u)) + 0*z" }\n', '/tmp/f.yaml');
    expect(s.sampler?.method).toBe('transform');
    expect(s.sampler?.args).toEqual([]);
    expect(evaluate(s.sampler!.transform!, { mu: 1, beta: 2, u: Math.exp(-1), z: 0 })).toBeCloseTo(1, 15);
  });

  it('rejects the data variable, unknown names and functions, and extra keys', () => {
    expect(problems(BASE + 'sampler: { transform: "x*u" }\n')).toMatch(/sampler\.transform\).*must not depend on the data variable "x"/);
    expect(problems(BASE + 'sampler: { transform: "mu + w" }\n')).toMatch(/sampler\.transform\).*unknown symbol "w"/);
    expect(problems(BASE + 'sampler: { transform: "evaluate(u)" }\n')).toMatch(/unknown function "evaluate"/);
    expect(problems(BASE + 'sampler: { transform: "u", method: normal }\n')).toMatch(/unknown field "method"/);
  });

  it('reports a declared name u or z that would shadow a random input', () => {
    const text = BASE.replace('{ name: mu, domain: real }', '{ name: u, domain: real }').replace(/mu/g, 'u') + 'sampler: { transform: "u" }\n';
    expect(problems(text)).toMatch(/"u" is a random input of a transform sampler/);
  });
});

describe('support {interval: [lo, hi]}', () => {
  it('maps the three constant intervals to real, positive and unit', () => {
    const kinds = [['[-inf, inf]', 'real'], ['[0, .inf]', 'positive'], ['[0, 1]', 'unit']].map(([iv]) =>
      parseFamily(BASE.replace('support: real', `support: { interval: ${iv} }`), '/tmp/f.yaml').support.kind,
    );
    expect(kinds).toEqual(['real', 'positive', 'unit']);
  });

  it('rejects other constant intervals and explains a parameter-dependent bound', () => {
    expect(problems(BASE.replace('support: real', 'support: { interval: [1, 2] }'))).toMatch(/interval \[1, 2\] is not supported/);
    expect(problems(BASE.replace('support: real', 'support: { interval: [mu, inf] }'))).toMatch(
      /support\.interval\).*"mu" depends on the parameter mu: the family is non-regular/,
    );
  });
});
