/**
 * The guards every verb runs at its parameter points (src/compile/guards.ts via src/cli/family.ts):
 * an unnormalised density, a non-identifiable density and a parameter-dependent support all exit 2
 * with a message naming the file and the measured quantity, from every verb; `check --at`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { main } from '../../../src/cli/main.js';
import { memoryIO } from '../../../src/cli/io.js';
import { formatDirection, singularMetricProblem } from '../../../src/compile/guards.js';

const ROOT = resolve(__dirname, '../../..');
const DIR = join(ROOT, 'test/.artifacts', `guards-${process.pid}`);
mkdirSync(DIR, { recursive: true });
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

function file(name: string, body: string): string {
  const path = join(DIR, `${name}.yaml`);
  writeFileSync(path, `name: ${name}\ntitle: ${name}\n${body}`);
  return path;
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO(ROOT);
  const code = await main(args, io);
  return { code, out: io.stdout, err: io.stderr };
}

const NOLOG = file(
  'logistic_nolog',
  'params:\n  - { name: mu, domain: real }\n  - { name: s, domain: positive }\nvariables: [x]\nsupport: real\nlogDensity: "-(x - mu)/s - 2*log1p(exp(-(x - mu)/s))"\n',
);
const SUM = file(
  'sumonly',
  'params:\n  - { name: mu1, domain: real }\n  - { name: mu2, domain: real }\nvariables: [x]\nsupport: real\nlogDensity: "-(x - mu1 - mu2)^2/2 - log(2*pi)/2"\n',
);
const PARETO = file(
  'pareto_positive',
  'params:\n  - { name: alpha, domain: positive }\n  - { name: xm, domain: positive }\nvariables: [x]\nsupport: positive\nlogDensity: "log(alpha) + alpha*log(xm) - (alpha + 1)*log(x)"\n',
);

describe('normalisation guard', () => {
  const verbs: string[][] = [
    ['fisher', NOLOG, '--at', 'mu=0.3,s=1.5'],
    ['christoffel', NOLOG, '--at', 'mu=0.3,s=1.5'],
    ['curvature', NOLOG, '--at', 'mu=0.3,s=1.5'],
    ['kl', NOLOG, '--from', 'mu=0.3,s=1.5', '--to', 'mu=0,s=1.5'],
    ['distance', NOLOG, '--from', 'mu=0.3,s=1.5', '--to', 'mu=0,s=1.5'],
    ['geodesic', NOLOG, '--from', 'mu=0.3,s=1.5', '--velocity', 'mu=1,s=0'],
  ];
  for (const args of verbs) {
    it(`${args[0]} on the logistic without −log s exits 2 with ∫p = 1.5 and the file`, async () => {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toContain(NOLOG);
      expect(r.err).toMatch(/integral of the density at mu=0\.3, s=1\.5 is 1\.5\d*, not 1/);
    });
  }

  it('catches the missing factor where it equals 1 (s = 1) at a nearby point', async () => {
    const r = await run(['fisher', NOLOG, '--at', 'mu=0.3,s=1']);
    expect(r.code).toBe(2);
    // s is moved by −0.618e-3 (the second coefficient of the fixed direction): ∫p = s there.
    expect(r.err).toMatch(/integral of the density is 1 at mu=0\.3, s=1 but 0\.99938\d* at the nearby point mu=0\.3003, s=0\.99938/);
  });

  it('explains a divergent integral (support depending on a parameter written as positive)', async () => {
    const r = await run(['fisher', PARETO, '--at', 'alpha=2,xm=1']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/diverges.*non-regular: Fisher geometry needs a parameter-free support/);
  });

  it('derive and compile check the default point', async () => {
    for (const verb of ['derive', 'compile']) {
      const r = await run([verb, NOLOG]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/integral of the density at mu=0\.3, s=1\.7 is 1\.(7|69)\d*, not 1/);
    }
  });

  it('check --at runs the self-checks at the given point only', async () => {
    const r = await run(['check', NOLOG, '--at', 'mu=0.3,s=1', '--json']);
    expect(r.code).toBe(2);
    const rep = JSON.parse(r.out) as { checks: { name: string; at: string; ok: boolean }[] };
    expect(new Set(rep.checks.map((c) => c.at))).toEqual(new Set(['mu=0.3, s=1']));
    expect(rep.checks.find((c) => c.name === 'normalization')!.ok).toBe(true);
    expect(rep.checks.find((c) => c.name === 'score mean zero')!.ok).toBe(false);
    const good = await run(['check', 'gamma', '--at', 'alpha=2,beta=3']);
    expect(good.code).toBe(0);
  });
});

describe('identifiability guard', () => {
  it('christoffel on a density of mu1 + mu2 only exits 2 naming mu1 − mu2', async () => {
    const r = await run(['christoffel', SUM, '--at', 'mu1=0.3,mu2=1']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('singular along mu1 − mu2');
  });

  it('names scaled and near-singular directions', () => {
    expect(formatDirection([0.5, -1, 0], ['a', 'b', 'c'])).toBe('0.5*a − b');
    expect(formatDirection([-2, 1], ['a', 'b'])).toBe('a − 0.5*b');
    const eps = 1e-12;
    // g = [[1, 1−ε], [1−ε, 1]]: eigenvalue ε along a − b.
    expect(singularMetricProblem([1, 1 - eps, 1 - eps, 1], ['a', 'b'], 'θ')).toMatch(/near-singular .* along a − b/);
    expect(singularMetricProblem([2, 0.3, 0.3, 1], ['a', 'b'], 'θ')).toBeNull();
    expect(singularMetricProblem([0, 0, 0, 1], ['a', 'b'], 'θ')).toMatch(/singular along a /);
  });
});
