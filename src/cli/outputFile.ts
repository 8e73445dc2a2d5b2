/**
 * Output files of the CLI verbs (`derive --out`, `compile --out`, `crb --plot`, `softmax train --out`, `docs --out`):
 * checked before the work starts ({@link checkOutputFile}, {@link checkOutputDir}) and written atomically after it
 * has succeeded ({@link writeFileAtomic}, {@link writeDirAtomic}): a temporary file (or folder) in the same folder,
 * then a rename. An error at any point leaves no partial output and the old file, if any, untouched.
 * Every failure is a UsageError (exit 2) with the path and a short reason, never a stack trace.
 */
import { chmodSync, closeSync, fchmodSync, fsyncSync, lstatSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';

const REASONS: Record<string, string> = {
  ENOENT: 'the folder does not exist',
  ENOTDIR: 'a component of the path is not a folder',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many symbolic links',
  EXDEV: 'cannot rename across file systems',
  EBUSY: 'resource busy',
};

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code && Object.hasOwn(REASONS, code)) return REASONS[code];
  if (e instanceof UsageError) return e.message;
  return code ?? String((e as Error)?.message ?? e).split('\n')[0].slice(0, 120);
}

function statOrNull(path: string) {
  try {
    return statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * Where an output file really goes: the absolute path, following a symbolic link at the target so that the link is
 * kept and its target replaced. Throws a UsageError when the file cannot be an output file: its folder is missing
 * or not a folder, or the target exists and is not a regular file (a directory, /dev/full, a FIFO …).
 * @param what how messages name the file, e.g. `--out` or `--plot`.
 * @param cwd folder that a relative `path` is relative to.
 */
export function checkOutputFile(path: string, what: string, cwd = process.cwd()): string {
  const abs = resolve(cwd, path);
  try {
    if (path === '' || /[\\/]$/.test(path) || /(^|[\\/])\.\.?$/.test(path)) throw new UsageError('a file name is needed, not a folder');
    const st = statOrNull(abs);
    if (st) {
      if (st.isDirectory()) throw new UsageError('it is a directory');
      if (!st.isFile()) throw new UsageError('it exists and is not a regular file (a device, FIFO or socket)');
      return realpathSync(abs);
    }
    // A dangling symbolic link: refuse (renaming over it would silently write elsewhere than the user thinks).
    try {
      if (lstatSync(abs).isSymbolicLink()) throw new UsageError('it is a dangling symbolic link');
    } catch (e) {
      if (e instanceof UsageError) throw e;
    }
    const dir = statOrNull(dirname(abs));
    if (!dir) throw new UsageError(`the folder ${dirname(abs)} does not exist`);
    if (!dir.isDirectory()) throw new UsageError(`${dirname(abs)} is not a folder`);
    return abs;
  } catch (e) {
    throw new UsageError(`cannot write ${what} ${path}: ${reason(e)}`);
  }
}

/**
 * Writes `data` to `path` atomically: a temporary file in the same folder (created exclusively), flushed, then
 * renamed over the target. On any error the temporary file is removed and a UsageError names the path.
 * @returns the absolute path written.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, what = 'output file', cwd = process.cwd()): string {
  const target = checkOutputFile(path, what, cwd);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o666);
    // A replaced file keeps its permissions; a new one gets the default (0666 less the umask).
    const old = statOrNull(target);
    if (old) fchmodSync(fd, old.mode & 0o7777);
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
    return target;
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already failing: the first error is the one reported
      }
    }
    rmSync(tmp, { force: true });
    throw new UsageError(`cannot write ${what} ${path}: ${reason(e)}`);
  }
}

/**
 * Checks that `path` can become an output folder: it is a folder or does not exist yet, and its parent folder exists.
 * @returns the absolute path.
 */
export function checkOutputDir(path: string, what: string): string {
  const abs = resolve(path);
  try {
    const st = statOrNull(abs);
    if (st && !st.isDirectory()) throw new UsageError('it exists and is not a folder');
    const parent = statOrNull(dirname(abs));
    if (!parent) throw new UsageError(`the folder ${dirname(abs)} does not exist`);
    if (!parent.isDirectory()) throw new UsageError(`${dirname(abs)} is not a folder`);
    return st ? realpathSync(abs) : abs;
  } catch (e) {
    throw new UsageError(`cannot write ${what} ${path}: ${reason(e)}`);
  }
}

/**
 * Builds a folder atomically: `build` fills a fresh temporary folder next to `path`; only when it returns is the old
 * folder (if any) moved aside, the new one renamed into place and the old one removed. When `build` throws, the
 * temporary folder is removed and the error passes through unchanged (a file-system error becomes a UsageError).
 * @returns the absolute path of the folder.
 */
export function writeDirAtomic<T>(path: string, what: string, build: (dir: string) => T): { dir: string; result: T } {
  const target = checkOutputDir(path, what);
  const parent = dirname(target);
  // Not mkdtemp: its 0700 mode would end up on the published folder. mkdir gives 0777 less the umask.
  const tmp = join(parent, `.${basename(target)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
  try {
    mkdirSync(tmp);
    const old = statOrNull(target);
    if (old) chmodSync(tmp, old.mode & 0o7777);
  } catch (e) {
    throw new UsageError(`cannot write ${what} ${path}: ${reason(e)}`);
  }
  let result: T;
  try {
    result = build(tmp);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if ((e as NodeJS.ErrnoException)?.code && !(e instanceof UsageError)) throw new UsageError(`cannot write ${what} ${path}: ${reason(e)}`);
    throw e;
  }
  const old = `${tmp}.old`;
  let moved = false;
  try {
    if (statOrNull(target)) {
      renameSync(target, old);
      moved = true;
    }
    renameSync(tmp, target);
  } catch (e) {
    if (moved) {
      try {
        renameSync(old, target);
      } catch {
        // the old folder stays at `old`; the error below says what failed
      }
    }
    rmSync(tmp, { recursive: true, force: true });
    throw new UsageError(`cannot write ${what} ${path}: ${reason(e)}`);
  }
  if (moved) rmSync(old, { recursive: true, force: true });
  return { dir: target, result };
}
