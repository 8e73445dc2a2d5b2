/**
 * Parses and validates the text of a family file (YAML, format in docs/family-format.md) into a
 * {@link FamilySpec}. The whole file is validated: every problem is collected (file, line, column,
 * field path such as `params[1].domain` or `expfam.eta[0]`) and one {@link FamilyError} lists them all.
 */
import { LineCounter, Scalar as YamlScalar, isAlias, isMap, isScalar, isSeq, parseDocument } from '../core/yaml.js';
import type { Node as YamlNode, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { FamilyError } from '../core/errors.js';
import type { FamilyProblem } from '../core/errors.js';
import { BUILTIN_CONSTANTS, FUNCTIONS } from '../core/functions.js';
import { SAMPLER_ARITY } from '../core/samplerNames.js';
import { FunctionNode, SymbolNode, parse as mathParse } from '../core/mathjs.js';
import type { MathNode } from 'mathjs';
import type { Expr, ExpFamSpec, FamilySpec, MleSpec, NormalizerSpec, ParamDomain, ParamSpec, SamplerSpec, StatSpec, SupportSpec } from './types.js';
import { checkFamilyText, excerpt } from './texWhitelist.js';
import { EXPRESSION_BUDGET, canonicalFeature, symbolsOf, tryParseExpression } from './whitelist.js';

/** Top-level fields of a family file. Anything else is reported (typo protection). */
export const FAMILY_FIELDS: readonly string[] = Object.freeze([
  'name', 'title', 'params', 'constraints', 'constants', 'variables', 'support', 'breakpoints',
  'logDensity', 'expfam', 'moments', 'fisher', 'sampler', 'mle', 'notes', 'normalizer',
]);
const REQUIRED_FIELDS = ['name', 'title', 'params', 'variables', 'support', 'logDensity'];

export const PARAM_DOMAINS: readonly ParamDomain[] = Object.freeze(['real', 'positive', 'unit', 'circle']);
export const SUPPORT_KINDS: readonly string[] = Object.freeze([
  'real', 'positive', 'unit', 'circle', 'nonnegint', 'simplex', 'integers', 'finite',
]);

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * Names no parameter, variable or constant may take: `pi`/`e`, whitelisted functions, the derive
 * stage's internal `expect`, mathjs keywords and literals, JavaScript reserved words (names reach
 * generated code) and Object.prototype members.
 */
const RESERVED: ReadonlySet<string> = new Set([
  'expect', 'Infinity', 'NaN', 'true', 'false', 'null', 'undefined',
  'mod', 'to', 'in', 'and', 'or', 'xor', 'not', 'end',
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else',
  'enum', 'export', 'extends', 'finally', 'for', 'function', 'if', 'import', 'instanceof', 'new',
  'return', 'super', 'switch', 'this', 'throw', 'try', 'typeof', 'var', 'void', 'while', 'with',
  'yield', 'let', 'static', 'implements', 'interface', 'package', 'private', 'protected', 'public',
  'await', 'arguments', 'eval', 'Math', 'theta', 'out', 'F',
  ...Object.getOwnPropertyNames(Object.prototype),
]);

const GREEK = new Set([
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu',
  'nu', 'xi', 'pi', 'rho', 'sigma', 'tau', 'upsilon', 'phi', 'chi', 'psi', 'omega',
]);

/** LaTeX used when a parameter has no `tex`: Greek names → `\name`, trailing digits → subscript. */
export function defaultTex(name: string): string {
  const m = /^([A-Za-z]+?)_?(\d+)$/.exec(name);
  const base = m ? m[1] : name;
  const sub = m ? m[2] : '';
  const head = GREEK.has(base) ? `\\${base}` : base.length > 1 ? `\\mathrm{${base.replace(/_/g, '\\_')}}` : base;
  return sub ? `${head}_{${sub}}` : head;
}

/** Problems in file order (line, then column; file-level ones first), exact duplicates removed. */
function ordered(problems: FamilyProblem[]): FamilyProblem[] {
  const seen = new Set<string>();
  const out = problems.filter((p) => {
    const key = `${p.line}:${p.column}:${p.field}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return out
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || (a.p.column ?? 0) - (b.p.column ?? 0) || a.i - b.i)
    .map(({ p }) => p);
}

class Ctx {
  readonly problems: FamilyProblem[] = [];
  /** Where each output-text field sits (FamilySpec.locations). */
  readonly textLocations: Record<string, { line: number; column: number }> = {};
  constructor(
    readonly file: string,
    private readonly lc: LineCounter,
  ) {}

  loc(node: YamlNode | null | undefined, field?: string): { file: string; line?: number; column?: number; field?: string } {
    const out: { file: string; line?: number; column?: number; field?: string } = { file: this.file };
    const range = node?.range;
    if (range) {
      const p = this.lc.linePos(range[0]);
      out.line = p.line;
      out.column = p.col;
    }
    if (field) out.field = field;
    return out;
  }

  err(node: YamlNode | null | undefined, field: string | undefined, message: string): void {
    this.problems.push({ ...this.loc(node, field), message });
  }
}

type Entry = { key: string; keyNode: YamlNode; value: YamlNode | null };

/** Map entries with string keys (reports non-scalar keys). */
function entries(ctx: Ctx, map: YAMLMap, field: string): Entry[] {
  const out: Entry[] = [];
  for (const pair of map.items as Pair<unknown, unknown>[]) {
    const k = pair.key as YamlNode | null;
    if (!isScalar(k)) {
      ctx.err(k, field, 'keys must be plain scalars');
      continue;
    }
    let value = (pair.value as YamlNode | null) ?? null;
    if (value === null) {
      // `field:` with nothing after it: a null scalar located at the key, so messages get a line.
      const empty = new YamlScalar(null);
      empty.range = k.range;
      value = empty;
    }
    out.push({ key: String(k.value), keyNode: k, value });
  }
  return out;
}

function checkKeys(
  ctx: Ctx,
  map: YamlNode,
  es: Entry[],
  allowed: readonly string[],
  field: string,
  required: readonly string[] = [],
): void {
  const seen = new Set<string>();
  for (const e of es) {
    seen.add(e.key);
    if (!allowed.includes(e.key)) {
      const where = field ? `${field}.${e.key}` : e.key;
      ctx.err(e.keyNode, where, `unknown field "${e.key}" (allowed: ${allowed.join(', ')})`);
    }
  }
  for (const r of required) {
    if (!seen.has(r)) ctx.err(map, field ? `${field}.${r}` : r, `missing required field "${r}"`);
  }
}

function get(es: Entry[], key: string): Entry | undefined {
  return es.find((e) => e.key === key);
}

function scalarString(ctx: Ctx, node: YamlNode | null, field: string): string | null {
  if (isScalar(node) && typeof node.value === 'string') return node.value;
  ctx.err(node, field, `must be a string, got ${describe(node)}`);
  return null;
}

/**
 * Text that reaches LaTeX/HTML output (params[].tex, title, notes, fisher.source) must pass the TeX whitelist
 * (src/declare/texWhitelist.ts); returns the text, or null (with a problem recorded) when it does not.
 */
function texSafe(ctx: Ctx, node: YamlNode | null, field: string, kind: 'math' | 'line' | 'multiline', text: string | null): string | null {
  if (text === null) return null;
  const at = ctx.loc(node);
  if (at.line !== undefined) ctx.textLocations[field] = { line: at.line, column: at.column ?? 1 };
  const problem = checkFamilyText(kind, text);
  if (problem === null) return text;
  ctx.err(node, field, problem);
  return null;
}

/** Text of an expression field: a string, or a plain number. */
function exprText(ctx: Ctx, node: YamlNode | null, field: string): string | null {
  if (isScalar(node)) {
    if (typeof node.value === 'string') return node.value;
    if (typeof node.value === 'number') {
      if (Number.isFinite(node.value)) return String(node.value);
      ctx.err(node, field, `non-finite number ${String(node.value)} is not allowed`);
      return null;
    }
  }
  ctx.err(node, field, `must be an expression (a string), got ${describe(node)}`);
  return null;
}

function describe(node: YamlNode | null | undefined): string {
  if (node === null || node === undefined) return 'nothing';
  if (isAlias(node)) return 'a YAML alias';
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = (node as Scalar).value;
    if (v === null) return 'null';
    return `${typeof v} ${typeof v === 'string' ? excerpt(v) : JSON.stringify(v)}`;
  }
  return 'an unknown node';
}

function seqItems(ctx: Ctx, node: YamlNode | null, field: string): (YamlNode | null)[] | null {
  if (isSeq(node)) return (node as YAMLSeq).items as (YamlNode | null)[];
  ctx.err(node, field, `must be a list, got ${describe(node)}`);
  return null;
}

interface Symbols {
  /** params ∪ constants: allowed in θ-expressions. */
  theta: Set<string>;
  /** params ∪ constants ∪ variables: allowed in x-expressions. */
  all: Set<string>;
  variables: Set<string>;
}

function parseExpr(ctx: Ctx, node: YamlNode | null, field: string, syms: Symbols, dataAllowed: boolean): Expr | null {
  const text = exprText(ctx, node, field);
  if (text === null) return null;
  const r = dataAllowed
    ? tryParseExpression(text, syms.all, ctx.loc(node, field))
    : tryParseExpression(text, syms.theta, ctx.loc(node, field), syms.variables);
  if (!r.ok) {
    ctx.problems.push(...r.problems);
    return null;
  }
  return r.expr;
}

function parseExprList(
  ctx: Ctx,
  node: YamlNode | null,
  field: string,
  syms: Symbols,
  dataAllowed: boolean,
): (Expr | null)[] | null {
  const items = seqItems(ctx, node, field);
  if (!items) return null;
  return items.map((it, i) => parseExpr(ctx, it, `${field}[${i}]`, syms, dataAllowed));
}

function allOk<T>(xs: (T | null)[] | null): xs is T[] {
  return xs !== null && xs.every((x) => x !== null);
}

/** Options for {@link parseFamily}. */
export interface ParseFamilyOptions {
  /** When set, `name` must equal it (built-in files: the file's base name). */
  expectedName?: string;
}

/**
 * Parses the text of a family file.
 * @param text YAML source.
 * @param file path used in messages and stored in `FamilySpec.file`.
 * @throws FamilyError listing every problem of the file.
 */
export function parseFamily(text: string, file: string, opts: ParseFamilyOptions = {}): FamilySpec {
  const lc = new LineCounter();
  const ctx = new Ctx(file, lc);
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: true, strict: true });
  for (const e of [...doc.errors, ...doc.warnings]) {
    const p = e.linePos?.[0];
    ctx.problems.push({
      file,
      ...(p ? { line: p.line, column: p.col } : {}),
      message: `YAML ${e instanceof Error && doc.errors.includes(e as never) ? 'syntax error' : 'warning'}: ${firstLine(e.message)}`,
    });
  }
  if (ctx.problems.length > 0) throw new FamilyError(ordered(ctx.problems));
  const root = doc.contents as YamlNode | null;
  if (!isMap(root)) {
    ctx.err(root, undefined, `a family file must be a YAML map of fields, got ${describe(root)}`);
    throw new FamilyError(ordered(ctx.problems));
  }
  // Aliases would let one node appear under several fields; forbid them outright.
  let aliasSeen = false;
  const visitAliases = (n: unknown, field: string): void => {
    if (isAlias(n)) {
      ctx.err(n as YamlNode, field, 'YAML aliases (*name) are not allowed in family files');
      aliasSeen = true;
    } else if (isMap(n)) for (const p of n.items as Pair<unknown, unknown>[]) visitAliases(p.value, field);
    else if (isSeq(n)) for (const it of n.items) visitAliases(it, field);
  };
  for (const p of root.items as Pair<unknown, unknown>[]) visitAliases(p.value, isScalar(p.key) ? String(p.key.value) : '');
  if (aliasSeen) throw new FamilyError(ordered(ctx.problems));

  const top = entries(ctx, root, '');
  if (top.length > 0 && !top.some((e) => FAMILY_FIELDS.includes(e.key))) {
    // Not a family file at all (a config file, /etc/passwd …): one message, without echoing its keys.
    ctx.err(root, undefined, `not a family file: none of its ${top.length} top-level keys is a family field (${REQUIRED_FIELDS.join(', ')}, …)`);
    throw new FamilyError(ordered(ctx.problems));
  }
  checkKeys(ctx, root, top, FAMILY_FIELDS, '', REQUIRED_FIELDS);

  // name, title, notes
  let name = '';
  const nameE = get(top, 'name');
  if (nameE) {
    const s = scalarString(ctx, nameE.value, 'name');
    if (s !== null) {
      if (!IDENTIFIER.test(s)) ctx.err(nameE.value, 'name', `family name "${s}" must be an identifier (letters, digits, _)`);
      else if (opts.expectedName !== undefined && s !== opts.expectedName) {
        ctx.err(nameE.value, 'name', `name "${s}" must equal the file's base name "${opts.expectedName}"`);
      }
      name = s;
    }
  }
  let title = '';
  const titleE = get(top, 'title');
  if (titleE) title = texSafe(ctx, titleE.value, 'title', 'line', scalarString(ctx, titleE.value, 'title')) ?? '';
  let notes = '';
  const notesE = get(top, 'notes');
  if (notesE) notes = texSafe(ctx, notesE.value, 'notes', 'multiline', scalarString(ctx, notesE.value, 'notes')) ?? '';

  // Declared names: params, constants, variables. Track where each came from for duplicate messages.
  const declared = new Map<string, string>();
  const declare = (n: string, node: YamlNode | null, field: string, what: string): boolean => {
    if (!IDENTIFIER.test(n)) {
      ctx.err(node, field, `${what} name "${n}" must be an identifier (a letter, then letters, digits or _)`);
      return false;
    }
    if (BUILTIN_CONSTANTS.has(n)) {
      ctx.err(node, field, `${what} name "${n}" collides with the built-in constant ${n}`);
      return false;
    }
    if (FUNCTIONS.has(n)) {
      ctx.err(node, field, `${what} name "${n}" collides with the function ${n}()`);
      return false;
    }
    if (RESERVED.has(n)) {
      ctx.err(node, field, `${what} name "${n}" is reserved`);
      return false;
    }
    const prev = declared.get(n);
    if (prev !== undefined) {
      ctx.err(node, field, `duplicate name "${n}" (already declared as ${prev})`);
      return false;
    }
    declared.set(n, `${what} at ${field}`);
    return true;
  };

  // params
  const params: ParamSpec[] = [];
  const extraThetaNames: string[] = [];
  let paramsOk = false;
  const paramsE = get(top, 'params');
  if (paramsE) {
    const items = seqItems(ctx, paramsE.value, 'params');
    if (items) {
      paramsOk = true;
      if (items.length === 0) {
        ctx.err(paramsE.value, 'params', 'a family needs at least one parameter');
        paramsOk = false;
      }
      items.forEach((it, i) => {
        const f = `params[${i}]`;
        if (!isMap(it)) {
          ctx.err(it, f, `must be a map {name, domain, tex}, got ${describe(it)}`);
          paramsOk = false;
          return;
        }
        const es = entries(ctx, it, f);
        checkKeys(ctx, it, es, ['name', 'domain', 'tex'], f, ['name', 'domain']);
        const nE = get(es, 'name');
        const dE = get(es, 'domain');
        const tE = get(es, 'tex');
        const pn = nE ? scalarString(ctx, nE.value, `${f}.name`) : null;
        const pd = dE ? scalarString(ctx, dE.value, `${f}.domain`) : null;
        const pt = tE ? texSafe(ctx, tE.value, `${f}.tex`, 'math', scalarString(ctx, tE.value, `${f}.tex`)) : null;
        let ok = pn !== null && declare(pn, nE!.value, `${f}.name`, 'parameter');
        // A parameter with a bad domain still counts as declared (no cascade of "unknown symbol").
        if (ok && (pd === null || !(PARAM_DOMAINS as readonly string[]).includes(pd))) extraThetaNames.push(pn!);
        if (pd !== null && !(PARAM_DOMAINS as readonly string[]).includes(pd)) {
          ctx.err(dE!.value, `${f}.domain`, `unknown domain "${pd}" (allowed: ${PARAM_DOMAINS.join(', ')}; unit = open interval (0,1), circle = an angle modulo 2π)`);
          ok = false;
        }
        if (!ok || pd === null || pn === null) {
          paramsOk = false;
          return;
        }
        params.push({ name: pn, domain: pd as ParamDomain, tex: pt ?? defaultTex(pn) });
      });
    }
  }

  // constants
  const constants: Record<string, number> = {};
  const constE = get(top, 'constants');
  if (constE && constE.value !== null && !(isScalar(constE.value) && constE.value.value === null)) {
    if (!isMap(constE.value)) ctx.err(constE.value, 'constants', `must be a map name: number, got ${describe(constE.value)}`);
    else {
      for (const e of entries(ctx, constE.value, 'constants')) {
        const f = `constants.${e.key}`;
        const v = isScalar(e.value) ? e.value.value : undefined;
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          ctx.err(e.value ?? e.keyNode, f, `constant must be a finite number, got ${describe(e.value)}`);
          continue;
        }
        if (declare(e.key, e.keyNode, f, 'constant')) constants[e.key] = v;
      }
    }
  }

  // variables
  const variables: string[] = [];
  const varE = get(top, 'variables');
  if (varE) {
    const items = seqItems(ctx, varE.value, 'variables');
    if (items) {
      if (items.length === 0) ctx.err(varE.value, 'variables', 'at least one data variable is needed');
      items.forEach((it, i) => {
        const s = scalarString(ctx, it, `variables[${i}]`);
        if (s !== null && declare(s, it, `variables[${i}]`, 'variable')) variables.push(s);
      });
    }
  }

  const syms: Symbols = {
    theta: new Set([...params.map((p) => p.name), ...extraThetaNames, ...Object.keys(constants)]),
    all: new Set([...params.map((p) => p.name), ...extraThetaNames, ...Object.keys(constants), ...variables]),
    variables: new Set(variables),
  };

  // normalizer (its name may appear in the log-density, as log(Z) only)
  const noE = get(top, 'normalizer');
  const normalizer = noE ? parseNormalizer(ctx, noE.value, syms, declare) : null;
  if (normalizer) syms.all.add(normalizer.name);

  // support
  let support: SupportSpec | null = null;
  const supE = get(top, 'support');
  if (supE) support = parseSupport(ctx, supE.value, variables.length, new Set(params.map((p) => p.name)));

  // constraints, breakpoints
  const constraints = optionalExprList(ctx, get(top, 'constraints'), 'constraints', syms, false);
  const breakpoints = optionalExprList(ctx, get(top, 'breakpoints'), 'breakpoints', syms, false);
  if (breakpoints.length > 0 && support && (variables.length !== 1 || isDiscrete(support) || support.kind === 'simplex')) {
    ctx.err(get(top, 'breakpoints')!.value, 'breakpoints', 'breakpoints are only meaningful for one continuous data variable');
  }

  // logDensity
  let logDensity: Expr | null = null;
  let logDensityCases: Map<number, Expr> | null = null;
  const ldE = get(top, 'logDensity');
  if (ldE) {
    if (isMap(ldE.value)) {
      const r = parseCases(ctx, ldE.value, ldE.keyNode, support, variables, syms);
      if (r) {
        logDensityCases = r.cases;
        logDensity = r.combined;
      }
    } else {
      logDensity = parseExpr(ctx, ldE.value, 'logDensity', syms, true);
    }
    if (normalizer && logDensity) checkNormalizerUse(ctx, ldE.value, logDensity, normalizer.name);
    if (logDensity && paramsOk) {
      const used = new Set<string>();
      for (const e of logDensityCases ? [...logDensityCases.values()] : [logDensity]) for (const s of symbolsOf(e)) used.add(s);
      for (const p of params) {
        if (!used.has(p.name)) ctx.err(ldE.value, 'logDensity', `parameter "${p.name}" does not appear in the log-density`);
      }
    }
  }

  // expfam
  let expfam: ExpFamSpec | null = null;
  const efE = get(top, 'expfam');
  if (efE) expfam = parseExpfam(ctx, efE.value, efE.keyNode, syms);

  // moments
  const moments = new Map<string, Expr>();
  const momE = get(top, 'moments');
  if (momE && !(isScalar(momE.value) && momE.value.value === null)) {
    if (!isMap(momE.value)) ctx.err(momE.value, 'moments', `must be a map "feature": "expectation", got ${describe(momE.value)}`);
    else {
      for (const e of entries(ctx, momE.value, 'moments')) {
        const f = `moments["${e.key}"]`;
        const key = parseExpr(ctx, e.keyNode, `${f} (key)`, syms, true);
        const val = parseExpr(ctx, e.value, f, syms, false);
        if (!key || !val) continue;
        if (![...symbolsOf(key)].some((s) => syms.variables.has(s))) {
          ctx.err(e.keyNode, f, `moment key "${e.key}" must be a feature of the data variable(s) ${variables.join(', ')}`);
          continue;
        }
        const canon = canonicalFeature(key);
        if (moments.has(canon)) ctx.err(e.keyNode, f, `duplicate moment key "${canon}"`);
        else moments.set(canon, val);
      }
    }
  }

  // fisher
  let fisher: FamilySpec['fisher'] = null;
  const fiE = get(top, 'fisher');
  if (fiE) fisher = parseFisher(ctx, fiE.value, fiE.keyNode, syms, paramsOk ? params.length : -1);

  // sampler
  let sampler: SamplerSpec | null = null;
  const saE = get(top, 'sampler');
  if (saE) sampler = parseSampler(ctx, saE.value, saE.keyNode, syms, variables.length);

  // mle (closed form)
  let mle: MleSpec | null = null;
  const mleE = get(top, 'mle');
  if (mleE) mle = parseMle(ctx, mleE.value, mleE.keyNode, params, Object.keys(constants), variables);

  if (ctx.problems.length > 0 || !logDensity || !support) {
    if (ctx.problems.length === 0) ctx.err(root, undefined, 'invalid family file');
    throw new FamilyError(ordered(ctx.problems));
  }
  return {
    name,
    title,
    file,
    params,
    constraints,
    constants: Object.freeze({ ...constants }),
    variables,
    support,
    breakpoints,
    logDensity,
    logDensityLine: ldE ? ctx.loc(ldE.value ?? ldE.keyNode).line : undefined,
    logDensityCases,
    expfam,
    moments,
    fisher,
    sampler,
    normalizer,
    mle,
    notes,
    locations: Object.freeze({ ...ctx.textLocations }),
  };
}

const NORMALIZER_KEYS = ['name', 'sum', 'over', 'index'];

/** `normalizer: { name: Z, sum: "<term in j>", over: nonnegint | {integers: [lo, hi]}, index: j }`. */
function parseNormalizer(
  ctx: Ctx,
  node: YamlNode | null,
  syms: Symbols,
  declare: (n: string, node: YamlNode | null, field: string, what: string) => boolean,
): NormalizerSpec | null {
  const f = 'normalizer';
  if (!isMap(node)) {
    ctx.err(node, f, `must be a map {name, sum, over, index}, got ${describe(node)}`);
    return null;
  }
  const es = entries(ctx, node, f);
  checkKeys(ctx, node, es, NORMALIZER_KEYS, f, ['name', 'sum', 'over']);
  const nE = get(es, 'name');
  const iE = get(es, 'index');
  const name = nE ? scalarString(ctx, nE.value, `${f}.name`) : null;
  const index = iE ? scalarString(ctx, iE.value, `${f}.index`) : 'j';
  const nameOk = name !== null && declare(name, nE!.value, `${f}.name`, 'normalizer');
  const indexOk = index !== null && declare(index, iE ? iE.value : node, `${f}.index`, 'summation index');
  let over: NormalizerSpec['over'] | null = null;
  const oE = get(es, 'over');
  if (oE) {
    const s = parseSupport(ctx, oE.value, 1);
    if (s && s.kind === 'nonnegint') over = { kind: 'nonnegint' };
    else if (s && s.kind === 'integers') over = s;
    else if (s) ctx.err(oE.value, `${f}.over`, 'must be nonnegint or {integers: [lo, hi]}');
  }
  let term: Expr | null = null;
  const sE = get(es, 'sum');
  if (sE && indexOk) {
    const inTerm: Symbols = { theta: new Set([...syms.theta, index!]), all: new Set([...syms.theta, index!]), variables: syms.variables };
    term = parseExpr(ctx, sE.value, `${f}.sum`, inTerm, false);
  }
  if (!nameOk || !indexOk || !over || !term) return null;
  return { name: name!, index: index!, term, over };
}

/** The normaliser may appear in the log-density only as log(Z) (derive keeps log Z as one symbol). */
function checkNormalizerUse(ctx: Ctx, node: YamlNode | null, l: Expr, z: string): void {
  let bad = false;
  let seen = false;
  l.traverse((n, _path, parent) => {
    const a = n as Expr & { type: string; name?: string };
    if (a.type !== 'SymbolNode' || a.name !== z) return;
    const p = parent as (Expr & { type: string; fn?: { name?: string }; args?: Expr[] }) | null;
    if (p && p.type === 'FunctionNode' && p.fn?.name === 'log' && p.args?.length === 1) seen = true;
    else if (!(p && p.type === 'FunctionNode' && (p.fn as unknown) === n)) bad = true;
  });
  if (bad) ctx.err(node, 'logDensity', `the normalizer "${z}" may appear only as log(${z}), e.g. "… - log(${z})"`);
  else if (!seen) ctx.err(node, 'logDensity', `the normalizer "${z}" is declared but the log-density does not use log(${z})`);
}

/** First line of a yaml error message, without its trailing " at line L, column C:". */
function firstLine(s: string): string {
  return s.split('\n')[0].replace(/\s+at line \d+, column \d+:?\s*$/, '');
}

function isDiscrete(s: SupportSpec): boolean {
  return s.kind === 'nonnegint' || s.kind === 'integers' || s.kind === 'finite';
}

function optionalExprList(ctx: Ctx, e: Entry | undefined, field: string, syms: Symbols, dataAllowed: boolean): Expr[] {
  if (!e || e.value === null || (isScalar(e.value) && e.value.value === null)) return [];
  const list = parseExprList(ctx, e.value, field, syms, dataAllowed);
  return allOk(list) ? list : [];
}

/**
 * A support written with bounds that name a parameter ({interval: [xm, inf]}, {integers: [0, n]} with
 * n a parameter): reported as a non-regular family. Returns true when such a bound was found.
 */
function nonRegularSupport(ctx: Ctx, node: YamlNode, paramNames: ReadonlySet<string>): boolean {
  if (!isMap(node)) return false;
  let found = false;
  for (const it of node.items) {
    const key = isScalar(it.key) ? String(it.key.value) : '';
    if (!isSeq(it.value)) continue;
    for (const b of (it.value as YAMLSeq).items as (YamlNode | null)[]) {
      const v = isScalar(b) ? b.value : undefined;
      if (typeof v !== 'string') continue;
      const used = (v.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).filter((w) => paramNames.has(w));
      if (used.length === 0) continue;
      found = true;
      ctx.err(
        b,
        `support.${key}`,
        `the support bound "${v}" depends on the parameter ${[...new Set(used)].join(', ')}: the family is non-regular ` +
          `(its support moves with θ, as for Pareto with x_m free), and Fisher geometry needs a parameter-free support ` +
          `(the Fisher information, Cramér–Rao bound and metric are undefined there); fix the bound as a constant ` +
          `(constants: {${used[0]}: ...}) or drop that parameter`,
      );
    }
  }
  return found;
}

function parseSupport(ctx: Ctx, node: YamlNode | null, nvars: number, paramNames: ReadonlySet<string> = new Set()): SupportSpec | null {
  const f = 'support';
  let s: SupportSpec | null = null;
  if (node && nonRegularSupport(ctx, node, paramNames)) return null;
  if (isMap(node)) {
    // {interval: [lo, hi]} with constant bounds: the three intervals infogeo integrates over.
    const es0 = node.items;
    if (es0.length === 1 && isScalar(es0[0].key) && es0[0].key.value === 'interval') {
      const items = seqItems(ctx, es0[0].value as YamlNode, `${f}.interval`);
      if (!items) return null;
      const txt = items.map((it) => (isScalar(it) ? String(it.value).replace(/\s+/g, '').toLowerCase() : '?'));
      const inf = (t: string) => t === 'inf' || t === '+inf' || t === 'infinity' || t === '.inf';
      const minf = (t: string) => t === '-inf' || t === '-infinity' || t === '-.inf';
      const kind = txt.length !== 2 ? null : minf(txt[0]) && inf(txt[1]) ? 'real' : txt[0] === '0' && inf(txt[1]) ? 'positive' : txt[0] === '0' && txt[1] === '1' ? 'unit' : null;
      if (!kind) {
        ctx.err(node, `${f}.interval`, `interval [${txt.join(', ')}] is not supported: use [-inf, inf], [0, inf] or [0, 1] (shift or scale the data variable to one of them)`);
        return null;
      }
      s = { kind };
    }
  }
  if (s) {
    // handled above
  } else if (isScalar(node) && typeof node.value === 'string') {
    const k = node.value;
    if (k === 'real' || k === 'positive' || k === 'unit' || k === 'circle' || k === 'nonnegint' || k === 'simplex') {
      s = { kind: k };
    } else if (k === 'integers' || k === 'finite') {
      ctx.err(node, f, `support "${k}" needs values: write {${k}: [...]}`);
      return null;
    } else {
      ctx.err(node, f, `unknown support "${k}" (allowed: ${SUPPORT_KINDS.join(', ')})`);
      return null;
    }
  } else if (isMap(node)) {
    const es = entries(ctx, node, f);
    if (es.length !== 1 || (es[0].key !== 'integers' && es[0].key !== 'finite')) {
      ctx.err(node, f, 'a support map must be {integers: [lo, hi]}, {finite: [v1, v2, ...]} or {interval: [lo, hi]}');
      return null;
    }
    const { key, value } = es[0];
    const items = seqItems(ctx, value, `${f}.${key}`);
    if (!items) return null;
    const nums: number[] = [];
    items.forEach((it, i) => {
      const v = isScalar(it) ? it.value : undefined;
      // integers: [lo, .inf] (or [-.inf, hi]) is a half-infinite range, e.g. the positive integers.
      const inf = key === 'integers' && (v === (i === 0 ? -Infinity : Infinity));
      if (typeof v !== 'number' || !(Number.isFinite(v) || inf)) ctx.err(it, `${f}.${key}[${i}]`, `must be a finite number, got ${describe(it)}`);
      else nums.push(v);
    });
    if (nums.length !== items.length) return null;
    if (key === 'integers') {
      if (nums.length !== 2 || !nums.every((v) => Number.isInteger(v) || !Number.isFinite(v)) || nums[0] > nums[1]) {
        ctx.err(value, `${f}.integers`, 'must be [lo, hi] with integers lo ≤ hi (hi may be .inf, or lo -.inf)');
        return null;
      }
      s = { kind: 'integers', lo: nums[0], hi: nums[1] };
    } else {
      if (nums.length < 2) {
        ctx.err(value, `${f}.finite`, 'needs at least two values');
        return null;
      }
      if (new Set(nums).size !== nums.length) {
        ctx.err(value, `${f}.finite`, 'values must be distinct');
        return null;
      }
      s = { kind: 'finite', values: nums };
    }
  } else {
    ctx.err(node, f, `must be a support keyword or map, got ${describe(node)}`);
    return null;
  }
  if (nvars > 0) {
    if (s.kind === 'simplex' && nvars < 2) {
      ctx.err(node, f, 'simplex support needs at least two variables (x1, ..., x_{k-1}; the last coordinate is 1 − Σ)');
      return null;
    }
    if (nvars > 1 && s.kind !== 'real' && s.kind !== 'positive' && s.kind !== 'unit' && s.kind !== 'simplex') {
      ctx.err(node, f, `support "${s.kind}" takes a single data variable, got ${nvars}`);
      return null;
    }
  }
  return s;
}

function supportValues(s: SupportSpec | null): number[] | null {
  if (!s) return null;
  if (s.kind === 'finite') return [...s.values];
  if (s.kind === 'integers') {
    if (s.hi - s.lo > 200) return null;
    const out: number[] = [];
    for (let k = s.lo; k <= s.hi; k++) out.push(k);
    return out;
  }
  return null;
}

function numText(v: number): string {
  return v < 0 ? `(${String(v)})` : String(v);
}

/**
 * Per-outcome log-pmf → Σ_v L_v(x)·l_v with L_v(x) = Π_{w≠v} (x − w)/(v − w), built as text and
 * parsed through the whitelist.
 */
function parseCases(
  ctx: Ctx,
  node: YAMLMap,
  anchor: YamlNode,
  support: SupportSpec | null,
  variables: string[],
  syms: Symbols,
): { cases: Map<number, Expr>; combined: Expr } | null {
  const f = 'logDensity';
  const values = supportValues(support);
  if (!values) {
    ctx.err(anchor, f, 'a per-outcome log-pmf map needs a finite support ({finite: [...]} or {integers: [lo, hi]}, at most 201 values)');
    return null;
  }
  if (variables.length !== 1) {
    ctx.err(anchor, f, 'a per-outcome log-pmf map needs exactly one data variable');
    return null;
  }
  const cases = new Map<number, Expr>();
  const texts = new Map<number, string>();
  let ok = true;
  for (const e of entries(ctx, node, f)) {
    const v = Number(e.key);
    const fk = `${f}[${e.key}]`;
    if (e.key.trim() === '' || !Number.isFinite(v) || !values.includes(v)) {
      ctx.err(e.keyNode, fk, `outcome ${e.key} is not in the support {${values.join(', ')}}`);
      ok = false;
      continue;
    }
    if (cases.has(v)) {
      ctx.err(e.keyNode, fk, `outcome ${e.key} is listed twice`);
      ok = false;
      continue;
    }
    const expr = parseExpr(ctx, e.value, fk, syms, true);
    if (!expr) {
      ok = false;
      continue;
    }
    cases.set(v, expr);
    texts.set(v, exprText(ctx, e.value, fk)!);
  }
  const missing = values.filter((v) => !cases.has(v));
  if (missing.length > 0) {
    ctx.err(anchor, f, `missing log-pmf for outcome(s) ${missing.join(', ')}`);
    ok = false;
  }
  if (!ok) return null;
  const x = variables[0];
  const terms = values.map((v) => {
    const factors = values.filter((w) => w !== v).map((w) => `((${x} - ${numText(w)}) / ${numText(v - w)})`);
    return `${factors.join(' * ')} * (${texts.get(v)})`;
  });
  // Generated from cases that each passed the expression budgets: the combination (k terms of k
  // factors, k ≤ 32 outcomes) gets budgets scaled by the number of outcomes.
  const k = values.length;
  const B = EXPRESSION_BUDGET;
  const scaled = { chars: k * (B.chars + 20 * k), nodes: k * (B.nodes + 8 * k), depth: B.depth + 2 * k + 8, terms: Math.max(B.terms, k + 1) };
  const r = tryParseExpression(terms.join(' + '), syms.all, ctx.loc(anchor, f), undefined, scaled);
  if (!r.ok) {
    ctx.problems.push(...r.problems);
    return null;
  }
  return { cases, combined: r.expr };
}

function parseExpfam(ctx: Ctx, node: YamlNode | null, anchor: YamlNode, syms: Symbols): ExpFamSpec | null {
  const f = 'expfam';
  if (!isMap(node)) {
    ctx.err(node ?? anchor, f, `must be a map {eta, T, A, ET, base}, got ${describe(node)}`);
    return null;
  }
  const es = entries(ctx, node, f);
  checkKeys(ctx, anchor, es, ['eta', 'T', 'A', 'ET', 'base'], f, ['eta', 'T', 'A', 'ET']);
  const etaE = get(es, 'eta');
  const tE = get(es, 'T');
  const aE = get(es, 'A');
  const etE = get(es, 'ET');
  const bE = get(es, 'base');
  const eta = etaE ? parseExprList(ctx, etaE.value, `${f}.eta`, syms, false) : null;
  const T = tE ? parseExprList(ctx, tE.value, `${f}.T`, syms, true) : null;
  const A = aE ? parseExpr(ctx, aE.value, `${f}.A`, syms, false) : null;
  const ET = etE ? parseExprList(ctx, etE.value, `${f}.ET`, syms, false) : null;
  const baseExpr = bE ? parseExpr(ctx, bE.value, `${f}.base`, syms, true) : zero();
  if (eta && T && eta.length !== T.length) {
    ctx.err(tE!.value, `${f}.T`, `T has ${T.length} entries but eta has ${eta.length}`);
  }
  if (eta && ET && eta.length !== ET.length) {
    ctx.err(etE!.value, `${f}.ET`, `ET has ${ET.length} entries but eta has ${eta.length}`);
  }
  if (eta && eta.length === 0) ctx.err(etaE!.value, `${f}.eta`, 'needs at least one natural parameter');
  if (!allOk(eta) || !allOk(T) || !A || !allOk(ET) || !baseExpr) return null;
  if (eta.length !== T.length || eta.length !== ET.length || eta.length === 0) return null;
  return { eta, T, A, ET, base: baseExpr };
}

function zero(): Expr {
  const r = tryParseExpression('0', new Set(), { file: '' });
  if (!r.ok) throw new Error('unreachable: cannot parse 0');
  return r.expr;
}

function parseFisher(ctx: Ctx, node: YamlNode | null, anchor: YamlNode, syms: Symbols, dim: number): FamilySpec['fisher'] {
  const f = 'fisher';
  if (!isMap(node)) {
    ctx.err(node ?? anchor, f, `must be a map {matrix, source}, got ${describe(node)}`);
    return null;
  }
  const es = entries(ctx, node, f);
  checkKeys(ctx, anchor, es, ['matrix', 'source'], f, ['matrix', 'source']);
  const srcE = get(es, 'source');
  const source = srcE ? texSafe(ctx, srcE.value, `${f}.source`, 'multiline', scalarString(ctx, srcE.value, `${f}.source`)) : null;
  if (source !== null && source.trim() === '') ctx.err(srcE!.value, `${f}.source`, 'must cite a source (book, paper, derivation)');
  const mE = get(es, 'matrix');
  if (!mE) return null;
  const rows = seqItems(ctx, mE.value, `${f}.matrix`);
  if (!rows) return null;
  if (dim >= 0 && rows.length !== dim) ctx.err(mE.value, `${f}.matrix`, `must have ${dim} rows (one per parameter), got ${rows.length}`);
  const matrix: Expr[][] = [];
  const texts: string[][] = [];
  let ok = true;
  rows.forEach((row, i) => {
    const cells = seqItems(ctx, row, `${f}.matrix[${i}]`);
    if (!cells) {
      ok = false;
      return;
    }
    if (dim >= 0 && cells.length !== dim) {
      ctx.err(row, `${f}.matrix[${i}]`, `must have ${dim} entries, got ${cells.length}`);
      ok = false;
    }
    const r: Expr[] = [];
    const t: string[] = [];
    cells.forEach((c, j) => {
      const e = parseExpr(ctx, c, `${f}.matrix[${i}][${j}]`, syms, false);
      if (!e) ok = false;
      else {
        r.push(e);
        t.push(canonicalFeature(e));
      }
    });
    matrix.push(r);
    texts.push(t);
  });
  if (!ok || source === null || (dim >= 0 && rows.length !== dim)) return null;
  for (let i = 0; i < matrix.length; i++) {
    for (let j = 0; j < i; j++) {
      if (texts[i][j] !== texts[j][i]) {
        ctx.err(mE.value, `${f}.matrix[${i}][${j}]`, `the matrix must be symmetric: [${i}][${j}] = "${texts[i][j]}" but [${j}][${i}] = "${texts[j][i]}" (write both the same way)`);
        ok = false;
      }
    }
  }
  return ok ? { matrix, source } : null;
}

/** Random inputs of a transform sampler: u, u1…u9 ~ U(0, 1) (open), z, z1…z9 ~ N(0, 1). */
const RANDOM_INPUT = /^[uz][1-9]?$/;

function parseSampler(ctx: Ctx, node: YamlNode | null, anchor: YamlNode, syms: Symbols, nvars: number): SamplerSpec | null {
  const f = 'sampler';
  if (!isMap(node)) {
    ctx.err(node ?? anchor, f, `must be a map {method, args} or {transform}, got ${describe(node)}`);
    return null;
  }
  const es = entries(ctx, node, f);
  if (get(es, 'transform')) return parseTransform(ctx, node, anchor, es, syms, nvars);
  checkKeys(ctx, anchor, es, ['method', 'args'], f, ['method', 'args']);
  const mE = get(es, 'method');
  const aE = get(es, 'args');
  const method = mE ? scalarString(ctx, mE.value, `${f}.method`) : null;
  const args = aE ? parseExprList(ctx, aE.value, `${f}.args`, syms, false) : null;
  let ok = method !== null && allOk(args);
  if (method !== null) {
    if (!Object.hasOwn(SAMPLER_ARITY, method)) {
      ctx.err(mE!.value, `${f}.method`, `unknown sampler "${method}" (allowed: ${Object.keys(SAMPLER_ARITY).join(', ')}; or write {transform: "<expression in u, z>"})`);
      ok = false;
    } else if (args) {
      const arity = SAMPLER_ARITY[method];
      if (arity === -1 ? args.length < 2 : args.length !== arity) {
        const want = arity === -1 ? 'at least 2' : String(arity);
        ctx.err(aE!.value, `${f}.args`, `sampler "${method}" takes ${want} argument(s), got ${args.length}`);
        ok = false;
      }
    }
  }
  return ok ? { kind: 'builtin', method: method!, args: args as Expr[] } : null;
}

/**
 * `sampler: {transform: "<expr>"}` (one data variable) or `{transform: ["<expr1>", ...]}` (one per
 * variable): whitelisted expressions of θ, constants and random inputs u… ~ U(0,1), z… ~ N(0,1).
 */
function parseTransform(ctx: Ctx, node: YamlNode, anchor: YamlNode, es: Entry[], syms: Symbols, nvars: number): SamplerSpec | null {
  const f = 'sampler.transform';
  checkKeys(ctx, anchor, es, ['transform'], 'sampler');
  const tE = get(es, 'transform')!;
  const inputs = ['u', ...'123456789'.split('').map((d) => `u${d}`), 'z', ...'123456789'.split('').map((d) => `z${d}`)].filter((n) => !syms.all.has(n));
  const allowed = new Set([...syms.theta, ...inputs]);
  const items: (YamlNode | null)[] = isSeq(tE.value) ? ((tE.value as YAMLSeq).items as (YamlNode | null)[]) : [tE.value];
  if (nvars > 0 && items.length !== nvars) {
    ctx.err(tE.value ?? node, f, `needs one expression per data variable (${nvars}), got ${items.length}`);
    return null;
  }
  const exprs: Expr[] = [];
  let ok = true;
  items.forEach((it, i) => {
    const field = items.length > 1 ? `${f}[${i}]` : f;
    const text = exprText(ctx, it, field);
    if (text === null) return void (ok = false);
    const r = tryParseExpression(text, allowed, ctx.loc(it, field), syms.variables);
    if (!r.ok) {
      ctx.problems.push(...r.problems);
      ok = false;
      return;
    }
    exprs.push(r.expr);
  });
  if (!ok) return null;
  const used = new Set<string>();
  for (const e of exprs) for (const s of symbolsOf(e)) if (RANDOM_INPUT.test(s) && !syms.all.has(s)) used.add(s);
  if (used.size === 0) {
    ctx.err(tE.value ?? node, f, 'a transform must use at least one random input: u (uniform on (0, 1)) or z (standard normal), or u1…u9, z1…z9');
    return null;
  }
  return { kind: 'transform', transform: exprs, inputs: [...used].sort() };
}

/** Sample statistics allowed in an `mle:` block, with their arity. */
const STATISTICS: ReadonlyMap<string, number> = new Map([['mean', 1], ['var', 1], ['cov', 2], ['median', 1]]);

/**
 * `mle: {param: "<expression of statistics>", ...}`: a closed-form maximum-likelihood estimator,
 * one entry per parameter. Statistics mean(f), var(f), cov(f, g), median(f) take whitelisted
 * expressions of the data variables and constants (and may nest: `mean(abs(x - median(x)))`);
 * outside them only constants may appear. Each statistic becomes a symbol `__sK`.
 */
function parseMle(ctx: Ctx, node: YamlNode | null, anchor: YamlNode, params: ParamSpec[], constants: string[], variables: string[]): MleSpec | null {
  const f = 'mle';
  if (!isMap(node)) {
    ctx.err(node ?? anchor, f, `must be a map parameter: "expression of sample statistics", got ${describe(node)}`);
    return null;
  }
  const es = entries(ctx, node, f);
  const names = params.map((p) => p.name);
  checkKeys(ctx, anchor, es, names, f, names);
  const stats: StatSpec[] = [];
  const statKeys = new Map<string, number>();
  const estimates: (Expr | null)[] = names.map(() => null);
  const consts = new Set(constants);
  const dataNames = new Set([...constants, ...variables]);
  for (const e of es) {
    const k = names.indexOf(e.key);
    if (k < 0) continue;
    const field = `${f}.${e.key}`;
    const text = exprText(ctx, e.value, field);
    if (text === null) continue;
    const loc = ctx.loc(e.value, field);
    let tree: MathNode;
    try {
      tree = mathParse(text);
    } catch (err) {
      ctx.err(e.value, field, `cannot parse expression "${text}": ${(err as Error).message}`);
      continue;
    }
    let bad = false;
    tree.traverse((n) => {
      if (n.type === 'SymbolNode' && (n as SymbolNode).name.startsWith('__')) bad = true;
    });
    if (bad) {
      ctx.err(e.value, field, 'names starting with "__" are reserved');
      continue;
    }
    const problemsBefore = ctx.problems.length;
    const rewrite = (n: MathNode): MathNode => {
      if (n.type === 'FunctionNode') {
        const fnNode = n as FunctionNode;
        const name = (fnNode.fn as unknown as { name?: string }).name;
        if (name !== undefined && STATISTICS.has(name)) {
          const arity = STATISTICS.get(name)!;
          if (fnNode.args.length !== arity) {
            ctx.err(e.value, field, `statistic ${name}() takes ${arity} argument(s), got ${fnNode.args.length}`);
            return new SymbolNode('__bad');
          }
          const args: Expr[] = [];
          const earlier = new Set([...dataNames, ...stats.map((_, i) => `__s${i}`)]);
          for (const a of fnNode.args) {
            const inner = rewrite(a);
            const r = tryParseExpression(inner.toString(), earlier, loc, new Set(names));
            if (!r.ok) {
              ctx.problems.push(...r.problems);
              return new SymbolNode('__bad');
            }
            args.push(r.expr);
          }
          if (!args.some((a) => [...symbolsOf(a)].some((s) => variables.includes(s) || s.startsWith('__s')))) {
            ctx.err(e.value, field, `statistic ${name}(${args.map((a) => a.toString()).join(', ')}) does not depend on the data`);
          }
          const key = `${name}(${args.map((a) => canonicalFeature(a)).join(', ')})`;
          let idx = statKeys.get(key);
          if (idx === undefined) {
            idx = stats.length;
            stats.push({ kind: name as StatSpec['kind'], args });
            statKeys.set(key, idx);
          }
          return new SymbolNode(`__s${idx}`);
        }
      }
      return n.map((c) => rewrite(c));
    };
    const outer = rewrite(tree);
    if (ctx.problems.length > problemsBefore) continue;
    const allowed = new Set([...consts, ...stats.map((_, i) => `__s${i}`)]);
    const r = tryParseExpression(outer.toString(), allowed, loc, new Set([...variables, ...names]));
    if (!r.ok) {
      ctx.problems.push(...r.problems.map((p) => ({ ...p, message: p.message.replace(/must not depend on the data variable "(\w+)" \(only on parameters and constants\)/, 'uses "$1" outside a statistic: write mean(...), var(...), cov(..., ...) or median(...)') })));
      continue;
    }
    estimates[k] = r.expr;
  }
  if (estimates.some((x) => x === null)) return null;
  return { stats, estimates: estimates as Expr[] };
}
