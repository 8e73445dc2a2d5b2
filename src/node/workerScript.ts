/**
 * The script a worker thread runs for an entry module beside the caller: the compiled `.js` file
 * itself, or, when running from TypeScript sources (tests, `node bin/run-ts.js`), a small ESM module
 * that registers tsx's public ESM hook in the worker and then imports the `.ts` entry.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Whether the module at `moduleUrl` runs from TypeScript sources. */
export function runsFromSources(moduleUrl: string): boolean {
  return /\.ts$/.test(new URL(moduleUrl).pathname);
}

/** URL for `new Worker(…)` that runs `entry` (a `.js` file, or a `.ts` file through tsx). */
export function workerScript(entry: URL): URL {
  if (!entry.pathname.endsWith('.ts')) return entry;
  const req = createRequire(import.meta.url);
  const pkgFile = req.resolve('tsx/package.json');
  const apiPath = (req('tsx/package.json') as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api'].import.default;
  const api = pathToFileURL(join(dirname(pkgFile), apiPath)).href;
  const code = `import { register } from ${JSON.stringify(api)};\nregister();\nawait import(${JSON.stringify(entry.href)});\n`;
  return new URL('data:text/javascript,' + encodeURIComponent(code));
}
