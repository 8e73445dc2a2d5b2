import { describe, expect, it } from 'vitest';
import { checkPoint } from '../../src/declare/checkPoint.js';
import { loadFamily } from '../../src/node/loadFamily.js';

describe('checkPoint tests parameter domains and constraints', () => {
  it('accepts interior points', () => {
    expect(checkPoint(loadFamily('normal'), [-3, 0.1])).toBeNull();
    expect(checkPoint(loadFamily('categorical3'), [0.2, 0.3])).toBeNull();
    expect(checkPoint(loadFamily('mvnormal2'), [0, 0, 1, 0.9, 1])).toBeNull();
    expect(checkPoint(loadFamily('normal_logsigma'), [0, -5])).toBeNull();
  });

  it('names the parameter outside its domain', () => {
    expect(checkPoint(loadFamily('normal'), [0, 0])).toBe('sigma = 0 must be > 0');
    expect(checkPoint(loadFamily('normal'), [0, -1])).toBe('sigma = -1 must be > 0');
    expect(checkPoint(loadFamily('normal'), [NaN, 1])).toBe('mu = NaN is not a finite number');
    expect(checkPoint(loadFamily('normal'), [Infinity, 1])).toBe('mu = Infinity is not a finite number');
    expect(checkPoint(loadFamily('bernoulli'), [1])).toBe('p = 1 must lie in the open interval (0, 1)');
    expect(checkPoint(loadFamily('bernoulli'), [0])).toBe('p = 0 must lie in the open interval (0, 1)');
  });

  it('names the violated constraint with its value', () => {
    expect(checkPoint(loadFamily('categorical3'), [0.5, 0.6])).toMatch(/^constraint 1 - p1 - p2 > 0 is violated \(value -0\.09999/);
    expect(checkPoint(loadFamily('categorical3'), [0.5, 0.5])).toMatch(/^constraint 1 - p1 - p2 > 0 is violated \(value 0\)/);
    expect(checkPoint(loadFamily('mvnormal2'), [0, 0, 1, 1.5, 2])).toMatch(/^constraint s11 \* s22 - s12 \^ 2 > 0 is violated \(value -0\.25\)/);
  });

  it('checks the number of values', () => {
    expect(checkPoint(loadFamily('gamma'), [1])).toBe('expected 2 parameter value(s) (alpha, beta), got 1');
  });
});
