/** The shared atomic-output helper of the CLI (src/cli/outputFile.ts). */
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { checkOutputFile, writeDirAtomic, writeFileAtomic } from '../../src/cli/outputFile.js';

const DIR = mkdtempSync(join(tmpdir(), 'infogeo-out-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('did not throw');
}

describe('writeFileAtomic', () => {
  it('writes a new file and replaces an old one keeping its permissions, leaving no temporary file', () => {
    const p = join(DIR, 'a.txt');
    writeFileAtomic(p, 'one');
    expect(readFileSync(p, 'utf8')).toBe('one');
    chmodSync(p, 0o640);
    writeFileAtomic(p, 'two');
    expect(readFileSync(p, 'utf8')).toBe('two');
    expect(statSync(p).mode & 0o777).toBe(0o640);
    expect(readdirSync(DIR).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes through a symbolic link to a file (the link stays a link), and refuses a dangling link', () => {
    const target = join(DIR, 'real.txt');
    writeFileSync(target, 'old');
    symlinkSync(target, join(DIR, 'link.txt'));
    writeFileAtomic(join(DIR, 'link.txt'), 'new');
    expect(lstatSync(join(DIR, 'link.txt')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(DIR, 'link.txt'))).toBe(target);
    expect(readFileSync(target, 'utf8')).toBe('new');
    symlinkSync(join(DIR, 'nowhere.txt'), join(DIR, 'dangling.txt'));
    expect(thrown(() => writeFileAtomic(join(DIR, 'dangling.txt'), 'x')).message).toMatch(/dangling symbolic link/);
    expect(existsSync(join(DIR, 'nowhere.txt'))).toBe(false);
  });

  it('every refusal is a UsageError naming the path and the reason', () => {
    mkdirSync(join(DIR, 'd'));
    const cases: [string, RegExp][] = [
      [join(DIR, 'd'), /it is a directory/],
      [join(DIR, 'd') + '/', /a file name is needed/],
      [join(DIR, 'no', 'x'), /the folder .*no does not exist/],
      [join(DIR, 'a.txt', 'x'), /a component of the path is not a folder/],
      ['', /a file name is needed/],
    ];
    if (existsSync('/dev/null')) cases.push(['/dev/null', /not a regular file/]);
    for (const [p, re] of cases) {
      const e = thrown(() => checkOutputFile(p, '--out'));
      expect(e).toBeInstanceOf(UsageError);
      expect(e.message).toMatch(new RegExp(`^cannot write --out ${p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
      expect(e.message).toMatch(re);
    }
  });
});

describe('writeDirAtomic', () => {
  it('replaces a folder only when the build succeeded; a failed build leaves the old folder and no temporary one', () => {
    const site = join(DIR, 'site');
    mkdirSync(site);
    writeFileSync(join(site, 'old.html'), 'old');
    const boom = new Error('build failed');
    expect(thrown(() => writeDirAtomic(site, '--out', (dir) => {
      writeFileSync(join(dir, 'half.html'), 'half');
      throw boom;
    }))).toBe(boom);
    expect(readdirSync(site)).toEqual(['old.html']);
    expect(readdirSync(DIR).filter((f) => f.startsWith('.site'))).toEqual([]);
    // A file-system error inside the build becomes a UsageError.
    const e = thrown(() => writeDirAtomic(site, '--out', (dir) => writeFileSync(join(dir, 'no', 'x'), 'x')));
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toMatch(/cannot write --out .*site: the folder does not exist/);
    const { result } = writeDirAtomic(site, '--out', (dir) => {
      writeFileSync(join(dir, 'new.html'), 'new');
      return 7;
    });
    expect(result).toBe(7);
    expect(readdirSync(site)).toEqual(['new.html']);
    expect(statSync(site).mode & 0o777).not.toBe(0o700);
    expect(readdirSync(DIR).filter((f) => f.startsWith('.site'))).toEqual([]);
  });

  it('refuses an existing file as the folder, and a missing parent folder', () => {
    writeFileSync(join(DIR, 'plain'), 'x');
    expect(thrown(() => writeDirAtomic(join(DIR, 'plain'), '--out', () => 0)).message).toMatch(/it exists and is not a folder/);
    expect(thrown(() => writeDirAtomic(join(DIR, 'none', 'site'), '--out', () => 0)).message).toMatch(/the folder .*none does not exist/);
    expect(readFileSync(join(DIR, 'plain'), 'utf8')).toBe('x');
  });
});
