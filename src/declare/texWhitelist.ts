/**
 * Whitelist for TeX that a family file puts into LaTeX and HTML output: `params[].tex` and the `$…$` math inside
 * `title`, `notes` and `fisher.source`. A family file can never run code, and TeX is a programming language
 * (`\input`, `\openout`, `\write`, `\catcode`, `\def`, `^^` escapes …): so only a small math subset is accepted —
 * letters, digits, a few punctuation characters, balanced braces, `^`/`_` with an argument (no double scripts),
 * Greek letters, font and accent macros with their arguments, `\frac`/`\sqrt`, and a short list of symbols.
 * The subset is rendered by pdflatex (article + amsmath + amssymb) and by KaTeX alike.
 *
 * Free text outside `$…$` is escaped by the renderers (src/report); here it only has to be free of control
 * characters, and its `$` signs must pair up into non-empty math segments.
 *
 * Browser-safe: plain string processing, no KaTeX import.
 */

/** Most characters of one TeX field (a parameter symbol or one `$…$` segment). */
export const MAX_TEX_LENGTH = 200;
/** Deepest brace nesting accepted. */
const MAX_DEPTH = 8;
/** Longest title / fisher.source, and longest notes (characters). */
export const MAX_TITLE_LENGTH = 300;
export const MAX_NOTES_LENGTH = 20000;

const GREEK = [
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'varepsilon', 'zeta', 'eta', 'theta', 'vartheta', 'iota', 'kappa',
  'varkappa', 'lambda', 'mu', 'nu', 'xi', 'pi', 'varpi', 'rho', 'varrho', 'sigma', 'varsigma', 'tau', 'upsilon', 'phi',
  'varphi', 'chi', 'psi', 'omega', 'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Pi', 'Sigma', 'Upsilon', 'Phi', 'Psi', 'Omega',
];
const SYMBOLS = [
  'ell', 'partial', 'nabla', 'infty', 'cdot', 'cdots', 'ldots', 'dots', 'times', 'div', 'pm', 'mp', 'le', 'leq', 'ge',
  'geq', 'ne', 'neq', 'approx', 'sim', 'simeq', 'equiv', 'propto', 'to', 'in', 'notin', 'subset', 'mid', 'prime',
  'star', 'ast', 'circ', 'bullet', 'top', 'perp', 'langle', 'rangle', 'lvert', 'rvert', 'lVert', 'rVert', 'vert', 'Vert',
  'log', 'ln', 'exp', 'sin', 'cos', 'tan', 'sinh', 'cosh', 'tanh', 'det', 'min', 'max', 'sup', 'inf', 'lim', 'sum',
  'prod', 'int', 'hbar', 'imath', 'jmath', 'aleph', 'quad', 'qquad',
];
/** Macros with one argument (fonts, accents, root) and two (fractions, binomial). */
const ONE_ARG = [
  'mathrm', 'mathbf', 'mathit', 'mathsf', 'mathtt', 'mathcal', 'mathbb', 'mathfrak', 'boldsymbol', 'operatorname',
  'hat', 'bar', 'tilde', 'vec', 'dot', 'ddot', 'check', 'breve', 'acute', 'grave', 'widehat', 'widetilde', 'overline',
  'underline', 'sqrt',
];
const TWO_ARGS = ['frac', 'tfrac', 'dfrac', 'binom'];

/** Control word → number of arguments. */
export const TEX_MACROS: ReadonlyMap<string, number> = new Map([
  ...GREEK.map((m) => [m, 0] as const),
  ...SYMBOLS.map((m) => [m, 0] as const),
  ...ONE_ARG.map((m) => [m, 1] as const),
  ...TWO_ARGS.map((m) => [m, 2] as const),
]);
/** Control symbols: thin/medium/thick/negative space, control space, escaped braces, underscore, double bar. */
const CONTROL_SYMBOLS = new Set([',', ';', ':', '!', ' ', '{', '}', '_', '|']);
/** ASCII characters allowed as they are (besides letters, digits, spaces, braces and ^ _). */
const PUNCTUATION = new Set(Array.from("+-*/=<>()[],.;:!|'"));

/** Macros that are explicitly dangerous get a message saying why (the rest are just "not allowed"). */
const DANGEROUS = new Set([
  'input', 'include', 'includeonly', 'openin', 'openout', 'read', 'readline', 'write', 'immediate', 'closein', 'closeout',
  'catcode', 'lccode', 'uccode', 'def', 'edef', 'gdef', 'xdef', 'let', 'futurelet', 'newcommand', 'renewcommand',
  'providecommand', 'DeclareRobustCommand', 'csname', 'endcsname', 'expandafter', 'special', 'write18', 'jobname',
  'usepackage', 'RequirePackage', 'documentclass', 'begin', 'end', 'verbatiminput', 'lstinputlisting', 'includegraphics',
  'href', 'url', 'html', 'htmlClass', 'htmlId', 'htmlStyle', 'htmlData', 'input@path', 'scantokens', 'everyeof',
  'endinput', 'pdfprimitive', 'directlua', 'outer', 'long', 'global', 'makeatletter', 'newread', 'newwrite', 'loop',
]);

/** A short, quoted excerpt of offending input (at most `max` characters, control characters made visible). */
export function excerpt(s: string, max = 40): string {
  const visible = Array.from(s).map((c) => (/\p{Cc}/u.test(c) ? `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}` : c));
  const cut = visible.length > max ? visible.slice(0, max).join('') + '…' : visible.join('');
  return `"${cut.replace(/"/g, '\\"')}"`;
}

/** First control or invisible formatting character (bidi overrides, zero-width, NUL …), allowing `allowed`. */
function badChar(s: string, allowed = ''): string | null {
  for (const c of s) {
    if (allowed.includes(c)) continue;
    if (/[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Cn}\u2028\u2029]/u.test(c)) return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return null;
}

class TexError extends Error {}

/**
 * Checks one piece of math-mode TeX against the whitelist.
 * @returns null when it is safe, else the reason (one sentence, quoting at most a short excerpt).
 * @example checkMathTex('\\hat{\\sigma}_{1}')   // null
 * @example checkMathTex('\\input{/etc/passwd}') // 'TeX macro \\input is not allowed (it reads/writes files …)'
 */
export function checkMathTex(tex: string): string | null {
  if (tex.trim() === '') return 'TeX must not be empty';
  if (tex.length > MAX_TEX_LENGTH) return `TeX is longer than ${MAX_TEX_LENGTH} characters: ${excerpt(tex)}`;
  const ch = badChar(tex, '\n\t');
  if (ch) return `control or invisible character ${ch} is not allowed in TeX`;
  if (/\n[ \t]*\n/.test(tex)) return 'a blank line inside TeX math is not allowed (it ends the paragraph)';
  let i = 0;
  const peek = () => tex[i];
  const skipSpace = () => {
    while (i < tex.length && (tex[i] === ' ' || tex[i] === '\n' || tex[i] === '\t')) i++;
  };
  const fail = (msg: string): never => {
    throw new TexError(msg);
  };
  const readControl = (): { word: string; arity: number } => {
    // at a backslash
    i++;
    if (i >= tex.length) fail('TeX ends with a lone backslash');
    if (/[A-Za-z]/.test(tex[i])) {
      let w = '';
      while (i < tex.length && /[A-Za-z@]/.test(tex[i])) w += tex[i++];
      const arity = TEX_MACROS.get(w);
      if (arity === undefined || w.includes('@')) {
        if (DANGEROUS.has(w)) fail(`TeX macro \\${w} is not allowed (file, definition, catcode and input primitives are forbidden in family files)`);
        fail(`TeX macro \\${w} is not allowed (allowed: Greek letters, \\mathrm, \\mathbf, \\operatorname, \\hat, \\bar, \\tilde, \\frac, \\sqrt and a few symbols such as \\ell, \\partial, \\infty, \\cdot)`);
      }
      return { word: w, arity: arity! };
    }
    const c = tex[i++];
    if (!CONTROL_SYMBOLS.has(c)) fail(`TeX control symbol \\${c} is not allowed`);
    return { word: c, arity: 0 };
  };
  /** One argument of ^, _ or a macro: a {group}, a letter or digit, or an argument-less macro. */
  const parseArg = (what: string, depth: number): void => {
    skipSpace();
    const c = peek();
    if (c === undefined) fail(`${what} needs an argument`);
    if (c === '{') {
      i++;
      parseSeq(depth + 1);
      return;
    }
    if (c === '\\') {
      const m = readControl();
      if (m.arity > 0) fail(`\\${m.word} as the argument of ${what} needs braces: write {\\${m.word}{…}}`);
      return;
    }
    if (/[A-Za-z0-9]/.test(c) || (c.charCodeAt(0) > 127 && /[\p{L}\p{N}]/u.test(c))) {
      i += c.length;
      return;
    }
    fail(`${what} needs an argument (a {group}, a letter or a digit), got ${excerpt(c)}`);
  };
  /** A sequence of atoms up to a closing brace (depth > 0) or the end (depth 0). */
  const parseSeq = (depth: number): void => {
    if (depth > MAX_DEPTH) fail(`TeX braces are nested deeper than ${MAX_DEPTH}`);
    let sup = false;
    let sub = false;
    for (;;) {
      skipSpace();
      if (i >= tex.length) {
        if (depth > 0) fail('TeX has an unbalanced "{" (missing "}")');
        return;
      }
      const c = tex[i];
      if (c === '}') {
        if (depth === 0) fail('TeX has an unbalanced "}"');
        i++;
        return;
      }
      if (c === '^' || c === '_') {
        if (c === '^' && tex[i + 1] === '^') fail('TeX ^^ character escapes are not allowed');
        i++;
        if (c === '^' ? sup : sub) fail(`double ${c === '^' ? 'superscript' : 'subscript'} in TeX: use braces, e.g. {x^{a}}^{b}`);
        parseArg(c, depth);
        if (c === '^') sup = true;
        else sub = true;
        continue;
      }
      if (c === "'") {
        if (sup) fail('a prime after a superscript is a double superscript in TeX: use braces');
        i++;
        continue;
      }
      sup = false;
      sub = false;
      if (c === '{') {
        i++;
        parseSeq(depth + 1);
        continue;
      }
      if (c === '\\') {
        const m = readControl();
        for (let k = 0; k < m.arity; k++) parseArg(`\\${m.word}`, depth);
        continue;
      }
      if (/[A-Za-z0-9]/.test(c) || PUNCTUATION.has(c)) {
        i++;
        continue;
      }
      if (c.charCodeAt(0) > 127) {
        const cp = String.fromCodePoint(tex.codePointAt(i)!);
        if (/[\p{L}\p{N}\p{Sm}]/u.test(cp)) {
          i += cp.length;
          continue;
        }
        fail(`character ${excerpt(cp)} is not allowed in TeX`);
      }
      if (c === '%') fail('TeX comments (%) are not allowed');
      if (c === '#') fail('TeX parameter character # is not allowed');
      if (c === '&') fail('TeX alignment character & is not allowed');
      if (c === '$') fail('a $ inside TeX math is not allowed');
      if (c === '~') fail('TeX ~ is not allowed (use \\, or \\; for space)');
      fail(`character ${excerpt(c)} is not allowed in TeX`);
    }
  };
  try {
    parseSeq(0);
  } catch (e) {
    if (e instanceof TexError) return e.message;
    throw e;
  }
  return null;
}

/** The `$…$` math segments of a text, or the reason the dollars do not pair up. */
export function mathSegments(text: string): { segments: string[] } | { problem: string } {
  const parts = text.split('$');
  if (parts.length % 2 === 0) return { problem: 'unmatched $ (math must be written $…$; a literal dollar sign is not supported)' };
  const segments = parts.filter((_, k) => k % 2 === 1);
  if (segments.some((s) => s.trim() === '')) return { problem: 'empty math $$ (display math) is not allowed; write inline math $…$' };
  return { segments };
}

/**
 * Checks free text with inline `$…$` math (title, notes, fisher.source).
 * @param opts.multiline allow newlines and tabs (notes); titles are one line.
 * @param opts.maxLength longest text accepted.
 * @returns null when safe, else the reason.
 */
export function checkTextWithMath(text: string, opts: { multiline: boolean; maxLength: number }): string | null {
  if (text.length > opts.maxLength) return `text is longer than ${opts.maxLength} characters`;
  const ch = badChar(text, opts.multiline ? '\n\t' : '');
  if (ch) return `control or invisible character ${ch} is not allowed${opts.multiline ? '' : ' (one line of text)'}`;
  const m = mathSegments(text);
  if ('problem' in m) return m.problem;
  for (const seg of m.segments) {
    const p = checkMathTex(seg);
    if (p) return `in math ${excerpt(`$${seg}$`)}: ${p}`;
  }
  return null;
}

/** The family fields whose text reaches LaTeX/HTML output, with their values. */
export function familyTextFields(spec: {
  readonly title: string;
  readonly notes: string;
  readonly params: readonly { readonly tex: string }[];
  readonly fisher: { readonly source: string } | null;
}): { field: string; kind: 'math' | 'line' | 'multiline'; text: string }[] {
  const out: { field: string; kind: 'math' | 'line' | 'multiline'; text: string }[] = [{ field: 'title', kind: 'line', text: spec.title }];
  spec.params.forEach((p, i) => out.push({ field: `params[${i}].tex`, kind: 'math', text: p.tex }));
  if (spec.fisher) out.push({ field: 'fisher.source', kind: 'multiline', text: spec.fisher.source });
  if (spec.notes) out.push({ field: 'notes', kind: 'multiline', text: spec.notes });
  return out;
}

/** Checks one field by its kind (see {@link familyTextFields}). */
export function checkFamilyText(kind: 'math' | 'line' | 'multiline', text: string): string | null {
  if (kind === 'math') return checkMathTex(text);
  return checkTextWithMath(text, kind === 'line' ? { multiline: false, maxLength: MAX_TITLE_LENGTH } : { multiline: true, maxLength: MAX_NOTES_LENGTH });
}
