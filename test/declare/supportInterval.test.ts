/** `support: {interval: [lo, hi]}`: the constant intervals, and the non-regular-support message for a parameter bound. */
import { describe, expect, it } from 'vitest';
import { FamilyError } from '../../src/core/errors.js';
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
