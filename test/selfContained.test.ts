/**
 * The repository is self-contained: nothing in src/, docs/, test/, bench/ or README.md points outside it, and
 * docs/catalogue.md lists exactly the built-in families with their parameters in file order.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';

const ROOT = resolve(__dirname, '..');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (f === 'site' || f === 'node_modules' || f.startsWith('.')) return [];
    return statSync(p).isDirectory() ? walk(p) : /\.(ts|md|js|mjs|yaml|json|py)$/.test(f) ? [p] : [];
  });
}

describe('self-contained repository', () => {
  it('no file points at ../shared or a shared/ folder outside the repository', () => {
    const files = [...['src', 'docs', 'test', 'bench', 'scripts', 'bin'].flatMap((d) => walk(join(ROOT, d))), join(ROOT, 'README.md')];
    const hits = files.filter((f) => f !== __filename).filter((f) => /\.\.\/shared|\bshared\/[A-Z]/.test(readFileSync(f, 'utf8')));
    expect(hits.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('docs/catalogue.md lists every built-in family with its parameters in file order', () => {
    const md = readFileSync(join(ROOT, 'docs/catalogue.md'), 'utf8');
    const rows = [...md.matchAll(/^\| `(\w+)` \| ([^|]+) \|/gm)].map((m) => ({ name: m[1], params: m[2] }));
    const files = readdirSync(join(ROOT, 'families')).filter((f) => f.endsWith('.yaml')).sort();
    expect(rows.map((r) => r.name).sort()).toEqual(files.map((f) => f.slice(0, -5)));
    for (const f of files) {
      const spec = parse(readFileSync(join(ROOT, 'families', f), 'utf8')) as { name: string; params: { name: string; domain: string }[] };
      const row = rows.find((r) => r.name === spec.name)!;
      // parameter names appear in the row in the file's order
      const names = [...row.params.matchAll(/\b([a-z]\w*)\b(?= \(|,)/g)].map((m) => m[1]).filter((n) => spec.params.some((p) => p.name === n));
      expect(names, spec.name).toEqual(spec.params.map((p) => p.name));
    }
  });
});
