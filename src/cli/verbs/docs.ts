/**
 * `infogeo docs [--out dir] [--families dir] [--guides dir]`: builds the static documentation site
 * (index with catalogue and conventions, one page per family with its derivation and figures, one page per
 * docs/*.md guide; KaTeX rendered server-side with CSS and fonts copied, so it works offline), and a playground
 * page running the browser bundle (when dist/browser/playground.js exists, i.e. after `npm run build`).
 * A family that fails to load, derive or compile is listed on the index with its error and makes the exit code 1.
 */
import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../core/errors.js';
import { loadFamily } from '../../node/loadFamily.js';
import { deriveFamily } from '../../derive/deriveFamily.js';
import { compileFamily } from '../../compile/compileFamily.js';
import type { SiteFailure, SiteFamily } from '../../report/site/buildSite.js';
import { buildSite } from '../../node/writeSite.js';
import { readRegularFile } from '../../node/readRegularFile.js';
import { PLAYGROUND_SCRIPT } from '../../report/site/playground.js';
import { parseFlags } from '../args.js';
import { checkOutputDir, writeDirAtomic } from '../outputFile.js';
import type { CliIO } from '../io.js';

export const help = [
  'infogeo docs [--out docs/site] [--families families] [--guides docs]',
  '  Static documentation site: index (catalogue, conventions), one page per family (derivation, figures),',
  '  one page per Markdown guide, and a playground page (edit a family file, see its derivation, metric and',
  '  geodesics computed in the browser; needs `npm run build`). Works offline (KaTeX CSS and fonts copied).',
].join('\n');

const ROOT = resolve(fileURLToPath(new URL('../../../', import.meta.url)));

/** Whether `file` is a regular file (false when it does not exist). */
function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Whether `dir` is a folder (false when it does not exist). */
function isDir(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseFlags(args, { out: 'string', families: 'string', guides: 'string', help: 'boolean' });
  if (p.flags.help) return io.out(help + '\n'), 0;
  if (p.positional.length) throw new UsageError(`docs takes no positional arguments\n${help}`);
  const outDir = resolve(io.cwd, (p.flags.out as string | undefined) ?? 'docs/site');
  const famDir = p.flags.families ? resolve(io.cwd, p.flags.families as string) : join(ROOT, 'families');
  const guideDir = p.flags.guides ? resolve(io.cwd, p.flags.guides as string) : join(ROOT, 'docs');
  if (!isDir(famDir)) throw new UsageError(`families directory not found (or not a folder): ${famDir}`);
  if (p.flags.guides && !isDir(guideDir)) throw new UsageError(`guides directory not found (or not a folder): ${guideDir}`);
  checkOutputDir(outDir, '--out');
  const files = readdirSync(famDir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  const families: SiteFamily[] = [];
  const failures: SiteFailure[] = [];
  for (const f of files) {
    const name = basename(f).replace(/\.(ya?ml|json)$/, '');
    try {
      const derivation = deriveFamily(loadFamily(join(famDir, f), { cwd: io.cwd }));
      let compiled: SiteFamily['compiled'];
      try {
        compiled = compileFamily(derivation);
      } catch (e) {
        failures.push({ name, error: `compile: ${(e as Error).message}` });
      }
      families.push({ derivation, compiled });
    } catch (e) {
      failures.push({ name, error: (e as Error).message });
    }
  }
  const guides = isDir(guideDir)
    ? readdirSync(guideDir).filter((f) => f.endsWith('.md')).sort().map((f) => ({ name: f.slice(0, -3), markdown: readRegularFile(join(guideDir, f), 'guide') }))
    : [];
  // The playground runs the browser bundle built by `npm run build` (dist/browser/playground.js).
  const script = join(ROOT, 'dist/browser', PLAYGROUND_SCRIPT);
  const playgroundFamilies = files.filter((f) => f.endsWith('.yaml')).map((f) => ({ name: f.replace(/\.yaml$/, ''), text: readRegularFile(join(famDir, f), 'family file') }));
  const withPlayground = isFile(script);
  if (!withPlayground) io.err(`docs: no playground page: ${script} is missing (run \`npm run build\` first)\n`);
  // Built in a temporary folder next to --out and renamed into place only when complete; the figures
  // the guides embed (docs/figures/*.svg) are copied next to the guide pages.
  const figDir = join(guideDir, 'figures');
  const { result: res } = writeDirAtomic(outDir, '--out', (dir) => {
    const built = buildSite({
      outDir: dir,
      families,
      failures,
      guides,
      ...(withPlayground ? { playground: { families: playgroundFamilies }, extraFiles: new Map([[PLAYGROUND_SCRIPT, readFileSync(script)]]) } : {}),
    });
    if (isDir(figDir)) cpSync(figDir, join(dir, 'figures'), { recursive: true });
    return built;
  });
  io.err(`wrote ${res.pages.length} pages to ${outDir}\n`);
  for (const f of failures) io.err(`  ${f.name}: ${f.error.split('\n')[0]}\n`);
  return failures.length ? 1 : 0;
}
