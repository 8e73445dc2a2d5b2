/**
 * `infogeo compile <family|file.yaml> [--out file.ts] [--import-from specifier] [--json]`: a standalone
 * TypeScript module with the family's closed-form objects (see src/compile/emitModule.ts).
 * Without --out the module is printed. The special functions are imported from this package's
 * src/core/special.js, by a path relative to the output file unless --import-from overrides it.
 * --out writes to a temporary file in the same folder, then renames it (no partial file on error).
 */
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../core/errors.js';
import { emitModule } from '../../compile/emitModule.js';
import { loadFamily } from '../../node/loadFamily.js';
import { deriveFamily } from '../../derive/deriveFamily.js';
import { parseFlags } from '../args.js';
import { checkOutputFile, writeFileAtomic } from '../outputFile.js';
import type { CliIO } from '../io.js';
import { guardDefaultPoint } from '../family.js';

export const help = [
  'infogeo compile <family|file.yaml> [--out file.ts] [--import-from specifier] [--json]',
  '  Emits a standalone TypeScript module: logDensity, score, fisher, dFisher, christoffelFirst, christoffel,',
  '  amariChentsov, scalarCurvature and kl where closed forms exist, checkPoint; `omitted` lists the rest.',
  '  Special functions are imported from infogeo src/core/special.js (relative path, or --import-from).',
  '  --json prints {family, out, functions, omitted, importsSpecial} instead of a message.',
].join('\n');

const SPECIAL_FILE = fileURLToPath(new URL('../../core/special.js', import.meta.url));

/** Relative ESM specifier from a directory to a file (always starting with ./ or ../, `/` separators). */
function relativeSpecifier(fromDir: string, file: string): string {
  let r = relative(fromDir, file).split(sep).join('/');
  if (!r.startsWith('.')) r = './' + r;
  return r;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseFlags(args, { out: 'string', 'import-from': 'string', json: 'boolean', help: 'boolean' });
  if (p.flags.help) return io.out(help + '\n'), 0;
  if (p.positional.length !== 1) throw new UsageError(`expected one family argument\n${help}`);
  const out = p.flags.out as string | undefined;
  const target = out !== undefined ? resolve(io.cwd, out) : undefined;
  if (target && !target.endsWith('.ts')) throw new UsageError(`--out must name a .ts file, got '${out}'`);
  if (out !== undefined) checkOutputFile(out, '--out', io.cwd);
  const spec = loadFamily(p.positional[0], { cwd: io.cwd });
  const d = deriveFamily(spec);
  guardDefaultPoint(d);
  const specialModule = (p.flags['import-from'] as string | undefined) ?? relativeSpecifier(target ? dirname(target) : io.cwd, SPECIAL_FILE);
  const mod = emitModule(d, { specialModule });
  if (out !== undefined) writeFileAtomic(out, mod.code, '--out', io.cwd);
  else if (!p.flags.json) io.out(mod.code);
  if (p.flags.json) {
    io.out(JSON.stringify({ family: spec.name, out: target ?? null, functions: mod.functions, omitted: mod.omitted, importsSpecial: mod.importsSpecial, ...(target ? {} : { code: mod.code }) }) + '\n');
  } else if (target) {
    io.err(`wrote ${out}: ${mod.functions.join(', ')}${mod.omitted.length ? ` (omitted: ${mod.omitted.join('; ')})` : ''}\n`);
  }
  return 0;
}
