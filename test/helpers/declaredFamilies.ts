/**
 * loadFamily for tests of the symbolic route: like src/node/loadFamily, but cauchy, student5 and
 * laplace come from test/fixtures/families (copies with the literature Fisher metric declared).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { listFamilies, loadFamily as loadBuiltin } from '../../src/node/loadFamily.js';
import type { FamilySpec } from '../../src/declare/types.js';

export { listFamilies };

export function declaredFixturePath(name: string): string | null {
  const p = fileURLToPath(new URL(`../fixtures/families/${name}.yaml`, import.meta.url));
  return existsSync(p) ? p : null;
}

export function loadFamily(name: string): FamilySpec {
  return loadBuiltin(declaredFixturePath(name) ?? name);
}
