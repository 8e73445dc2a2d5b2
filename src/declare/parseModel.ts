/**
 * Model files: a base family whose parameters are given as whitelisted expressions of model
 * parameters and covariates (regression, GLMs, signal models). Example:
 *
 *   model: sinusoid
 *   title: Sinusoid in white Gaussian noise
 *   family: normal                 # built-in family name or a path relative to this file
 *   params:
 *     - { name: A, domain: positive }
 *     - { name: f0, domain: unit, tex: 'f_0' }
 *     - { name: phi, domain: real, tex: '\phi' }
 *   constants: { s: 1 }
 *   covariates: [n]
 *   link:
 *     mu: "A*cos(2*pi*f0*n + phi)"
 *     sigma: "s"
 *   design: "n = 0..49"            # optional default design
 *
 * Observation i is y_i ~ family(ψ(θ, z_i)) with ψ_a given by `link` (every parameter of the base
 * family exactly once). Expressions pass the same whitelist as family files (src/declare/whitelist.ts):
 * a model file cannot run code. Errors are a FamilyError naming file, line and field.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from '../core/yaml.js';
import { checkFamilyText, checkMathTex } from './texWhitelist.js';
import type { Node as YamlNode } from 'yaml';
import { FamilyError } from '../core/errors.js';
import type { FamilyProblem } from '../core/errors.js';
import { BUILTIN_CONSTANTS, FUNCTIONS } from '../core/functions.js';
import { parseDesign, type Design } from './design.js';
import type { Expr, FamilySpec, ParamDomain, ParamSpec } from './types.js';
import { tryParseExpression } from './whitelist.js';

export interface ModelSpec {
  readonly kind: 'model';
  readonly name: string;
  readonly title: string;
  readonly file: string;
  /** The base family (observation law). */
  readonly family: FamilySpec;
  readonly params: readonly ParamSpec[];
  readonly constants: Readonly<Record<string, number>>;
  readonly covariates: readonly string[];
  /** ψ_a(θ, z) for each base parameter a, in the base family's parameter order. */
  readonly link: readonly Expr[];
  /** Default design (from the file), or null. */
  readonly design: Design | null;
  readonly notes: string;
}

export const MODEL_FIELDS: readonly string[] = Object.freeze(['model', 'title', 'family', 'params', 'constants', 'covariates', 'link', 'design', 'notes']);
const REQUIRED = ['model', 'family', 'params', 'covariates', 'link'];
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;
const DOMAINS: readonly ParamDomain[] = ['real', 'positive', 'unit'];

/** Control words a model's `tex` may use: Greek letters and a few font/accent macros (nothing that reads, writes or defines). */
const SAFE_MACROS = new Set([
  ...'alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega'.split(' '),
  'mathrm', 'mathit', 'mathbf', 'mathsf', 'operatorname', 'max', 'min', 'log', 'hat', 'bar', 'tilde', 'vec', 'dot', 'prime',
]);

/** null when a `tex` string is safe (whitelisted control words, balanced braces, no TeX specials), else why not. */
export function texProblem(tex: string): string | null {
  if (tex.length > 80) return 'is longer than 80 characters';
  if (/\^\^|\\\\|[%#&$~]/.test(tex)) return 'may not contain % # & $ ~, ^^ or a double backslash';
  for (const m of tex.matchAll(/\\([A-Za-z]+|.)/g)) if (!SAFE_MACROS.has(m[1])) return `uses the control sequence \\${m[1].slice(0, 20)}, which is not allowed (allowed: Greek letters, \\mathrm, \\operatorname, accents)`;
  let depth = 0;
  for (const ch of tex) {
    depth += ch === '{' ? 1 : ch === '}' ? -1 : 0;
    if (depth < 0) return 'has unbalanced braces';
  }
  return depth === 0 ? null : 'has unbalanced braces';
}

/** True when a YAML text is a model file (its top level has a `model:` key) rather than a family file. */
export function isModelText(text: string): boolean {
  return /^model\s*:/m.test(text);
}

/**
 * Parses a model file.
 * @param loadBase resolves the `family` field (a built-in name or a path relative to the model file).
 */
export function parseModel(text: string, file: string, loadBase: (nameOrPath: string) => FamilySpec): ModelSpec {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, strict: true });
  const problems: FamilyProblem[] = [];
  const at = (path: (string | number)[], field: string) => {
    const node = (path.length ? doc.getIn(path, true) : doc.contents) as YamlNode | undefined;
    const loc: { file: string; line?: number; column?: number; field: string } = { file, field };
    if (node?.range) {
      const p = lc.linePos(node.range[0]);
      loc.line = p.line;
      loc.column = p.col;
    }
    return loc;
  };
  const err = (path: (string | number)[], field: string, message: string) => problems.push({ ...at(path, field), message });
  for (const e of doc.errors) {
    const p = e.linePos?.[0];
    problems.push({ file, ...(p ? { line: p.line, column: p.col } : {}), message: `YAML syntax error: ${e.message.split('\n')[0]}` });
  }
  if (problems.length) throw new FamilyError(problems);
  if (!isMap(doc.contents)) throw new FamilyError([{ file, message: 'a model file must be a YAML map of fields' }]);
  const raw = doc.toJS({ maxAliasCount: 0 }) as Record<string, unknown>;
  for (const k of Object.keys(raw)) if (!MODEL_FIELDS.includes(k)) err([k], k, `unknown field "${k.slice(0, 40)}" (allowed: ${MODEL_FIELDS.join(', ')})`);
  for (const k of REQUIRED) if (!(k in raw)) err([], k, `missing required field "${k}"`);
  if (problems.length) throw new FamilyError(problems);

  const str = (k: string): string => {
    const v = raw[k];
    if (typeof v !== 'string') {
      err([k], k, `must be a string`);
      return '';
    }
    return v;
  };
  const name = str('model');
  if (name && !IDENTIFIER.test(name)) err(['model'], 'model', 'the model name must be an identifier (letters, digits, _)');
  const title = raw.title === undefined ? name : str('title');
  const notes = raw.notes === undefined ? '' : str('notes');
  // Title and notes reach LaTeX/HTML like a family's: the same TeX whitelist (src/declare/texWhitelist.ts).
  for (const [k, kind, text] of [['title', 'line', title], ['notes', 'multiline', notes]] as const) {
    const why = raw[k] === undefined ? null : checkFamilyText(kind, text);
    if (why) err([k], k, why);
  }

  // Base family.
  let family: FamilySpec | null = null;
  const famName = str('family');
  if (famName) {
    try {
      family = loadBase(famName);
    } catch (e) {
      err(['family'], 'family', `cannot load the base family "${famName.slice(0, 80)}": ${(e as Error).message.split('\n')[0]}`);
    }
  }

  // Names: params, constants, covariates.
  const declared = new Set<string>();
  const declare = (n: unknown, path: (string | number)[], field: string, what: string): string | null => {
    if (typeof n !== 'string' || !IDENTIFIER.test(n)) {
      err(path, field, `${what} name must be an identifier (a letter, then letters, digits or _)`);
      return null;
    }
    if (BUILTIN_CONSTANTS.has(n) || FUNCTIONS.has(n) || n === 'expect') {
      err(path, field, `${what} name "${n}" collides with a built-in constant or function`);
      return null;
    }
    if (declared.has(n)) {
      err(path, field, `duplicate name "${n}"`);
      return null;
    }
    declared.add(n);
    return n;
  };
  const params: ParamSpec[] = [];
  if (!Array.isArray(raw.params) || raw.params.length === 0) err(['params'], 'params', 'must be a non-empty list of { name, domain, tex? }');
  else
    raw.params.forEach((p, i) => {
      const f = `params[${i}]`;
      if (!p || typeof p !== 'object' || Array.isArray(p)) return err(['params', i], f, 'must be a map { name, domain, tex? }');
      const o = p as Record<string, unknown>;
      for (const k of Object.keys(o)) if (!['name', 'domain', 'tex'].includes(k)) err(['params', i, k], `${f}.${k}`, `unknown field "${k.slice(0, 40)}" (allowed: name, domain, tex)`);
      const n = declare(o.name, ['params', i, 'name'], `${f}.name`, 'parameter');
      const domain = o.domain ?? 'real';
      if (!DOMAINS.includes(domain as ParamDomain)) err(['params', i, 'domain'], `${f}.domain`, `domain must be one of ${DOMAINS.join(', ')}`);
      if (o.tex !== undefined && typeof o.tex !== 'string') err(['params', i, 'tex'], `${f}.tex`, 'must be a string');
      else if (typeof o.tex === 'string') {
        const why = texProblem(o.tex);
        const whyMath = why ? null : checkMathTex(o.tex);
        if (why) err(['params', i, 'tex'], `${f}.tex`, `tex ${why}`);
        else if (whyMath) err(['params', i, 'tex'], `${f}.tex`, whyMath);
      }
      if (n) params.push({ name: n, domain: domain as ParamDomain, tex: typeof o.tex === 'string' ? o.tex : n });
    });
  const constants: Record<string, number> = {};
  if (raw.constants !== undefined) {
    if (!raw.constants || typeof raw.constants !== 'object' || Array.isArray(raw.constants)) err(['constants'], 'constants', 'must be a map name: number');
    else
      for (const [k, v] of Object.entries(raw.constants as Record<string, unknown>)) {
        const n = declare(k, ['constants', k], `constants.${k}`, 'constant');
        if (typeof v !== 'number' || !Number.isFinite(v)) err(['constants', k], `constants.${k}`, 'must be a finite number');
        else if (n) constants[n] = v;
      }
  }
  const covariates: string[] = [];
  if (!Array.isArray(raw.covariates) || raw.covariates.length === 0) err(['covariates'], 'covariates', 'must be a non-empty list of names');
  else raw.covariates.forEach((c, i) => {
    const n = declare(c, ['covariates', i], `covariates[${i}]`, 'covariate');
    if (n) covariates.push(n);
  });

  // Link: every base parameter exactly once, each a whitelisted expression of params, constants, covariates.
  const link: Expr[] = [];
  const linkRaw = raw.link;
  if (!linkRaw || typeof linkRaw !== 'object' || Array.isArray(linkRaw)) err(['link'], 'link', 'must be a map from the base family\'s parameters to expressions');
  else if (family) {
    const baseNames = family.params.map((p) => p.name);
    const allowed = new Set([...params.map((p) => p.name), ...Object.keys(constants), ...covariates]);
    for (const k of Object.keys(linkRaw)) if (!baseNames.includes(k)) err(['link', k], `link.${k}`, `"${k.slice(0, 40)}" is not a parameter of ${family.name} (${baseNames.join(', ')})`);
    for (const b of baseNames) {
      const v = (linkRaw as Record<string, unknown>)[b];
      if (v === undefined) {
        err(['link'], `link.${b}`, `missing link for the base parameter "${b}"`);
        continue;
      }
      const text = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v : null;
      if (text === null) {
        err(['link', b], `link.${b}`, 'must be an expression (a string)');
        continue;
      }
      const r = tryParseExpression(text, allowed, at(['link', b], `link.${b}`));
      if (!r.ok) problems.push(...r.problems);
      else link.push(r.expr);
    }
  }
  let design: Design | null = null;
  if (raw.design !== undefined) {
    if (typeof raw.design !== 'string') err(['design'], 'design', 'must be a design string such as "n = 0..49" or "x = 0, 0.5, 1"');
    else {
      try {
        design = parseDesign(raw.design, covariates);
      } catch (e) {
        err(['design'], 'design', (e as Error).message);
      }
    }
  }
  if (problems.length) throw new FamilyError(problems);
  return { kind: 'model', name, title, file, family: family!, params, constants, covariates, link, design, notes };
}
