/**
 * Free text of a family file (title, notes) made ready for the derivation document: formulas typed as plain
 * text (`β^α x^(α−1) e^(−βx)`) become inline math (`$\beta^{\alpha} x^{\alpha-1} e^{-\beta x}$`); everything else
 * stays text, which every renderer escapes. Inline `$…$` math written by the author is kept only when it uses
 * nothing but the safe subset below (letters, digits, operators, braces, scripts and the Greek/operator control
 * words of {@link SAFE_WORDS}); otherwise its dollar signs are dropped and it is shown as text.
 */
import { unicodeToTex } from './unicodeToTex.js';

/** Control words allowed in author-written inline math. */
const SAFE_WORDS = new Set([
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'varepsilon', 'zeta', 'eta', 'theta', 'vartheta', 'iota', 'kappa', 'lambda', 'mu', 'nu',
  'xi', 'pi', 'rho', 'sigma', 'tau', 'upsilon', 'phi', 'varphi', 'chi', 'psi', 'omega', 'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Pi',
  'Sigma', 'Upsilon', 'Phi', 'Psi', 'Omega', 'ell', 'partial', 'nabla', 'infty', 'cdot', 'times', 'le', 'ge', 'ne', 'leq', 'geq', 'neq',
  'approx', 'sim', 'propto', 'in', 'to', 'pm', 'mp', 'ldots', 'cdots', 'ln', 'log', 'exp', 'sin', 'cos', 'tan', 'det', 'frac', 'tfrac',
  'dfrac', 'sqrt', 'left', 'right', 'mathbb', 'mathrm', 'operatorname', 'top', 'quad', 'qquad', 'lvert', 'rvert', 'langle', 'rangle',
  'sum', 'prod', 'int', 'mathcal', 'bar', 'hat', 'tilde', 'equiv', 'circ', 'ast', 'star', 'dots', 'lbrace', 'rbrace',
]);

/** Author-written math that is safe to pass to LaTeX and KaTeX. */
export function isSafeMath(tex: string): boolean {
  if (!/^[A-Za-z0-9\s+\-*/=<>()[\]{}^_.,;:!'|\\&]*$/.test(tex)) return false;
  for (const m of tex.matchAll(/\\([A-Za-z]+|.)/g)) {
    if (/^[A-Za-z]+$/.test(m[1]) ? !SAFE_WORDS.has(m[1]) : !/^[,;:! |{}]$/.test(m[1])) return false;
  }
  let depth = 0;
  for (const c of tex.replace(/\\[{}]/g, '')) {
    if (c === '{') depth++;
    if (c === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

/** Characters of a plain-text formula token. */
const FORMULA_CHAR = /[A-Za-z0-9α-ωΑ-Ωϕ()+\-−*/^_.·⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺₀₁₂₃₄₅₆₇₈₉]/u;

/** A plain-text formula (`x^(α−1)`) as TeX, or null when it does not look like one. */
function formulaTex(tok: string): string | null {
  if (![...tok].every((c) => FORMULA_CHAR.test(c))) return null;
  // a formula: has a power/index, or a Greek letter or script digit next to other formula characters
  if (!/[\^_]/.test(tok) && !(/[α-ωΑ-Ωϕ⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺₀₁₂₃₄₅₆₇₈₉]/u.test(tok) && [...tok].length > 1)) return null;
  let depth = 0;
  for (const c of tok) {
    if (c === '(') depth++;
    if (c === ')' && --depth < 0) return null;
  }
  if (depth !== 0) return null;
  const chars = [...tok];
  let out = '';
  let plain = '';
  const flush = () => {
    out += formulaBody(plain);
    plain = '';
  };
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '^' || c === '_') {
      flush();
      const next = chars[i + 1];
      if (next === undefined) return null;
      if (next === '(') {
        // ^( … ) → ^{ … }
        let d = 0;
        let j = i + 1;
        for (; j < chars.length; j++) {
          if (chars[j] === '(') d++;
          if (chars[j] === ')' && --d === 0) break;
        }
        const inner = formulaBody(chars.slice(i + 2, j).join(''));
        out += `${c}{${inner}}`;
        i = j;
      } else {
        // one symbol, or a run of digits
        let j = i + 1;
        if (/[0-9]/.test(next)) while (j + 1 < chars.length && /[0-9]/.test(chars[j + 1])) j++;
        out += `${c}{${formulaBody(chars.slice(i + 1, j + 1).join(''))}}`;
        i = j;
      }
      continue;
    }
    plain += c;
  }
  flush();
  return out.replace(/\\([A-Za-z]+) (?=[^A-Za-z]|$)/g, '\\$1').replace(/\s+/g, ' ').trim();
}

function formulaBody(s: string): string {
  // juxtaposed Greek letters (βx) need a space after the control word
  return unicodeToTex(s.replace(/\*/g, '·'), 'math').replace(/\\([A-Za-z]+) (?=[^A-Za-z])/g, '\\$1').replace(/\s+/g, ' ');
}

/**
 * Free text with author math checked (unsafe `$…$` becomes text) and plain-text formulas turned into inline math.
 */
export function freeTextWithMath(s: string): string {
  return s
    .split(/(\$[^$]*\$)/)
    .map((part, i) => {
      if (i % 2 === 1) return isSafeMath(unicodeToTex(part.slice(1, -1), 'math')) ? part : part.slice(1, -1).replace(/\$/g, '');
      return part.replace(/\$/g, '').replace(/[^\s]+/g, (tok) => {
        const lead = /^[("[]*/.exec(tok)![0];
        let trail = /[,.;:!?"\]]*$/.exec(tok.slice(lead.length))![0];
        let core = tok.slice(lead.length, tok.length - trail.length);
        // a closing parenthesis of the surrounding text, not of the formula
        while (core.endsWith(')') && core.split(')').length > core.split('(').length) {
          trail = ')' + trail;
          core = core.slice(0, -1);
        }
        const tex = core ? formulaTex(core) : null;
        return tex && isSafeMath(tex) ? `${lead}$${tex}$${trail}` : tok;
      });
    })
    .join('');
}
