/**
 * Reads an input file (a family file, a data file, a case file) only when it is a regular file of bounded size.
 * Node-only, like loadFamily (src/node). The file is opened non-blocking and checked with fstat on the open descriptor, so a
 * FIFO, a socket, a directory or a device (/dev/zero, /dev/stdin of a terminal) is refused at once instead of
 * hanging or filling memory, and a file whose content does not match its size (/proc/self/environ reports size 0)
 * is refused too. Messages name the path and the reason, never the content.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { UsageError } from '../core/errors.js';

/** Default size limit of an input file: 64 MiB. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

function kindOf(st: import('node:fs').Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a component of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
};

/** A short reason for a file-system error (`no such file`, `permission denied`, …). */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code && Object.hasOwn(REASONS, code)) return REASONS[code];
  return code ?? String((e as Error)?.message ?? e).split('\n')[0].slice(0, 120);
}

/**
 * The content of a regular file as UTF-8 text.
 * @param what how the message names the file, e.g. `family file` or `data file`.
 * @throws UsageError when the file is missing, unreadable, not a regular file, larger than `maxBytes`,
 *         or its content does not match its size.
 */
export function readRegularFile(path: string, what: string, maxBytes = MAX_INPUT_BYTES): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${fsReason(e)}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UsageError(`cannot read ${what} ${path}: ${kindOf(st)}, not a regular file`);
    if (st.size > maxBytes) throw new UsageError(`cannot read ${what} ${path}: ${st.size} bytes, more than the limit of ${maxBytes}`);
    const buf = Buffer.alloc(st.size + 1);
    let got = 0;
    while (got < buf.length) {
      const k = readSync(fd, buf, got, buf.length - got, null);
      if (k === 0) break;
      got += k;
    }
    if (got !== st.size) {
      throw new UsageError(`cannot read ${what} ${path}: its content does not match its size (a special file such as /proc/…, or a file being written), not a regular file`);
    }
    return buf.subarray(0, got).toString('utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read ${what} ${path}: ${fsReason(e)}`);
  } finally {
    closeSync(fd);
  }
}
