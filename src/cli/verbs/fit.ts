/**
 * `infogeo fit <family> --data file.csv|file.json|- [--method natgrad|newton|adam] [--start name=value,...] [--json]`:
 * maximum-likelihood estimate of the parameters from i.i.d. data.
 *
 * Data formats: CSV (one observation per row; a header row naming the family's variables selects
 * columns), JSON (an array of numbers or of arrays, or {"data": [...]}, or {"<variable>": [...], ...}),
 * `-` reads stdin (JSON when it starts with [ or {, else CSV).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DomainError, UsageError } from '../../core/errors.js';
import type { DataPoint } from '../../core/types.js';
import type { SupportSpec } from '../../declare/types.js';
import { fit, type FitMethod } from '../../solve/optim/fit.js';
import { readRegularFile } from '../../node/readRegularFile.js';
import { compileMleProgram, instantiateMle } from '../../compile/compileStatistics.js';
import { namedValues, parseDecimal, parseFlags, parseParams, quote, requireString } from '../args.js';
import { fmt, guardPoint, loadCompiled } from '../family.js';
import type { CliIO } from '../io.js';
import { checkOutput } from '../outputCheck.js';

export const help = [
  'infogeo fit <family|file.yaml> --data file.csv|file.json|- [--method natgrad|newton|adam] [--start name=value,...] [--json]',
  '  Maximum-likelihood fit: natgrad = Fisher scoring (natural gradient, default), newton = Newton on the',
  '  log-likelihood, adam = first-order baseline. Prints the estimate, mean log-likelihood and standard errors.',
].join('\n');

function parseCsv(text: string, variables: readonly string[]): DataPoint[] {
  const rows = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (rows.length === 0) throw new UsageError('the data file has no rows');
  const split = (l: string) => l.split(/[,;\t ]+/).filter((s) => s !== '');
  let cols: number[] | null = null;
  const first = split(rows[0]);
  if (first.some((s) => parseDecimal(s) === null)) {
    const idx = variables.map((v) => first.indexOf(v));
    if (idx.some((i) => i < 0)) {
      if (first.length === variables.length) cols = variables.map((_, i) => i);
      else throw new UsageError(`CSV header ${quote(rows[0])} does not name the variables ${variables.join(', ')}`);
    } else cols = idx;
    rows.shift();
  }
  return rows.map((l, r) => {
    const f = split(l).map((s) => parseDecimal(s) ?? NaN);
    const pick = cols ?? (f.length === variables.length ? variables.map((_, i) => i) : null);
    if (!pick) throw new UsageError(`CSV row ${r + 1} has ${f.length} columns, expected ${variables.length} (${variables.join(', ')})`);
    const vals = pick.map((c) => f[c]);
    if (vals.some((x) => !Number.isFinite(x))) throw new UsageError(`CSV row ${r + 1} (${quote(l)}) is not numeric (plain decimal numbers only)`);
    return variables.length === 1 ? vals[0] : vals;
  });
}

function parseJson(text: string, variables: readonly string[]): DataPoint[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`data is not valid JSON: ${String((e as Error).message).slice(0, 100)}`);
  }
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.data)) v = o.data;
    else if (variables.every((n) => Array.isArray(o[n]))) {
      const colsArr = variables.map((n) => o[n] as unknown[]);
      v = colsArr[0].map((_, i) => (variables.length === 1 ? colsArr[0][i] : colsArr.map((c) => c[i])));
    } else throw new UsageError(`JSON data must be an array, {"data": [...]} or {${variables.map((n) => `"${n}": [...]`).join(', ')}}`);
  }
  if (!Array.isArray(v)) throw new UsageError('JSON data must be an array');
  return v.map((x, i) => {
    if (variables.length === 1) {
      const y = Array.isArray(x) && x.length === 1 ? x[0] : x;
      if (typeof y !== 'number' || !Number.isFinite(y)) throw new UsageError(`data[${i}] must be a finite number`);
      return y;
    }
    if (!Array.isArray(x) || x.length !== variables.length || x.some((y) => typeof y !== 'number' || !Number.isFinite(y))) {
      throw new UsageError(`data[${i}] must be an array of ${variables.length} finite numbers (${variables.join(', ')})`);
    }
    return x as number[];
  });
}

/** Largest data file read (bytes). */
const MAX_DATA_BYTES = 256 * 1024 * 1024;

/** Reads observations for a family with the given data variables from a CSV/JSON file or stdin ('-'). */
export function readData(path: string, variables: readonly string[], cwd: string): DataPoint[] {
  let text: string;
  if (path === '-') {
    try {
      text = readFileSync(0, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read data from standard input: ${(e as NodeJS.ErrnoException).code ?? 'read error'}`);
    }
  } else text = readRegularFile(resolve(cwd, path), 'data file', MAX_DATA_BYTES);
  const trimmed = text.trimStart();
  const isJson = path.endsWith('.json') || (path === '-' && (trimmed.startsWith('[') || trimmed.startsWith('{')));
  const data = isJson ? parseJson(text, variables) : parseCsv(text, variables);
  if (data.length === 0) throw new UsageError('no observations in the data');
  return data;
}

/** null when the observation lies in the support, else the reason. */
export function supportProblem(support: SupportSpec, x: DataPoint): string | null {
  const v = typeof x === 'number' ? [x] : Array.from(x);
  const kind = 'kind' in support ? support.kind : undefined;
  const isInt = (y: number) => Number.isInteger(y);
  if ('values' in support) return support.values.includes(v[0]) ? null : `must be one of ${support.values.join(', ')}`;
  if ('lo' in support) return isInt(v[0]) && v[0] >= support.lo && v[0] <= support.hi ? null : `must be an integer in ${support.lo}..${support.hi}`;
  switch (kind) {
    case 'positive': return v.every((y) => y > 0) ? null : 'must be > 0';
    case 'unit': return v.every((y) => y > 0 && y < 1) ? null : 'must be in (0, 1)';
    case 'nonnegint': return v.every((y) => isInt(y) && y >= 0) ? null : 'must be a non-negative integer';
    case 'circle': return v.every((y) => y >= -Math.PI && y < Math.PI) ? null : 'must be in [−π, π)';
    case 'simplex': return v.every((y) => y > 0) && v.reduce((a, b) => a + b, 0) < 1 ? null : 'must have positive coordinates with sum < 1';
    default: return null;
  }
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseFlags(args, { data: 'string', method: 'string', start: 'string', 'max-iterations': 'number', json: 'boolean', help: 'boolean' });
  if (p.flags.help) return io.out(help + '\n'), 0;
  if (p.positional.length !== 1) throw new UsageError(`expected one family argument\n${help}`);
  const method = ((p.flags.method as string | undefined) ?? 'natgrad') as FitMethod;
  if (!['natgrad', 'newton', 'adam'].includes(method)) throw new UsageError(`--method must be natgrad, newton or adam (got '${method}')`);
  const fam = loadCompiled(p.positional[0], io.cwd);
  const c = fam.compiled;
  const data = readData(requireString(p, 'data'), c.variables, io.cwd);
  data.forEach((x, i) => {
    const problem = supportProblem(fam.spec.support, x);
    if (problem) throw new UsageError(`observation ${i + 1} (${JSON.stringify(x)}) is outside the support of ${fam.spec.name}: it ${problem}`);
  });
  const start = typeof p.flags.start === 'string' ? parseParams(p.flags.start, c.paramNames, '--start') : undefined;
  if (start) {
    const problem = c.checkPoint(start);
    if (problem) throw new UsageError(`--start is outside the domain of ${fam.spec.name}: ${problem}`);
  }
  const program = compileMleProgram(fam.spec);
  const r = fit(c, data, {
    method,
    start,
    domains: fam.spec.params.map((q) => q.domain),
    paramNames: c.paramNames,
    closedForm: program ? instantiateMle(program) : null,
    maxIterations: p.flags['max-iterations'] as number | undefined,
  });
  if (r.status === 'no-mle') throw new DomainError(`${fam.spec.name} on these ${data.length} observations: ${r.message}`);
  if (!Number.isFinite(r.logLikelihood) && r.iterations === 0) {
    throw new UsageError(`${r.message ?? 'no finite likelihood'}; check that the data lie in the support of ${fam.spec.name}`);
  }
  if (r.value.every(Number.isFinite) && c.checkPoint(r.value) === null) guardPoint(fam, r.value, 'the estimate');
  if (p.flags.json) {
    io.out(JSON.stringify({
      family: fam.spec.name,
      params: c.paramNames,
      estimate: namedValues(c.paramNames, r.value),
      standard_errors: namedValues(c.paramNames, r.standardErrors),
      log_likelihood: r.logLikelihood,
      n: data.length,
      method: r.method,
      converged: r.converged,
      iterations: r.iterations,
      gradient_norm: r.gradientNorm,
    }) + '\n');
  } else {
    io.out(`maximum-likelihood fit of ${fam.spec.name} to ${data.length} observations (${r.method}, ${r.iterations} iterations${r.converged ? '' : ', NOT converged'})\n`);
    c.paramNames.forEach((n, i) => io.out(`  ${n.padEnd(10)} ${fmt(r.value[i]).padStart(20)}  ± ${fmt(r.standardErrors[i])}\n`));
    io.out(`  mean log-likelihood ${fmt(r.logLikelihood)}\n`);
  }
  if (!r.converged) {
    io.err(`infogeo fit: ${r.message ?? 'did not converge'}\n`);
    return 1;
  }
  return 0;
}
