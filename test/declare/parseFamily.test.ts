import { describe, expect, it } from 'vitest';
import { FamilyError } from '../../src/core/errors.js';
import { evaluate } from '../../src/core/evaluate.js';
import { defaultTex, parseFamily } from '../../src/declare/parseFamily.js';

const NORMAL = `name: nrm
title: Normal
params:
  - { name: mu, domain: real }
  - { name: sigma, domain: positive }
variables: [x]
support: real
logDensity: "-log(sigma) - (x - mu)^2/(2*sigma^2) - log(2*pi)/2"
`;

function problemsOf(text: string): { field?: string; line?: number; message: string }[] {
  try {
    parseFamily(text, '/t.yaml');
  } catch (err) {
    if (err instanceof FamilyError) return err.problems.map((p) => ({ field: p.field, line: p.line, message: p.message }));
    throw err;
  }
  return [];
}

describe('parseFamily builds a FamilySpec from YAML', () => {
  it('parses a minimal file with defaults (constants {}, no expfam, empty moments, base 0, default tex)', () => {
    const s = parseFamily(NORMAL, '/t.yaml');
    expect(s.name).toBe('nrm');
    expect(s.file).toBe('/t.yaml');
    expect(s.params).toEqual([
      { name: 'mu', domain: 'real', tex: '\\mu' },
      { name: 'sigma', domain: 'positive', tex: '\\sigma' },
    ]);
    expect(s.constants).toEqual({});
    expect(s.constraints).toEqual([]);
    expect(s.breakpoints).toEqual([]);
    expect(s.support).toEqual({ kind: 'real' });
    expect(s.expfam).toBeNull();
    expect(s.fisher).toBeNull();
    expect(s.sampler).toBeNull();
    expect(s.moments.size).toBe(0);
    expect(s.logDensityCases).toBeNull();
    const v = evaluate(s.logDensity, { mu: 0.3, sigma: 1.7, x: -1 });
    expect(v).toBeCloseTo(-Math.log(1.7) - 1.69 / (2 * 2.89) - Math.log(2 * Math.PI) / 2, 14);
  });

  it('defaults the expfam base measure to 0 and keeps constants as symbols', () => {
    const s = parseFamily(
      `name: bin
title: Binomial n
params: [{ name: p, domain: unit }]
constants: { n: 4 }
variables: [x]
support: { integers: [0, 4] }
logDensity: "lgamma(n + 1) - lgamma(x + 1) - lgamma(n - x + 1) + x*log(p) + (n - x)*log(1 - p)"
expfam: { eta: ["log(p/(1 - p))"], T: [x], A: "-n*log(1 - p)", ET: ["n*p"] }
`,
      '/b.yaml',
    );
    expect(s.constants).toEqual({ n: 4 });
    expect(s.support).toEqual({ kind: 'integers', lo: 0, hi: 4 });
    expect(s.expfam!.base.toString()).toBe('0');
    expect(evaluate(s.expfam!.A, { n: 4, p: 0.25 })).toBeCloseTo(-4 * Math.log(0.75), 15);
  });

  it('combines a per-outcome log-pmf into one Lagrange expression that matches every case exactly', () => {
    const s = parseFamily(
      `name: cat
title: Categorical on {-1, 0, 2, 5}
params: [{ name: a, domain: unit }, { name: b, domain: unit }, { name: c, domain: unit }]
constraints: ["1 - a - b - c"]
variables: [x]
support: { finite: [-1, 0, 2, 5] }
logDensity: { -1: "log(a)", 0: "log(b)", 2: "log(c)", 5: "log(1 - a - b - c)" }
`,
      '/c.yaml',
    );
    const th = { a: 0.1, b: 0.2, c: 0.3 };
    const ref: Record<number, number> = { [-1]: Math.log(0.1), 0: Math.log(0.2), 2: Math.log(0.3), 5: Math.log(0.4) };
    expect([...s.logDensityCases!.keys()]).toEqual([-1, 0, 2, 5]);
    for (const v of [-1, 0, 2, 5]) {
      expect(evaluate(s.logDensity, { ...th, x: v })).toBeCloseTo(ref[v], 13);
      expect(evaluate(s.logDensityCases!.get(v)!, { ...th, x: v })).toBeCloseTo(ref[v], 15);
    }
  });

  it('stores moments under canonical keys and checks the breakpoints, fisher and sampler blocks', () => {
    const s = parseFamily(
      `name: lap
title: Laplace
params: [{ name: mu, domain: real }, { name: b, domain: positive, tex: 'b' }]
variables: [x]
support: real
breakpoints: [mu]
logDensity: "-log(2*b) - abs(x - mu)/b"
moments: { "abs((x - mu))": "b" }
fisher: { matrix: [["1/b^2", "0"], ["0", "1/b^2"]], source: "textbook" }
sampler: { method: laplace, args: [mu, b] }
`,
      '/l.yaml',
    );
    expect([...s.moments.keys()]).toEqual(['abs(x - mu)']);
    expect(s.breakpoints.map(String)).toEqual(['mu']);
    expect(s.fisher!.matrix.map((r) => r.map((e) => evaluate(e, { b: 2 })))).toEqual([[0.25, 0], [0, 0.25]]);
    expect(s.sampler).toMatchObject({ kind: 'builtin', method: 'laplace' });
    expect(s.params[1].tex).toBe('b');
  });

  it('reports the expected name for built-in files', () => {
    expect(() => parseFamily(NORMAL, '/families/normal.yaml', { expectedName: 'normal' })).toThrow(
      /\/families\/normal.yaml:1:7 \(field name\): name "nrm" must equal the file's base name "normal"/,
    );
  });

  const bad: [string, string, string, RegExp][] = [
    ['support integers with lo > hi', 'support: real', 'support: { integers: [3, 1] }', /lo ≤ hi/],
    ['support finite with repeated values', 'support: real', 'support: { finite: [1, 1] }', /distinct/],
    ['support keyword needing values', 'support: real', 'support: finite', /needs values/],
    ['simplex with one variable', 'support: real', 'support: simplex', /simplex support needs at least two variables/],
    ['circle with two variables', 'variables: [x]\nsupport: real', 'variables: [x, y]\nsupport: circle', /takes a single data variable/],
    ['breakpoints on a discrete support', 'support: real', 'support: nonnegint\nbreakpoints: [mu]', /breakpoints are only meaningful/],
    ['a moment key without the data variable', 'support: real', 'support: real\nmoments: { "mu": "mu" }', /must be a feature of the data variable/],
    ['two spellings of the same moment key', 'support: real', 'support: real\nmoments: { "x^2": "1", "(x)^2": "1" }', /duplicate moment key "x \^ 2"/],
    ['a fisher matrix of the wrong size', 'support: real', 'support: real\nfisher: { matrix: [["1"]], source: "s" }', /must have 2 rows/],
    ['an empty fisher source', 'support: real', 'support: real\nfisher: { matrix: [["1", "0"], ["0", "1"]], source: " " }', /must cite a source/],
    ['a non-numeric constant', 'support: real', 'support: real\nconstants: { n: ten }', /constant must be a finite number/],
    ['a constant colliding with a parameter', 'support: real', 'support: real\nconstants: { mu: 1 }', /duplicate name "mu"/],
    ['a reserved JavaScript word as a name', 'variables: [x]', 'variables: [new]', /"new" is reserved/],
    ['a per-outcome map on a continuous support', 'logDensity: "-log(sigma) - (x - mu)^2/(2*sigma^2) - log(2*pi)/2"', 'logDensity: { 1: "mu*sigma" }', /needs a finite support/],
    ['an unknown field inside params', '{ name: mu, domain: real }', '{ name: mu, domain: real, domian: real }', /unknown field "domian"/],
    ['a non-map document', NORMAL, '- 1\n- 2\n', /must be a YAML map of fields/],
    ['several documents', NORMAL, `${NORMAL}---\n${NORMAL}`, /multiple documents|YAML/],
  ];
  for (const [what, from, to, pattern] of bad) {
    it(`rejects ${what}`, () => {
      const text = NORMAL.replace(from, to);
      expect(text).not.toBe(NORMAL);
      const ps = problemsOf(text);
      expect(ps.some((p) => pattern.test(p.message)), JSON.stringify(ps, null, 1)).toBe(true);
      expect(ps.every((p) => p.line !== undefined), JSON.stringify(ps, null, 1)).toBe(true);
    });
  }
});

describe('defaultTex', () => {
  it('maps Greek names to commands and trailing digits to subscripts', () => {
    expect(defaultTex('alpha')).toBe('\\alpha');
    expect(defaultTex('a1')).toBe('a_{1}');
    expect(defaultTex('s12')).toBe('s_{12}');
    expect(defaultTex('mu_2')).toBe('\\mu_{2}');
    expect(defaultTex('x')).toBe('x');
    expect(defaultTex('rate')).toBe('\\mathrm{rate}');
  });
});
