/**
 * The bad-input corpus (test/bad-families/*.yaml): every file is rejected with a FamilyError whose
 * message names the file, the line of the defect (marked `# BAD` in the file) and the field path.
 * test/bad-families/unnormalized.yaml is the exception: it is well-formed (the numeric `check`
 * stage catches it), so it must load.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FamilyError } from '../../src/core/errors.js';
import { loadFamily } from '../../src/node/loadFamily.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'bad-families');

/** file → [field path (null: YAML-level error without a field), message pattern]. */
const CASES: Readonly<Record<string, [string | null, RegExp]>> = {
  'accessor.yaml': ['logDensity', /AccessorNode/],
  'alias.yaml': ['notes', /aliases/],
  'array.yaml': ['logDensity', /ArrayNode/],
  'assignment.yaml': ['logDensity', /AssignmentNode/],
  'bad-name.yaml': ['name', /must be an identifier/],
  'block.yaml': ['logDensity', /BlockNode/],
  'builtin-name.yaml': ['params[0].name', /collides with the built-in constant e/],
  'comparison.yaml': ['logDensity', /operator "==" \(equal\) is not allowed/],
  'computed-callee.yaml': ['logDensity', /implicit multiplication|used as a value/],
  'conditional.yaml': ['logDensity', /ConditionalNode/],
  'constraint-depends-on-x.yaml': ['constraints[0]', /must not depend on the data variable "x"/],
  'constructor.yaml': ['logDensity', /unknown symbol "constructor"/],
  'duplicate-key.yaml': [null, /Map keys must be unique/],
  'duplicate-name.yaml': ['variables[0]', /duplicate name "mu"/],
  'empty-title.yaml': ['title', /must be a string, got null/],
  'eta-depends-on-x.yaml': ['expfam.eta[1]', /must not depend on the data variable "x"/],
  'evaluate.yaml': ['logDensity', /unknown function "evaluate"/],
  'expfam-length.yaml': ['expfam.T', /T has 1 entries but eta has 2/],
  'factorial.yaml': ['logDensity', /operator "!" \(factorial\)/],
  'fisher-asymmetric.yaml': ['fisher.matrix[1][0]', /must be symmetric/],
  'fisher-no-source.yaml': ['fisher.source', /missing required field "source"/],
  'function-assignment.yaml': ['logDensity', /FunctionAssignmentNode/],
  'function-name.yaml': ['params[0].name', /collides with the function lgamma\(\)/],
  'has-own-property.yaml': ['logDensity', /unknown function "hasOwnProperty"/],
  'implicit-multiplication.yaml': ['logDensity', /implicit multiplication "2 sigma"/],
  'import.yaml': ['logDensity', /unknown function "import"/],
  'index.yaml': ['logDensity', /AccessorNode/],
  'malformed-yaml.yaml': [null, /YAML syntax error/],
  'many-problems.yaml': ['params[1].domain', /unknown domain "positiv"/],
  'missing-field.yaml': ['logDensity', /missing required field "logDensity"/],
  'missing-outcome.yaml': ['logDensity', /missing log-pmf for outcome\(s\) 3/],
  'moment-depends-on-x.yaml': ['moments["x"]', /must not depend on the data variable "x"/],
  'object.yaml': ['logDensity', /ObjectNode/],
  'overflow.yaml': ['logDensity', /non-finite number Infinity/],
  'polygamma-order.yaml': ['logDensity', /argument 1 of "polygamma" must be a non-negative integer constant/],
  'proto.yaml': ['logDensity', /unknown function "__proto__"/],
  'range.yaml': ['logDensity', /RangeNode/],
  'sampler-arity.yaml': ['sampler.args', /sampler "normal" takes 2 argument\(s\), got 3/],
  'sampler-unknown.yaml': ['sampler.method', /unknown sampler "gaussian"/],
  'string.yaml': ['logDensity', /string literal "abc"/],
  'unit-name.yaml': ['logDensity', /unknown symbol "cm"/],
  'unknown-field.yaml': ['moment', /unknown field "moment"/],
  'unknown-function.yaml': ['logDensity', /unknown function "gammaln"/],
  'unknown-support.yaml': ['support', /unknown support "reals"/],
  'support-depends-on-parameter.yaml': ['support.interval', /depends on the parameter xm: the family is non-regular.*parameter-free support/],
  'unknown-symbol.yaml': ['logDensity', /unknown symbol "s"/],
  'unused-parameter.yaml': ['logDensity', /parameter "sigma" does not appear/],
  'value-of.yaml': ['logDensity', /unknown function "valueOf"/],
  'wrong-arity.yaml': ['logDensity', /function "log" takes 1 argument\(s\), got 2/],
  'wrong-domain.yaml': ['params[1].domain', /unknown domain "positiv"/],
  'x-in-sampler.yaml': ['sampler.args[1]', /must not depend on the data variable "x"/],
  'yaml-tag.yaml': [null, /Unresolved tag/],
};

/**
 * Text that reaches LaTeX/HTML (params[].tex, `$…$` in title/notes/fisher.source) must pass the TeX whitelist
 * (src/declare/texWhitelist.ts); messages quote at most a short excerpt of the input.
 */
const OUTPUT_SAFETY_CASES: Readonly<Record<string, [string | null, RegExp]>> = {
  'tex-input.yaml': ['params[0].tex', /TeX macro \\input is not allowed/],
  'tex-openout.yaml': ['notes', /TeX macro \\immediate is not allowed/],
  'tex-catcode.yaml': ['params[0].tex', /TeX macro \\catcode is not allowed/],
  'tex-def.yaml': ['title', /TeX macro \\def is not allowed/],
  'tex-newcommand.yaml': ['params[0].tex', /TeX macro \\newcommand is not allowed/],
  'tex-csname.yaml': ['params[0].tex', /TeX macro \\csname is not allowed/],
  'tex-caret-escape.yaml': ['params[0].tex', /\^\^ character escapes are not allowed/],
  'tex-unbalanced.yaml': ['params[0].tex', /unbalanced "\{"/],
  'tex-close-brace.yaml': ['params[0].tex', /unbalanced "\}"/],
  'tex-comment.yaml': ['params[0].tex', /comments \(%\) are not allowed/],
  'tex-hash.yaml': ['params[0].tex', /parameter character # is not allowed/],
  'tex-unknown-macro.yaml': ['params[0].tex', /TeX macro \\href is not allowed/],
  'tex-double-script.yaml': ['params[0].tex', /double superscript/],
  'tex-empty.yaml': ['params[0].tex', /must not be empty/],
  'tex-special.yaml': ['notes', /TeX macro \\special is not allowed/],
  'tex-too-long.yaml': ['params[0].tex', /longer than 200 characters/],
  'tex-too-deep.yaml': ['params[0].tex', /nested deeper than/],
  'tex-line-break.yaml': ['params[0].tex', /control symbol \\\\ is not allowed/],
  'source-write.yaml': ['fisher.source', /TeX macro \\immediate is not allowed/],
  'notes-dollar.yaml': ['notes', /unmatched \$/],
  'notes-display.yaml': ['notes', /empty math \$\$/],
  'title-control.yaml': ['title', /control or invisible character U\+001B/],
  'title-bidi.yaml': ['title', /control or invisible character U\+202E/],
  'title-newline.yaml': ['title', /control or invisible character U\+000A/],
  'not-a-family.yaml': [null, /not a family file/],
  'long-name.yaml': ['name', /must be an identifier/],
};
const ALL_CASES = { ...CASES, ...OUTPUT_SAFETY_CASES };

function badLine(file: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => /#\s*BAD\b/.test(l));
  if (i < 0) throw new Error(`${file} has no line marked # BAD`);
  return i + 1;
}

function failure(file: string): FamilyError {
  try {
    loadFamily(file);
  } catch (err) {
    if (err instanceof FamilyError) return err;
    throw err;
  }
  throw new Error(`${file} was accepted`);
}

describe('the bad-input corpus is rejected with file, line and field', () => {
  it('lists every corpus file in the table (and the table lists no missing file)', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml') && f !== 'unnormalized.yaml');
    expect(files.sort()).toEqual(Object.keys(ALL_CASES).sort());
  });

  for (const [name, [field, pattern]] of Object.entries(ALL_CASES)) {
    it(`rejects ${name}`, () => {
      const file = join(DIR, name);
      const line = badLine(file);
      const err = failure(file);
      const hit = err.problems.find((p) => pattern.test(p.message) && (field === null || p.field === field));
      expect(hit, `problems were:\n${err.message}`).toBeDefined();
      expect(hit!.file).toBe(file);
      expect(hit!.line).toBe(line);
      const head = `${file}:${line}:${hit!.column}${field === null ? '' : ` (field ${field})`}: `;
      expect(err.message).toContain(head + hit!.message);
      // Never an echo of the input: every message is short, and quotes at most 60 characters of it.
      for (const p of err.problems) expect(p.message.length, p.message).toBeLessThanOrEqual(601);
      expect(err.message).not.toContain('n'.repeat(100));
      expect(err.message).not.toContain('hunter2');
    });
  }

  it('reports every problem of a file at once, in line order', () => {
    const err = failure(join(DIR, 'many-problems.yaml'));
    const messages = err.problems.map((p) => `${p.field}: ${p.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^params\[1\]\.domain: unknown domain "positiv"/),
      expect.stringMatching(/^logDensity: unknown function "lgamm"/),
      expect.stringMatching(/^sampler\.args: sampler "normal" takes 2 argument\(s\), got 1/),
      expect.stringMatching(/^extra: unknown field "extra"/),
    ]);
    const lines = err.problems.map((p) => p.line!);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it('accepts the unnormalized density (normalization is checked numerically later)', () => {
    const spec = loadFamily(join(DIR, 'unnormalized.yaml'));
    expect(spec.name).toBe('unnormalized');
    expect(spec.params.map((p) => p.name)).toEqual(['mu', 'sigma']);
  });
});
