/**
 * Rebuilds a family's compiled likelihood (declare → derive → compile) inside a worker thread,
 * where the main thread's closures cannot be transferred.
 */
import { loadFamily } from '../../node/loadFamily.js';
import { deriveFamily } from '../../derive/deriveFamily.js';
import { compileFamily } from '../../compile/compileFamily.js';
import type { CompiledFamily } from '../../core/types.js';
import type { ModelSource } from './runTrials.js';

export function loadFamilyModel(source: Extract<ModelSource, { kind: 'family' }>): CompiledFamily {
  return compileFamily(deriveFamily(loadFamily(source.nameOrPath, { cwd: source.cwd })));
}
