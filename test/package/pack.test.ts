/**
 * The package as a user gets it: builds dist/ (skipped when up to date), packs the tarball, installs it into an
 * empty temporary folder with npm, then, from that folder and with plain Node (no tsx, no repository on the
 * module path):
 *  - an ESM script imports the public API and gets gamma's Fisher metric (checked against ψ₁(5/2) = π²/2 − 40/9,
 *    −1/β and α/β², not against infogeo's own numbers);
 *  - `infogeo/browser` imports and declares a family from a YAML string;
 *  - a consumer .ts file type-checks with `tsc --strict` against the shipped .d.ts;
 *  - the installed `infogeo` command runs (`--version`, `fisher --json`, `list`, `crb` with 2 worker threads,
 *    which must run the built JS since tsx is not installed);
 *  - every ```js block of README.md runs, and prints the ```text block that follows it when there is one;
 * and the tarball holds dist/, bin/, families/ and docs but no tests, benchmarks, sources or build scripts, and
 * package.json lists no tsx, nerdamer(-prime) or data-set package among the runtime dependencies.
 * Needs npm and the packages of the lock file in npm's cache (as after `npm ci`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

let dir = '';
let app = '';
let files: string[] = [];

function node(args: string[], cwd = app) {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'pipe' });
  dir = mkdtempSync(join(tmpdir(), 'infogeo-pack-'));
  const packed = JSON.parse(
    execFileSync(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' }),
  ) as { filename: string; files: { path: string }[] }[];
  files = packed[0].files.map((f) => f.path);
  app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  execFileSync(NPM, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', join(dir, packed[0].filename)], {
    cwd: app,
    stdio: 'pipe',
  });
}, 240_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('packed and installed package', () => {
  it('the tarball holds the built package and no tests, benchmarks, sources or build scripts', () => {
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('dist/browser/infogeo.js');
    expect(files).toContain('dist/cli/main.js');
    expect(files).toContain('dist/solve/crb/crbWorker.js');
    expect(files).toContain('dist/solve/crb/crbWorker.bundle.js');
    expect(files).toContain('bin/infogeo.js');
    expect(files).toContain('families/gamma.yaml');
    expect(files).toContain('README.md');
    expect(files).toContain('LICENSE');
    const bad = files.filter((f) => /^(test|bench|src|scripts)\//.test(f) || /\.(test|bench)\.[jt]s$/.test(f) || f.startsWith('bin/infogeo-dev') || f.startsWith('bin/run-ts'));
    expect(bad).toEqual([]);
  });

  it('runtime dependencies are only what the CLI and the API load', () => {
    expect(Object.keys(PKG.dependencies).sort()).toEqual(['katex', 'mathjs']);
  });

  it('plain Node imports the public API and gets the Fisher metric of gamma', () => {
    writeFileSync(
      join(app, 'fisher.mjs'),
      `import { loadFamily, deriveFamily, compileFamily, listFamilies, softmax } from 'infogeo';
const gamma = compileFamily(deriveFamily(loadFamily('gamma')));
console.log(JSON.stringify({ g: Array.from(gamma.fisher([2.5, 0.7])), n: listFamilies().length, simd: softmax.bestWasmVariant() }));`,
    );
    const r = node(['fisher.mjs']);
    expect(r.err).toBe('');
    const { g, n, simd } = JSON.parse(r.out) as { g: number[]; n: number; simd: string };
    // The Node entry turns on relaxed SIMD (fused multiply-add) for the softmax kernels.
    expect(simd).toBe('relaxed');
    expect(g[0]).toBeCloseTo(Math.PI ** 2 / 2 - 40 / 9, 13); // ψ₁(5/2)
    expect(g[1]).toBeCloseTo(-1 / 0.7, 13);
    expect(g[2]).toBeCloseTo(-1 / 0.7, 13);
    expect(g[3]).toBeCloseTo(2.5 / 0.49, 12);
    expect(n).toBeGreaterThanOrEqual(20);
  });

  it('infogeo/browser declares a family from a YAML string (no file system)', () => {
    writeFileSync(
      join(app, 'browser.mjs'),
      `import { declareFamily, deriveFamily, compileFamily } from 'infogeo/browser';
const spec = declareFamily(\`name: expo
title: Exponential (rate lam)
params:
  - { name: lam, domain: positive }
variables: [x]
support: positive
logDensity: "log(lam) - lam*x"
\`);
console.log(compileFamily(deriveFamily(spec)).fisher([4])[0]);`,
    );
    const r = node(['browser.mjs']);
    expect(r.err).toBe('');
    expect(Number(r.out)).toBeCloseTo(1 / 16, 14);
  });

  it('a consumer .ts file type-checks with tsc --strict against the shipped types', () => {
    writeFileSync(
      join(app, 'consumer.ts'),
      `import { loadFamily, deriveFamily, compileFamily, distance, type CompiledFamily, type FamilySpec } from 'infogeo';
import { declareFamily } from 'infogeo/browser';
const spec: FamilySpec = loadFamily('gamma');
const fam: CompiledFamily = compileFamily(deriveFamily(spec));
const g: Float64Array = fam.fisher([2.5, 0.7]);
const d: number = distance(fam, [1, 1], [2, 1]).value;
const names: readonly string[] = declareFamily('name: x').params.map((p) => p.name);
// @ts-expect-error: fisher takes a point, not a string
fam.fisher('2.5');
export { g, d, names };
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', types: [] }, files: ['consumer.ts'] }),
    );
    const r = node([join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', app]);
    expect(r.out + r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('the installed infogeo command runs outside the repository', () => {
    const bin = join(app, 'node_modules/infogeo/bin/infogeo.js');
    expect(node([bin, '--version']).out).toBe(`infogeo ${PKG.version}\n`);
    const r = node([bin, 'fisher', 'gamma', '--at', 'alpha=2.5,beta=0.7', '--json']);
    expect(r.err).toBe('');
    const out = JSON.parse(r.out) as { fisher: number[][] };
    expect(out.fisher[1][1]).toBeCloseTo(2.5 / 0.49, 12);
    expect(node([bin, 'list']).out).toMatch(/^gamma +alpha:positive, beta:positive$/m);
    // worker threads of the installed package run its built JS (tsx is not installed in this folder)
    const c = node([bin, 'crb', 'gamma', '--at', 'alpha=2,beta=1.5', '--n', '50', '--trials', '200', '--seed', '1', '--workers', '2', '--force-workers', '--json']);
    expect(c.err).toBe('');
    expect(c.code).toBe(0);
    expect(existsSync(join(app, 'node_modules/tsx'))).toBe(false);
    // the bundled worker entry gives the in-process numbers bit for bit
    const c1 = node([bin, 'crb', 'gamma', '--at', 'alpha=2,beta=1.5', '--n', '50', '--trials', '200', '--seed', '1', '--workers', '1', '--json']);
    const strip = (s: string) => ({ ...(JSON.parse(s) as Record<string, unknown>), workers: null });
    expect(strip(c.out)).toEqual(strip(c1.out));
    const npx = spawnSync(NPM, ['exec', '--offline', '--', 'infogeo', 'fisher', 'normal', '--at', 'mu=0,sigma=2', '--json'], { cwd: app, encoding: 'utf8' });
    expect(npx.stderr).toBe('');
    expect((JSON.parse(npx.stdout) as { fisher: number[][] }).fisher).toEqual([[0.25, 0], [0, 0.5]]);
  });

  it("every ```js block of README.md runs against the installed package and prints the ```text block after it", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```\s*(?:```text\n([\s\S]*?)```)?/g)];
    expect(blocks.length).toBeGreaterThanOrEqual(1);
    blocks.forEach((b, k) => {
      writeFileSync(join(app, `readme-${k}.mjs`), b[1]);
      const r = node([`readme-${k}.mjs`]);
      expect(r.err, `README block ${k}`).toBe('');
      expect(r.code, `README block ${k}`).toBe(0);
      if (b[2] !== undefined) expect(r.out, `README block ${k}`).toBe(b[2]);
    });
  });
});
