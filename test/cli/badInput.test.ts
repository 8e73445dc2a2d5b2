/**
 * The CLI bad-input corpus: the real `main()` in-process on hostile family text, bad output targets, special files
 * as input, out-of-range sizes and non-decimal numbers. Every case: exit code 2, one clear message (no stack trace,
 * no echo of the input beyond a short excerpt) and no output file — not even a temporary one.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { FamilyError } from '../../src/core/errors.js';
import { loadFamily } from '../../src/node/loadFamily.js';
import type { FamilySpec } from '../../src/declare/types.js';
import { deriveFamily } from '../../src/derive/deriveFamily.js';
import { derivationDocument } from '../../src/report/derivation/derivationDocument.js';
import { renderLatexDocument } from '../../src/report/derivation/renderLatexDocument.js';

const DIR = mkdtempSync(join(tmpdir(), 'infogeo-bad-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

async function cli(args: string[]) {
  const io = memoryIO(DIR);
  const code = await main(args, io);
  return { code, out: io.stdout, err: io.stderr };
}

/** Exit 2, a one-line-per-problem message matching `pattern`, no stack trace, no internal error. */
function expectBad(r: { code: number; err: string; out: string }, pattern: RegExp) {
  expect(r.err, r.err).toMatch(pattern);
  expect(r.code, r.err).toBe(2);
  expect(r.err).not.toMatch(/internal error|\n\s+at .*\(|RangeError|TypeError/);
  expect(r.out).toBe('');
}

/** Files in DIR other than the fixtures written by the tests themselves: must be none (no output, no temp file). */
function strayFiles(keep: readonly string[]): string[] {
  return readdirSync(DIR).filter((f) => !keep.includes(f));
}

const NORMAL = (tex: string, extra = '') => `name: hostile
title: Hostile normal
params:
  - { name: mu, domain: real, tex: '${tex}' }
  - { name: sigma, domain: positive, tex: '\\sigma' }
variables: [x]
support: real
logDensity: '-log(sigma) - (x - mu)^2/(2*sigma^2) - log(2*pi)/2'
sampler: { method: normal, args: [mu, sigma] }
${extra}`;

describe('LaTeX/KaTeX safety of family text (derive)', () => {
  const files = ['input.yaml', 'katex.yaml', 'notes.yaml'];
  writeFileSync(join(DIR, 'input.yaml'), NORMAL('\\input{/etc/hostname}'));
  // U+1D6A4 (mathematical italic dotless i) passes the whitelist (a letter) but KaTeX cannot render it.
  writeFileSync(join(DIR, 'katex.yaml'), NORMAL('\u{1D6A4}'));
  writeFileSync(join(DIR, 'notes.yaml'), NORMAL('\\mu', 'notes: "Mean $\\\\immediate\\\\write18{id}$."\n'));

  for (const format of ['latex', 'html', 'json']) {
    it(`derive --format ${format} refuses a hostile params[].tex before writing anything`, async () => {
      const r = await cli(['derive', './input.yaml', '--format', format, '--out', `d.${format}`]);
      expectBad(r, /input\.yaml:4:\d+ \(field params\[0\]\.tex\): TeX macro \\input is not allowed/);
      expect(strayFiles(files)).toEqual([]);
    });
  }

  it('refuses TeX primitives in $…$ math of notes', async () => {
    const r = await cli(['derive', './notes.yaml', '--format', 'latex']);
    expectBad(r, /notes\.yaml:10:\d+ \(field notes\): in math .*\\immediate is not allowed/);
  });

  it('a KaTeX parse error of a family field is a family error naming file, line and field (not an internal error)', async () => {
    for (const format of ['html', 'latex']) {
      const r = await cli(['derive', './katex.yaml', '--format', format, '--out', 'k.html']);
      expectBad(r, /katex\.yaml:4:\d+ \(field params\[0\]\.tex\): KaTeX cannot render/);
    }
    expect(strayFiles(files)).toEqual([]);
  });

  it('pdflatex is never fed a dangerous macro: a FamilySpec built in code (bypassing parseFamily) is refused by the report stage', () => {
    const good = loadFamily('normal');
    for (const [field, spec] of [
      ['params[0].tex', { ...good, params: [{ ...good.params[0], tex: '\\input{/etc/passwd}' }, good.params[1]] }],
      ['title', { ...good, title: 'N $\\openout1=x$' }],
      ['notes', { ...good, notes: 'x $\\catcode`\\^^5c=12$' }],
      ['params[1].tex', { ...good, params: [good.params[0], { ...good.params[1], tex: '^^5cinput{x}' }] }],
    ] as [string, FamilySpec][]) {
      const d = deriveFamily(spec);
      let tex: string | undefined;
      let err: unknown;
      try {
        tex = renderLatexDocument(derivationDocument(d));
      } catch (e) {
        err = e;
      }
      expect(tex, field).toBeUndefined();
      expect(err, field).toBeInstanceOf(FamilyError);
      expect((err as FamilyError).problems[0].field).toBe(field);
    }
  });

  it('a parameter symbol with a superscript is set as one atom: squares and primes do not double the superscript', async () => {
    writeFileSync(join(DIR, 'sup.yaml'), NORMAL('\\mu^{\\star}'));
    const r = await cli(['derive', './sup.yaml', '--format', 'html']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).not.toContain('katex-error');
    rmSync(join(DIR, 'sup.yaml'));
  });
});

describe('LaTeX/KaTeX safety of model-file text (derive <model>)', () => {
  const EX = join(__dirname, '../../examples/models');
  const model = (title: string, tex = 'A', notes = 'plain') => readFileSync(join(EX, 'dc-level.yaml'), 'utf8')
    .replace(/^title: .*$/m, `title: ${title}`)
    .replace('{ name: A, domain: real }', `{ name: A, domain: real, tex: '${tex}' }`)
    .replace(/^notes: .*$/m, `notes: "${notes}"`);

  it('math in a model title, notes or parameter symbol passes the same TeX whitelist', async () => {
    const cases: [string, RegExp][] = [
      [model('DC $\\input{/etc/passwd}$'), /\(field title\): in math .*\\input is not allowed/],
      [model('DC', 'A', 'x $\\\\openout1=y$'), /\(field notes\): in math .*\\openout is not allowed/],
      [model('DC', 'A^a^b'), /\(field params\[0\]\.tex\): double superscript/],
      [model('DC', '\u{1D6A4}'), /\(field params\[0\]\.tex\): KaTeX cannot render/],
    ];
    for (const [text, pattern] of cases) {
      writeFileSync(join(DIR, 'm.yaml'), text);
      const r = await cli(['derive', './m.yaml', '--format', 'latex', '--out', 'm.tex']);
      expectBad(r, pattern);
      expect(existsSync(join(DIR, 'm.tex'))).toBe(false);
    }
    rmSync(join(DIR, 'm.yaml'));
  });

  it('design --plot to a directory is refused before the optimisation', async () => {
    mkdirSync(join(DIR, 'ddir'));
    expectBad(await cli(['design', join(EX, 'michaelis-menten.yaml'), '--at', 'Vmax=3,K=2.5', '--region', 'x = 0..10', '--plot', 'ddir']), /cannot write --plot ddir: it is a directory/);
    rmSync(join(DIR, 'ddir'), { recursive: true });
  });
});

describe('output files: atomic, only after success, write errors are exit 2', () => {
  it('derive --out a directory, a missing folder, /dev/full, a file used as a folder', async () => {
    mkdirSync(join(DIR, 'adir'));
    writeFileSync(join(DIR, 'afile'), 'keep');
    const cases: [string, RegExp][] = [
      ['adir', /cannot write --out .*adir: it is a directory/],
      ['missing/x.tex', /cannot write --out .*missing\/x\.tex: the folder .*missing does not exist/],
      ['afile/x.tex', /cannot write --out .*afile\/x\.tex: a component of the path is not a folder/],
      ['adir/', /cannot write --out adir\/: a file name is needed/],
      ['newdir/', /cannot write --out newdir\/: a file name is needed/],
      ['.', /cannot write --out \.: a file name is needed/],
    ];
    if (existsSync('/dev/full')) cases.push(['/dev/full', /cannot write --out \/dev\/full: it exists and is not a regular file/]);
    for (const [out, pattern] of cases) {
      const r = await cli(['derive', 'normal', '--out', out]);
      expectBad(r, pattern);
    }
    expect(readdirSync(join(DIR, 'adir'))).toEqual([]);
    expect(readFileSync(join(DIR, 'afile'), 'utf8')).toBe('keep');
    expect(strayFiles(['adir', 'afile', 'input.yaml', 'katex.yaml', 'notes.yaml'])).toEqual([]);
  });

  it('derive --out replaces an existing file atomically and leaves no temporary file', async () => {
    writeFileSync(join(DIR, 'old.tex'), 'old');
    const r = await cli(['derive', 'normal', '--out', 'old.tex']);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(join(DIR, 'old.tex'), 'utf8')).toMatch(/^\\documentclass/);
    expect(readdirSync(DIR).filter((f) => f.includes('.tmp'))).toEqual([]);
    rmSync(join(DIR, 'old.tex'));
  });

  it('compile --out to a directory or missing folder is exit 2 with no file', async () => {
    expectBad(await cli(['compile', 'normal', '--out', 'missing/n.ts']), /cannot write --out .*the folder .* does not exist/);
    mkdirSync(join(DIR, 'c.ts'));
    expectBad(await cli(['compile', 'normal', '--out', 'c.ts']), /cannot write --out .*c\.ts: it is a directory/);
    rmSync(join(DIR, 'c.ts'), { recursive: true });
  });

  it('crb --plot p.svg with an error (the removed --biased option; every trial failing) leaves no p.svg', async () => {
    const r = await cli(['crb', 'gamma', '--at', 'alpha=2,beta=1', '--n', '20', '--trials', '10', '--plot', 'p.svg', '--biased']);
    expectBad(r, /unknown option --biased/);
    expect(existsSync(join(DIR, 'p.svg'))).toBe(false);
    const f = await cli(['crb', 'gamma', '--at', 'alpha=1e-9,beta=1', '--n', '20', '--trials', '10', '--plot', 'p.svg']);
    expect(f.code).not.toBe(0);
    expect(f.err).toMatch(/10 of 10 trials failed/);
    expect(existsSync(join(DIR, 'p.svg'))).toBe(false);
  });

  it('crb --plot to a directory or a missing folder is refused before any trial runs', async () => {
    mkdirSync(join(DIR, 'plotdir'));
    expectBad(await cli(['crb', 'normal', '--at', 'mu=0,sigma=1', '--n', '20', '--trials', '10', '--plot', 'plotdir']), /cannot write --plot .*plotdir: it is a directory/);
    expectBad(await cli(['crb', 'normal', '--at', 'mu=0,sigma=1', '--n', '20', '--trials', '10', '--plot', 'nope/p.svg']), /the folder .*nope does not exist/);
    expect(readdirSync(join(DIR, 'plotdir'))).toEqual([]);
    rmSync(join(DIR, 'plotdir'), { recursive: true });
  });

  it('region --plot: a directory is refused before fitting; a 3-parameter family (exit 2) leaves no plot', async () => {
    writeFileSync(join(DIR, 'r.json'), JSON.stringify([0.1, -0.4, 1.3, 0.7, -1.2, 0.2, 0.9, -0.3]));
    mkdirSync(join(DIR, 'rdir'));
    expectBad(await cli(['region', 'normal', '--data', 'r.json', '--plot', 'rdir']), /cannot write --plot rdir: it is a directory/);
    expectBad(await cli(['region', 'normal', '--data', 'r.json', '--plot', 'nope/r.svg']), /the folder .*nope does not exist/);
    expectBad(await cli(['region', 'dirichlet3', '--data', 'r.json', '--plot', 'r.svg']), /2-parameter families/);
    expect(existsSync(join(DIR, 'r.svg'))).toBe(false);
    rmSync(join(DIR, 'rdir'), { recursive: true });
    rmSync(join(DIR, 'r.json'));
  });

  it('softmax train --out /dev/full, a directory or a missing folder is refused before training', async () => {
    mkdirSync(join(DIR, 'trdir'));
    const outs: [string, RegExp][] = [['trdir', /it is a directory/], ['nope/p.svg', /does not exist/]];
    if (existsSync('/dev/full')) outs.push(['/dev/full', /not a regular file/]);
    for (const [out, pattern] of outs) {
      expectBad(await cli(['softmax', 'train', '--dataset', 'iris', '--steps', '2', '--methods', 'sgd', '--out', out]), pattern);
    }
    rmSync(join(DIR, 'trdir'), { recursive: true });
  });

  it('docs --out an existing file is exit 2; a failing build leaves the old site untouched and no temporary folder', async () => {
    writeFileSync(join(DIR, 'site.txt'), 'keep');
    const fams = join(DIR, 'fams');
    mkdirSync(fams);
    writeFileSync(join(fams, 'normal.yaml'), readFileSync(loadFamily('normal').file, 'utf8'));
    mkdirSync(join(DIR, 'guides'));
    expectBad(await cli(['docs', '--out', 'site.txt', '--families', 'fams', '--guides', 'guides']), /cannot write --out .*site\.txt: it exists and is not a folder/);
    expect(readFileSync(join(DIR, 'site.txt'), 'utf8')).toBe('keep');
    expectBad(await cli(['docs', '--out', 'missing/site', '--families', 'fams', '--guides', 'guides']), /the folder .*missing does not exist/);
    // An old site, then a build that fails inside the report stage (KaTeX cannot render a parameter symbol).
    mkdirSync(join(DIR, 'site'));
    writeFileSync(join(DIR, 'site', 'index.html'), 'old site');
    writeFileSync(join(fams, 'katex.yaml'), NORMAL('\u{1D6A4}').replace('name: hostile', 'name: katex'));
    const r = await cli(['docs', '--out', 'site', '--families', 'fams', '--guides', 'guides']);
    expectBad(r, /katex\.yaml:4:\d+ \(field params\[0\]\.tex\): KaTeX cannot render/);
    expect(readdirSync(join(DIR, 'site'))).toEqual(['index.html']);
    expect(readFileSync(join(DIR, 'site', 'index.html'), 'utf8')).toBe('old site');
    expect(readdirSync(DIR).filter((f) => f.startsWith('.site'))).toEqual([]);
    rmSync(join(DIR, 'site'), { recursive: true });
    rmSync(fams, { recursive: true });
    rmSync(join(DIR, 'guides'), { recursive: true });
    rmSync(join(DIR, 'site.txt'));
  }, 60_000);
});

describe('resource limits and number syntax', () => {
  it('--n, --trials, --samples, --ns beyond their limits are usage errors, not typed-array RangeErrors', async () => {
    const at = ['--at', 'mu=0,sigma=1'];
    expectBad(await cli(['crb', 'normal', ...at, '--n', '1e15']), /--n must be an integer from 1 to 10000000, got 1000000000000000/);
    expectBad(await cli(['crb', 'normal', ...at, '--n', '2.5']), /--n must be an integer/);
    expectBad(await cli(['crb', 'normal', ...at, '--n', '10', '--trials', '1e9']), /--trials must be an integer from 1 to 1000000/);
    expectBad(await cli(['crb', 'normal', ...at, '--n', '10', '--plot', 'p.svg', '--ns', '10,1e12']), /--ns must be an integer/);
    expectBad(await cli(['crb', 'normal', ...at, '--n', '10', '--plot', 'p.svg', '--ns', '10,0x10']), /--ns must be an integer/);
    writeFileSync(join(DIR, 'case.json'), JSON.stringify({ W: [[0, 0], [0, 0]], b: [0, 0], X: [[1, 2], [3, 4]], y: [0, 1] }));
    const ng = ['softmax', 'natgrad', '--case', 'case.json', '--mode', 'sampled', '--damping', '0.1'];
    expectBad(await cli([...ng, '--samples', '1e12']), /--samples must be an integer from 1 to 100000/);
    expectBad(await cli([...ng, '--samples', '0']), /--samples must be an integer/);
    expect(existsSync(join(DIR, 'p.svg'))).toBe(false);
  });

  it('--workers: at most the available cores unless --force-workers, never above the hard cap', async () => {
    const base = ['crb', 'normal', '--at', 'mu=0,sigma=1', '--n', '10', '--trials', '10'];
    const cores = availableParallelism();
    expectBad(await cli([...base, '--workers', String(cores + 1)]), new RegExp(`--workers ${cores + 1} is more than the ${cores} available core\\(s\\); add --force-workers`));
    expectBad(await cli([...base, '--workers', '1000', '--force-workers']), /--workers 1000 is above the hard limit of 64/);
    for (const w of ['0', '-1', '1.5', '0x2', 'many', '']) expectBad(await cli([...base, '--workers', w]), /--workers must be a positive integer or 'auto'|needs a value/);
  });

  it('numbers in --at, --from, --to, --velocity, --t and numeric options accept plain decimal notation only', async () => {
    for (const v of ['0x10', '0b1', '0o7', 'Infinity', '-Infinity', 'NaN', '', ' ', '1_000', '1e999', '1,5', '2.5.1', '+-1', 'e5', '1e', '١']) {
      expectBad(await cli(['fisher', 'gamma', '--at', `alpha=${v},beta=1`]), /in decimal notation|expected name=value|must be a finite number|given twice|unknown parameter/);
    }
    expectBad(await cli(['kl', 'gamma', '--from', 'alpha=2,beta=1', '--to', 'alpha=0x2,beta=1']), /'alpha' in --to must be a finite number in decimal notation/);
    expectBad(await cli(['geodesic', 'normal', '--from', 'mu=0,sigma=1', '--velocity', 'mu=Infinity,sigma=0']), /'mu' in --velocity must be a finite number in decimal notation/);
    expectBad(await cli(['geodesic', 'normal', '--from', 'mu=0,sigma=1', '--velocity', 'mu=0,sigma=0', '--t', '0x1']), /option --t needs a finite number in decimal notation/);
    expectBad(await cli(['crb', 'normal', '--at', 'mu=0,sigma=1', '--n', '0x10']), /option --n needs a finite number in decimal notation/);
    // Accepted forms: sign, point, exponent.
    const ok = await cli(['fisher', 'gamma', '--at', 'alpha=+2.5e0,beta=.5', '--json']);
    expect(ok.code, ok.err).toBe(0);
    expect(JSON.parse(ok.out).at).toEqual([2.5, 0.5]);
  });

  it('CSV data with hexadecimal or other non-decimal numbers is refused', async () => {
    writeFileSync(join(DIR, 'hex.csv'), 'x\n1.5\n0x10\n');
    expectBad(await cli(['fit', 'normal', '--data', 'hex.csv']), /CSV row 2 \('0x10'\) is not numeric/);
  });
});

describe('input files: only regular files are read, messages quote only a short excerpt', () => {
  const mkfifo = (p: string) => {
    try {
      execFileSync('mkfifo', [p]);
      return true;
    } catch {
      return false;
    }
  };

  it('a FIFO, a directory, /dev/zero or a /proc file as data is exit 2 at once (no hang)', async () => {
    const hasFifo = mkfifo(join(DIR, 'data.fifo'));
    mkdirSync(join(DIR, 'data.d'));
    const cases: [string, RegExp][] = [['data.d', /a directory, not a regular file/], ['nothere.csv', /no such file/]];
    if (hasFifo) cases.push(['data.fifo', /a FIFO \(named pipe\), not a regular file/]);
    if (existsSync('/dev/zero')) cases.push(['/dev/zero', /a character device, not a regular file/]);
    if (existsSync('/proc/self/status')) cases.push(['/proc/self/status', /its content does not match its size.*not a regular file/]);
    for (const [data, pattern] of cases) expectBad(await cli(['fit', 'normal', '--data', data]), new RegExp(`cannot read data file .*: ${pattern.source}`));
    rmSync(join(DIR, 'data.d'), { recursive: true });
    rmSync(join(DIR, 'data.fifo'), { force: true });
  });

  it('a FIFO, a directory, /dev/zero or /proc/self/environ as the family (or the softmax case) is exit 2 at once', async () => {
    const hasFifo = mkfifo(join(DIR, 'fam.yaml'));
    mkdirSync(join(DIR, 'famdir.yaml'));
    const cases = ['./famdir.yaml'];
    if (hasFifo) cases.push('./fam.yaml');
    if (existsSync('/dev/zero')) cases.push('/dev/zero');
    if (existsSync('/proc/self/environ')) cases.push('/proc/self/environ');
    for (const f of cases) expectBad(await cli(['fisher', f, '--at', 'mu=0']), /cannot read family file .*not a regular file/);
    if (hasFifo) expectBad(await cli(['softmax', 'natgrad', '--case', 'fam.yaml', '--mode', 'exact', '--damping', '1']), /cannot read case file .*FIFO/);
    rmSync(join(DIR, 'famdir.yaml'), { recursive: true });
    rmSync(join(DIR, 'fam.yaml'), { force: true });
  });

  it('a non-family file given as the family is not echoed back (passwd-like text, a config map, a huge line)', async () => {
    const secret = 'S3CRET';
    const passwd = Array.from({ length: 40 }, (_, i) => `user${i}:x:${1000 + i}:${1000 + i}:${secret}${i}:/home/user${i}:/bin/sh`).join('\n');
    writeFileSync(join(DIR, 'passwd.yaml'), passwd);
    writeFileSync(join(DIR, 'config.yaml'), Array.from({ length: 200 }, (_, i) => `key${i}: ${secret}${i}`).join('\n'));
    writeFileSync(join(DIR, 'line.yaml'), `title: ${'x'.repeat(50_000)}${secret}\n`);
    for (const f of ['passwd.yaml', 'config.yaml', 'line.yaml']) {
      const r = await cli(['fisher', `./${f}`, '--at', 'mu=0']);
      expect(r.code, r.err).toBe(2);
      expect(r.err.length, r.err).toBeLessThan(1500);
      expect(r.err).not.toContain(`${secret}1`);
      expect(r.err).not.toContain('user1:');
    }
  });

  it('a long expression in an error message is quoted as a short excerpt', async () => {
    // 400 terms (≈ 4 KB) with a syntax error at the end: the parse error quotes the expression.
    const big = Array.from({ length: 400 }, (_, i) => `x*${i}`).join(' + ');
    writeFileSync(join(DIR, 'big.yaml'), NORMAL('\\mu').replace("logDensity: '", `logDensity: '${big} + ) + `));
    const r = await cli(['fisher', './big.yaml', '--at', 'mu=0,sigma=1']);
    expectBad(r, /big\.yaml:\d+:\d+ \(field logDensity\): cannot parse expression "x\*0 \+ x\*1 .{40,60}…"/);
    expect(r.err.length).toBeLessThan(800);
    expect(r.err).not.toContain('x*399');
  });

  it('a family file over 1 MiB, and --families/--guides that are not folders, are refused', async () => {
    writeFileSync(join(DIR, 'huge.yaml'), NORMAL('\\mu', `notes: "${'a'.repeat(2 * 1024 * 1024)}"\n`));
    expectBad(await cli(['fisher', './huge.yaml', '--at', 'mu=0,sigma=1']), /cannot read family file .*huge\.yaml: \d+ bytes, more than the limit of 1048576/);
    rmSync(join(DIR, 'huge.yaml'));
    writeFileSync(join(DIR, 'plain.txt'), 'x');
    expectBad(await cli(['docs', '--out', 'site', '--families', 'plain.txt']), /families directory not found \(or not a folder\)/);
    expectBad(await cli(['docs', '--out', 'site', '--guides', 'plain.txt']), /guides directory not found \(or not a folder\)/);
    rmSync(join(DIR, 'plain.txt'));
    expect(existsSync(join(DIR, 'site'))).toBe(false);
  });

  it('an unknown verb, option or parameter name of 10 000 characters is quoted as a short excerpt', async () => {
    const long = 'z'.repeat(10_000);
    const v = await cli([long]);
    expect(v.code).toBe(2);
    expect(v.err).toMatch(/unknown verb 'z{40}'/);
    expect(v.err.length).toBeLessThan(1000);
    const a = await cli(['fisher', 'gamma', `--${long}`, '1']);
    expectBad(a, /unknown option --z{40} /);
    const b = await cli(['fisher', 'gamma', '--at', `${long}=1`]);
    expectBad(b, /unknown parameter 'z{40}…'/);
    // --fn: the expression is quoted in the parse error, cut to a short excerpt.
    const c = await cli(['crb', 'normal', '--at', 'mu=0,sigma=1', '--n', '10', '--fn', `${'mu + '.repeat(2000)} )`]);
    expectBad(c, /--fn: .*"mu \+ mu \+ .{30,60}…"/);
    for (const r of [a, b, c]) expect(r.err.length).toBeLessThan(500);
  });
});
