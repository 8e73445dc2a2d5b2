#!/usr/bin/env node
/**
 * `npm run build` (also run by `prepare` after `npm ci`, and by `prepack`): builds dist/ from src/.
 *  1. tsc -p tsconfig.build.json: one JS file per source file, with .d.ts and source maps, same layout as src/
 *     (so worker entries such as dist/solve/crb/crbWorker.js sit next to the module that starts them).
 *  2. esbuild rebuilds the few files that import mathjs, yaml or @stdlib with those packages inlined (relative
 *     imports stay as they are): src/core/mathjs.ts keeps only the mathjs factories the parser needs (the
 *     `mathjs` package itself creates every mathjs function at load time, about 1 s), and yaml and the @stdlib
 *     special functions load as one file each instead of hundreds (≈ 0.3 s and 0.5 s on a busy machine).
 *  3. esbuild bundles src/browser.ts with all its dependencies into dist/browser/infogeo.js (one ESM file,
 *     no Node built-ins: the `infogeo/browser` export).
 *  4. the same for src/report/site/playgroundClient.ts into dist/browser/playground.js (a classic script: the
 *     docs site's playground page, which must work from file://).
 *  5. esbuild bundles the Cramér–Rao worker entry into dist/solve/crb/crbWorker.bundle.js (faster thread start).
 * The build is skipped when dist/.build-stamp holds the hash of the current inputs (`--force` rebuilds).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const require = createRequire(import.meta.url);

function walk(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

function inputsHash() {
  const h = createHash('sha256');
  const files = [...walk(join(root, 'src')), join(root, 'tsconfig.json'), join(root, 'tsconfig.build.json'), fileURLToPath(import.meta.url), join(root, 'package.json')];
  for (const f of files.sort()) h.update(relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex');
}

const stampFile = join(dist, '.build-stamp');
const hash = inputsHash();
const upToDate = () => !process.argv.includes('--force') && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash;
if (upToDate()) {
  process.stderr.write('build: dist/ is up to date\n');
  process.exit(0);
}

// One build at a time (test files that need dist/ may start builds concurrently): a lock directory, taken
// over when older than 5 minutes (a build killed half-way).
const lock = join(root, '.build-lock');
for (;;) {
  try {
    mkdirSync(lock);
    break;
  } catch {
    try {
      if (Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
}
process.on('exit', () => rmSync(lock, { recursive: true, force: true }));
if (upToDate()) {
  process.stderr.write('build: dist/ was built meanwhile\n');
  process.exit(0);
}

const t0 = Date.now();
rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });

const esbuild = await import('esbuild');
const srcDir = join(root, 'src');
/** Packages inlined into the Node build (loading them file by file costs most of the start-up). */
const VENDORED = /^(mathjs(\/number)?|yaml|@stdlib\/[\w-]+)$/;
// Each vendored package should be imported by one module only (src/core/mathjs.ts, yaml.ts, special.ts), or it
// is inlined once per importing module.
/** Keeps every import external except the vendored packages (and their own internal imports). */
const vendorOnly = {
  name: 'vendor-only',
  setup(b) {
    // @stdlib/math-base-special-polygamma logs through `debug` (only with DEBUG=… set): a no-op keeps Node
    // built-ins (tty, util, fs) out of the bundle.
    b.onResolve({ filter: /^debug$/ }, () => ({ path: 'debug', namespace: 'noop-debug' }));
    b.onLoad({ filter: /.*/, namespace: 'noop-debug' }, () => ({ contents: 'module.exports = () => () => {};', loader: 'js' }));
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const fromSrc = args.importer.startsWith(srcDir);
      if (fromSrc && args.path.startsWith('.')) return { path: args.path, external: true };
      if (fromSrc && !VENDORED.test(args.path)) return { path: args.path, external: true };
      return undefined;
    });
  },
};
/** esbuild metafiles, for the third-party licence file. */
const bundled = [];
const vendorUsers = walk(srcDir).filter((f) => f.endsWith('.ts') &&
  [...readFileSync(f, 'utf8').matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^'.][^']*)'/gm)].some((m) => VENDORED.test(m[1])));
const owners = new Map();
for (const f of vendorUsers) {
  for (const m of readFileSync(f, 'utf8').matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^'.][^']*)'/gm)) {
    const pkg = m[1].replace(/\/number$/, '');
    if (!VENDORED.test(m[1])) continue;
    if (owners.has(pkg) && owners.get(pkg) !== f) throw new Error(`build: ${pkg} is imported by ${relative(root, owners.get(pkg))} and ${relative(root, f)}: import it through the first (inlined once)`);
    owners.set(pkg, f);
  }
}
for (const f of vendorUsers) {
  await esbuild.build({
    entryPoints: [f],
    outfile: join(dist, relative(srcDir, f).replace(/\.ts$/, '.js')),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    sourcemap: true,
    allowOverwrite: true,
    plugins: [vendorOnly],
    metafile: true,
    logLevel: 'warning',
  }).then((r) => bundled.push(r.metafile));
}
process.stderr.write(`build: vendored ${VENDORED.source} into ${vendorUsers.map((f) => relative(srcDir, f)).join(', ')}\n`);
const browser = await esbuild.build({
  entryPoints: [join(root, 'src/browser.ts')],
  outfile: join(dist, 'browser/infogeo.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  sourcemap: true,
  legalComments: 'none',
  metafile: true,
  minify: true,
  logLevel: 'warning',
});
bundled.push(browser.metafile);
// The docs site's playground script: a classic script (IIFE), since Chromium refuses ES modules on file://.
const playground = await esbuild.build({
  entryPoints: [join(root, 'src/report/site/playgroundClient.ts')],
  outfile: join(dist, 'browser/playground.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});
bundled.push(playground.metafile);
// 5. The Cramér–Rao worker thread as one file (its modules and the @stdlib functions it needs): a pooled thread
// boots ≈ 20 ms of CPU faster than from the per-module files. familyModel.js (the whole family pipeline, only
// for families without portable code) stays a separate lazily imported module next to it.
const worker = await esbuild.build({
  entryPoints: [join(srcDir, 'solve/crb/crbWorker.ts')],
  outfile: join(dist, 'solve/crb/crbWorker.bundle.js'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  plugins: [
    {
      name: 'worker-bundle',
      setup(b) {
        b.onResolve({ filter: /^debug$/ }, () => ({ path: 'debug', namespace: 'noop-debug' }));
        b.onLoad({ filter: /.*/, namespace: 'noop-debug' }, () => ({ contents: 'module.exports = () => () => {};', loader: 'js' }));
        b.onResolve({ filter: /\/familyModel\.js$/ }, (args) => ({ path: args.path, external: true }));
      },
    },
  ],
});
bundled.push(worker.metafile);

// Licence texts of every third-party package inlined into dist/ (the bundles carry no licence comments).
const packages = new Map();
for (const meta of bundled) {
  for (const input of Object.keys(meta.inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) packages.set(m[1], true);
  }
}
const notices = [...packages.keys()].sort().map((dir) => {
  const abs = join(root, dir);
  const pkg = JSON.parse(readFileSync(join(abs, 'package.json'), 'utf8'));
  const licenceFile = readdirSync(abs).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  const text = licenceFile ? readFileSync(join(abs, licenceFile), 'utf8').trim() : `License: ${pkg.license}`;
  return `${pkg.name}@${pkg.version} (${pkg.license})\n\n${text}\n`;
});
writeFileSync(join(dist, 'THIRD_PARTY_LICENSES.txt'), `Third-party code bundled into dist/ by scripts/build.mjs\n\n${notices.join('\n' + '-'.repeat(72) + '\n\n')}`);
writeFileSync(stampFile, hash);
process.stderr.write(`build: dist/ in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
