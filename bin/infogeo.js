#!/usr/bin/env node
// infogeo command-line entry: runs the built CLI (dist/cli/main.js, made by `npm run build`; in a clone,
// `npm ci` builds it through the `prepare` script). To run the TypeScript sources without building, use
// bin/infogeo-dev.js.
let mod;
try {
  mod = await import('../dist/cli/main.js');
} catch (e) {
  if (e?.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/cli/main.js')) {
    process.stderr.write('infogeo: dist/ is missing: run `npm run build` (or use bin/infogeo-dev.js to run the sources)\n');
    process.exit(1);
  }
  throw e;
}
process.exitCode = await mod.main(process.argv.slice(2));
