/**
 * Node-only family file loader (reads families/*.yaml and user files from disk). In a browser, or for a
 * family held as text, use `parseFamily(text, file)` from src/declare/parseFamily.ts instead.
 *
 * Resolves a family argument to a validated {@link FamilySpec}, with a cache.
 *  - A built-in name (an identifier, e.g. `gamma`) resolves to <repo>/families/<name>.yaml.
 *  - Anything containing `/` or `\`, or ending in `.yaml` / `.yml`, is a path (relative to `cwd`).
 * Files inside the built-in folder must have `name` equal to their base name.
 * The cache is keyed by absolute path and invalidated when the file's mtime or size changes.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../core/errors.js';
import { parseFamily } from '../declare/parseFamily.js';
import { fsReason, readRegularFile } from './readRegularFile.js';

/** Largest family file read (a family file is a few kilobytes; this leaves room for long per-outcome tables). */
export const MAX_FAMILY_BYTES = 1024 * 1024;
import type { FamilySpec } from '../declare/types.js';

/** Absolute path of the built-in family folder (<repo>/families). */
export const FAMILIES_DIR: string = fileURLToPath(new URL('../../families/', import.meta.url));

const cache = new Map<string, { stamp: string; spec: FamilySpec }>();

/** True when the argument is a path rather than a built-in name. */
export function isFamilyPath(nameOrPath: string): boolean {
  return nameOrPath.includes('/') || nameOrPath.includes('\\') || /\.ya?ml$/i.test(nameOrPath);
}

/** Names of the built-in families (files families/*.yaml), sorted. */
export function listFamilies(): string[] {
  let files: string[];
  try {
    files = readdirSync(FAMILIES_DIR);
  } catch {
    return [];
  }
  return files
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** Absolute file path a family argument refers to (does not check that it exists). */
export function resolveFamilyPath(nameOrPath: string, opts: { cwd?: string } = {}): string {
  if (isFamilyPath(nameOrPath)) return resolve(opts.cwd ?? process.cwd(), nameOrPath);
  return resolve(FAMILIES_DIR, `${nameOrPath}.yaml`);
}

/**
 * Loads, validates and caches a family.
 * @param nameOrPath built-in name (see {@link listFamilies}) or path to a .yaml family file.
 * @param opts.cwd base directory for relative paths (default: process.cwd()).
 * @throws UsageError for an unknown built-in name or an unreadable file;
 *         FamilyError (src/core/errors.ts) listing every problem of an invalid file.
 */
export function loadFamily(nameOrPath: string, opts: { cwd?: string } = {}): FamilySpec {
  if (!isFamilyPath(nameOrPath) && !listFamilies().includes(nameOrPath)) {
    throw new UsageError(
      `unknown family "${nameOrPath}"; built-in families: ${listFamilies().join(', ')} (or give a path to a .yaml file)`,
    );
  }
  const file = resolveFamilyPath(nameOrPath, opts);
  let stamp: string;
  try {
    const st = statSync(file);
    stamp = `${st.mtimeMs}:${st.size}`;
  } catch (err) {
    throw new UsageError(`cannot read family file ${file}: ${fsReason(err)}`);
  }
  const hit = cache.get(file);
  if (hit && hit.stamp === stamp) return hit.spec;
  const text = readRegularFile(file, 'family file', MAX_FAMILY_BYTES);
  const builtIn = resolve(dirname(file)) === resolve(FAMILIES_DIR);
  const spec = parseFamily(text, file, builtIn ? { expectedName: basename(file, extname(file)) } : {});
  cache.set(file, { stamp, spec });
  return spec;
}

/** Empties the cache (tests; long-running processes editing files). */
export function clearFamilyCache(): void {
  cache.clear();
}
