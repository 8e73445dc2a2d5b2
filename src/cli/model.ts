/**
 * Model files at the CLI edge: reading (regular files only), declare → derive → compile, and the
 * `--design` option (inline syntax of src/declare/design.ts, or a CSV file whose header names the
 * covariates, with an optional `weight` column).
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { designOf, parseDesign, type Design } from '../declare/design.js';
import { isFamilyPath, loadFamily } from '../node/loadFamily.js';
import { isModelText, parseModel, type ModelSpec } from '../declare/parseModel.js';
import { readRegularFile } from '../node/readRegularFile.js';
import { deriveModel, type ModelDerivation } from '../derive/deriveModel.js';
import { compileModel, type CompiledModel } from '../compile/compileModel.js';

const MAX_FILE_BYTES = 4 << 20;

function readRegular(path: string, what: string): string {
  return readRegularFile(path, what, MAX_FILE_BYTES);
}

/** True when the argument names a model file (a path whose YAML has a top-level `model:` key). */
export function isModelArgument(arg: string, cwd: string): boolean {
  if (!isFamilyPath(arg)) return false;
  try {
    const path = resolve(cwd, arg);
    return statSync(path).isFile() && isModelText(readRegular(path, 'model file'));
  } catch {
    return false;
  }
}

export interface LoadedModel {
  spec: ModelSpec;
  derivation: ModelDerivation;
  compiled: CompiledModel;
}

export function loadModel(arg: string, cwd: string): LoadedModel {
  const file = resolve(cwd, arg);
  const spec = parseModel(readRegular(file, 'model file'), file, (base) => loadFamily(base, { cwd: dirname(file) }));
  const derivation = deriveModel(spec);
  return { spec, derivation, compiled: compileModel(derivation) };
}

/** `--design` text: inline syntax, or a CSV file (header naming the covariates, optional `weight`). */
export function designArgument(text: string | undefined, model: ModelSpec, cwd: string): Design {
  if (text === undefined) {
    if (model.design) return model.design;
    throw new UsageError(`${model.name} declares no design: give --design (e.g. "${model.covariates[0]} = 0..9")`);
  }
  if (text.includes('=')) return parseDesign(text, model.covariates);
  const rows = readRegular(resolve(cwd, text), 'design file').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  if (rows.length < 2) throw new UsageError(`design file ${text} needs a header row and at least one point`);
  const head = rows[0].split(/[,;\t ]+/);
  const cols = model.covariates.map((c) => head.indexOf(c));
  if (cols.some((c) => c < 0)) throw new UsageError(`design file header must name the covariates ${model.covariates.join(', ')} (got ${rows[0].slice(0, 80)})`);
  const wcol = head.indexOf('weight');
  const pts: number[][] = [];
  const ws: number[] = [];
  rows.slice(1).forEach((l, r) => {
    const f = l.split(/[,;\t ]+/).map((s) => (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) ? Number(s) : NaN));
    const p = cols.map((c) => f[c]);
    if (p.some((v) => !Number.isFinite(v))) throw new UsageError(`design file row ${r + 2} is not numeric`);
    pts.push(p);
    ws.push(wcol >= 0 ? f[wcol] : 1);
  });
  return designOf(model.covariates, pts, ws);
}
