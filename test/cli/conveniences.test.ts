/**
 * CLI conveniences: `--version`, `help <verb>`, one-line descriptions in the top-level usage, `list`.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

const ROOT = resolve(__dirname, '../..');

async function run(...argv: string[]) {
  const io = memoryIO(ROOT);
  const code = await main(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('CLI conveniences', () => {
  it('--version prints the version of package.json', async () => {
    const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await run(flag);
      expect(r.code).toBe(0);
      expect(r.out).toBe(`infogeo ${pkg.version}\n`);
    }
  });

  it('the usage gives every verb a one-line description, and every listed verb has its module in src/cli/verbs', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    const section = r.out.split('verbs:\n')[1].split('\n\n')[0].split('\n');
    const verbs = section.map((l) => /^  (\w+)/.exec(l)?.[1]);
    expect(verbs).toContain('fisher');
    expect(verbs).toContain('list');
    const files = new Set(readdirSync(resolve(ROOT, 'src/cli/verbs')).map((f) => f.replace(/\.ts$/, '')));
    section.forEach((line, k) => {
      expect(line, line).toMatch(/^  \w+ +\S.{10,}$/);
      expect(files.has(verbs[k]!), line).toBe(true);
    });
  });

  it('help <verb> prints the same text as <verb> --help; help <unknown> is a usage error', async () => {
    const a = await run('help', 'kl');
    const b = await run('kl', '--help');
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    expect(a.out.startsWith('infogeo kl ')).toBe(true);
    const bad = await run('help', 'nosuchverb');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("unknown verb 'nosuchverb'");
  });

  it('list shows every families/*.yaml with its title and parameters in order', async () => {
    const files = readdirSync(resolve(ROOT, 'families')).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();
    const r = await run('list', '--json');
    expect(r.code).toBe(0);
    const fams = (JSON.parse(r.out) as { families: { name: string; title: string; params: { name: string; domain: string }[] }[] }).families;
    expect(fams.map((f) => f.name)).toEqual(files);
    const gammaYaml = readFileSync(resolve(ROOT, 'families/gamma.yaml'), 'utf8');
    const gamma = fams.find((f) => f.name === 'gamma')!;
    expect(gammaYaml).toContain(`title: ${gamma.title}`);
    expect(gamma.params).toEqual([{ name: 'alpha', domain: 'positive' }, { name: 'beta', domain: 'positive' }]);
    const text = await run('list');
    expect(text.out).toMatch(/^gamma +alpha:positive, beta:positive\n +Gamma distribution/m);
  });
});
