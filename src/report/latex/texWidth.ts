/**
 * Measured width of a line of math TeX, in em of the surrounding font (display style), for line breaking and for
 * deciding whether a matrix fits the page. An estimate from per-glyph widths of Computer Modern / KaTeX math
 * (letters ≈ 0.5 em, binary operators with their spacing ≈ 1.2 em, scripts at 70 %, a fraction as wide as the
 * wider of numerator and denominator, a matrix as the sum of its column widths). It is deliberately on the wide
 * side, so a line it accepts fits.
 */

type Tok = string;

/** Tokens: control words, control symbols, single characters (spaces dropped), numbers as one token. */
export function texTokens(tex: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < tex.length) {
    const c = tex[i];
    if (c === ' ' || c === '\n' || c === '\t') {
      i++;
      continue;
    }
    if (c === '\\') {
      const m = /^\\([A-Za-z]+|.)/.exec(tex.slice(i));
      if (!m) {
        out.push('\\');
        i++;
        continue;
      }
      out.push(m[0]);
      i += m[0].length;
      continue;
    }
    if (/[0-9.]/.test(c)) {
      const m = /^[0-9]*\.?[0-9]+|^[0-9]+/.exec(tex.slice(i));
      if (m) {
        out.push(m[0]);
        i += m[0].length;
        continue;
      }
    }
    out.push(c);
    i++;
  }
  return out;
}

const WORD: Record<string, number> = {
  '\\ln': 1.0, '\\exp': 1.5, '\\sin': 1.3, '\\cos': 1.4, '\\tan': 1.4, '\\det': 1.4, '\\log': 1.3,
  '\\cdot': 0.8, '\\times': 1.2, '\\le': 1.4, '\\ge': 1.4, '\\ne': 1.4, '\\approx': 1.4, '\\in': 1.2, '\\to': 1.5,
  '\\,': 0.17, '\\;': 0.28, '\\:': 0.22, '\\!': -0.17, '\\ ': 0.33, '\\quad': 1, '\\qquad': 2,
  '\\left': 0, '\\right': 0, '\\Bigl': 0.1, '\\Bigr': 0.1, '\\bigl': 0.05, '\\bigr': 0.05, '\\Big': 0.1, '\\big': 0.05,
  '\\lvert': 0.3, '\\rvert': 0.3, '\\|': 0.5, '\\ldots': 1.2, '\\cdots': 1.2, '\\infty': 1.0, '\\partial': 0.6,
  '\\mathbb': 0, '\\\\': 0, '\\{': 0.5, '\\}': 0.5, '\\tfrac': 0, '\\frac': 0, '\\dfrac': 0,
};

/** Width in em of a token list (see module doc). */
function widthOf(t: readonly Tok[]): number {
  let i = 0;
  const group = (): number => {
    // one argument: {…} or a single token
    if (t[i] === '{') {
      let depth = 0;
      const start = i + 1;
      for (; i < t.length; i++) {
        if (t[i] === '{') depth++;
        else if (t[i] === '}' && --depth === 0) break;
      }
      const w = widthOf(t.slice(start, i));
      i++;
      return w;
    }
    return widthOf(t.slice(i, ++i));
  };
  const groupText = (): string => {
    if (t[i] !== '{') return t[i++] ?? '';
    let depth = 0;
    let s = '';
    for (; i < t.length; i++) {
      if (t[i] === '{') depth++;
      else if (t[i] === '}' && --depth === 0) break;
      else if (depth >= 1) s += t[i];
    }
    i++;
    return s;
  };
  let w = 0;
  while (i < t.length) {
    const k = t[i];
    if (k === '\\frac' || k === '\\dfrac' || k === '\\tfrac') {
      i++;
      const a = group();
      const b = group();
      w += (k === '\\tfrac' ? 0.7 : 1) * Math.max(a, b) + 0.3;
      continue;
    }
    if (k === '\\sqrt') {
      i++;
      w += group() + 1.0;
      continue;
    }
    if (k === '^' || k === '_') {
      i++;
      w += 0.72 * group();
      continue;
    }
    if (k === '\\operatorname' || k === '\\mathrm' || k === '\\mathit' || k === '\\text' || k === '\\texttt') {
      i++;
      w += 0.52 * groupText().length + (k === '\\operatorname' ? 0.3 : 0);
      continue;
    }
    if (k === '\\mathbb') {
      i++;
      groupText();
      w += 0.75;
      continue;
    }
    if (k === '\\begin') {
      i++;
      const env = groupText();
      // matrix: split rows at \\ and cells at &, column widths add up
      let depth = 0;
      const start = i;
      for (; i < t.length; i++) {
        if (t[i] === '\\begin') depth++;
        else if (t[i] === '\\end') {
          if (depth === 0) break;
          depth--;
        }
      }
      const body = t.slice(start, i);
      i++;
      groupText();
      const rows: Tok[][][] = [[[]]];
      let d = 0;
      for (const x of body) {
        if (x === '{' || x === '\\begin') d++;
        if (x === '}' || x === '\\end') d--;
        if (d === 0 && x === '\\\\') rows.push([[]]);
        else if (d === 0 && x === '&') rows[rows.length - 1].push([]);
        else rows[rows.length - 1][rows[rows.length - 1].length - 1].push(x);
      }
      const cols: number[] = [];
      for (const r of rows) r.forEach((c, j) => (cols[j] = Math.max(cols[j] ?? 0, widthOf(c))));
      const inner = cols.reduce((a, b) => a + b, 0) + Math.max(0, cols.length - 1) * 1.0;
      w += inner + (/matrix/.test(env) && env !== 'matrix' ? 1.0 : 0);
      continue;
    }
    i++;
    if (k === '{' || k === '}' || k === '&') continue;
    if (Object.hasOwn(WORD, k)) w += WORD[k];
    else if (k.startsWith('\\')) w += 0.62;
    else if (/^[0-9.]+$/.test(k)) w += 0.5 * k.length;
    else if (k === '+' || k === '-' || k === '=' || k === '<' || k === '>') w += 1.25;
    else if (k === '(' || k === ')' || k === '[' || k === ']' || k === '|') w += 0.4;
    else if (k === ',' || k === ';') w += 0.45;
    else if (k === "'") w += 0.3;
    else if (/[A-Z]/.test(k)) w += 0.72;
    else w += 0.55;
  }
  return w;
}

/** Estimated width in em of one line of math TeX (no line breaks inside). */
export function texWidth(tex: string): number {
  const hit = widthCache.get(tex);
  if (hit !== undefined) return hit;
  const w = widthOf(texTokens(tex));
  if (widthCache.size > 20000) widthCache.clear();
  widthCache.set(tex, w);
  return w;
}

const widthCache = new Map<string, number>();

/** Number of fractions written inside the numerator or denominator of another fraction (hard to read). */
export function nestedFractions(tex: string): number {
  const stack: { depth: number; groups: number }[] = [];
  let depth = 0;
  let nested = 0;
  for (const t of texTokens(tex)) {
    if (t === '\\frac' || t === '\\tfrac' || t === '\\dfrac') {
      if (stack.length) nested++;
      stack.push({ depth, groups: 0 });
    } else if (t === '{') depth++;
    else if (t === '}') {
      depth--;
      const top = stack[stack.length - 1];
      if (top && top.depth === depth && ++top.groups === 2) stack.pop();
    }
  }
  return nested;
}
