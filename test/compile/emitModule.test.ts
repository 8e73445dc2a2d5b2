import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, rmSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { compileFamily } from '../../src/compile/compileFamily.js';
import { loadFamily } from '../../src/node/loadFamily.js';
import { deriveFamily } from '../../src/derive/deriveFamily.js';

const ROOT = resolve(__dirname, '../..');
const DIR = join(ROOT, 'test/.artifacts', `emit-${process.pid}`);
mkdirSync(DIR, { recursive: true });
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

const CASES: Record<string, { theta: number[]; x: number | number[]; to: number[] }> = {
  gamma: { theta: [2.3, 0.7], x: 1.4, to: [1.1, 2] },
  categorical3: { theta: [0.2, 0.5], x: 2, to: [0.4, 0.4] },
  mvnormal2: { theta: [0.3, -0.4, 1.7, 0.3, 1.2], x: [0.5, 1.5], to: [0, 0, 1, 0, 1] },
  weibull: { theta: [1.5, 2], x: 1.3, to: [1.2, 2.5] },
};

async function emit(name: string): Promise<string> {
  const file = join(DIR, `${name}.ts`);
  const io = memoryIO(ROOT);
  const code = await main(['compile', name, '--out', file, '--json'], io);
  expect(code, io.stderr).toBe(0);
  const info = JSON.parse(io.stdout);
  expect(info.out).toBe(file);
  return file;
}

describe('infogeo compile (emitted TypeScript module)', () => {
  const files: Record<string, string> = {};

  it('writes one module per family and nothing else (no temporary files left)', async () => {
    for (const name of Object.keys(CASES)) files[name] = await emit(name);
    expect(readdirSync(DIR).sort()).toEqual(Object.keys(CASES).map((n) => `${n}.ts`).sort());
    // Math-only family: no import at all.
    expect(readFileSync(files.weibull, 'utf8')).not.toMatch(/^import /m);
    expect(readFileSync(files.gamma, 'utf8')).toMatch(/^import \{ SPECIAL, psi2 \} from "\.\.\/\.\.\/\.\.\/src\/core\/special\.js";$/m);
  });

  it('type-checks under strict NodeNext settings', () => {
    const program = ts.createProgram(Object.values(files), {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      types: ['node'],
      lib: ['lib.es2022.d.ts'],
    });
    const diags = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(diags).toEqual([]);
  }, 60_000);

  it('imports and agrees with compileFamily numerically', async () => {
    for (const [name, cs] of Object.entries(CASES)) {
      const m = await import(pathToFileURL(files[name]).href);
      const c = compileFamily(deriveFamily(loadFamily(name)));
      const close = (a: ArrayLike<number>, b: ArrayLike<number>, what: string) => {
        expect(a.length, what).toBe(b.length);
        for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `${name} ${what}[${i}]`).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(b[i])));
      };
      expect(m.paramNames).toEqual(c.paramNames);
      expect(m.dim).toBe(c.dim);
      expect(m.logDensity(cs.x, cs.theta)).toBeCloseTo(c.logDensity(cs.x, cs.theta), 13);
      close(m.score(cs.x, cs.theta), c.score(cs.x, cs.theta), 'score');
      close(m.fisher(cs.theta), c.fisher(cs.theta), 'fisher');
      close(m.dFisher(cs.theta), c.dFisher(cs.theta), 'dFisher');
      close(m.christoffel(cs.theta), c.christoffel(cs.theta), 'christoffel');
      if (m.kl) expect(m.kl(cs.theta, cs.to)).toBeCloseTo(c.kl(cs.theta, cs.to), 12);
      else expect(m.omitted.join(' ')).toMatch(/kl/);
      if (m.scalarCurvature) expect(m.scalarCurvature(cs.theta)).toBeCloseTo(c.scalarCurvature(cs.theta), 10);
      expect(m.checkPoint(cs.theta)).toBeNull();
      const out = new Float64Array(c.dim * c.dim);
      expect(m.fisher(cs.theta, out)).toBe(out);
    }
    const cat = await import(pathToFileURL(files.categorical3).href);
    expect(cat.checkPoint([0.6, 0.5])).toMatch(/1 - p1 - p2/);
    expect(cat.checkPoint([1.2, 0.1])).toMatch(/p1/);
  });

  it('rejects a non-.ts output name without writing anything', async () => {
    const io = memoryIO(ROOT);
    expect(await main(['compile', 'normal', '--out', join(DIR, 'x.js')], io)).toBe(2);
    expect(existsSync(join(DIR, 'x.js'))).toBe(false);
  });
});
