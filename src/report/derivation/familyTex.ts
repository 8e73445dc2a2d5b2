/**
 * The last gate before family text (title, notes, `params[].tex`, `fisher.source`) is put into LaTeX or HTML:
 * the declare-stage TeX whitelist again (a FamilySpec may be built in code, bypassing parseFamily), then KaTeX on
 * every math piece. Any failure is a {@link FamilyError} naming the file, line and field — never an internal error,
 * and never TeX that reaches pdflatex unchecked.
 */
import katex from 'katex';
import { FamilyError, type FamilyProblem } from '../../core/errors.js';
import { checkFamilyText, excerpt, familyTextFields, mathSegments } from '../../declare/texWhitelist.js';
import type { FamilySpec } from '../../declare/types.js';

/**
 * Throws a FamilyError listing every family text field that fails the TeX whitelist or that KaTeX cannot parse.
 * @example assertFamilyTexSafe(spec)  // returns quietly for every built-in family
 */
export function assertFamilyTexSafe(spec: FamilySpec): void {
  const problems: FamilyProblem[] = [];
  for (const f of familyTextFields(spec)) {
    const loc = spec.locations?.[f.field];
    const at = { file: spec.file, ...(loc ? { line: loc.line, column: loc.column } : {}), field: f.field };
    const problem = checkFamilyText(f.kind, f.text);
    if (problem) {
      problems.push({ ...at, message: problem });
      continue;
    }
    const m = f.kind === 'math' ? { segments: [f.text] } : mathSegments(f.text);
    for (const seg of 'segments' in m ? m.segments : []) {
      try {
        katex.renderToString(seg, { throwOnError: true, strict: 'ignore' });
      } catch (e) {
        const msg = String((e as Error)?.message ?? e).split('\n')[0].slice(0, 120);
        problems.push({ ...at, message: `KaTeX cannot render ${excerpt(seg)}: ${msg}` });
      }
    }
  }
  if (problems.length) throw new FamilyError(problems);
}

/**
 * A parameter's TeX as one atom: braces around it when it carries a top-level superscript or prime, so that
 * the printer can append `^{2}` or `'` without a double superscript (`{\sigma^2}^{2}`, not `\sigma^2^{2}`).
 */
export function atomTex(tex: string): string {
  let depth = 0;
  for (let i = 0; i < tex.length; i++) {
    const c = tex[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (depth === 0 && (c === '^' || c === "'")) return `{${tex}}`;
  }
  return tex;
}
