/**
 * Error types shared by every stage. Each carries enough context for the CLI to print
 * a one-line, actionable message and choose an exit code.
 */

/** Where in a declarative file a problem sits (1-based line/column when known). */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
  /** Field path inside the file, e.g. `params[1].domain` or `expfam.eta[0]`. */
  field?: string;
}

/** One problem found while reading a family file. */
export interface FamilyProblem extends SourceLocation {
  message: string;
}

function formatLocation(p: SourceLocation): string {
  let s = p.file;
  if (p.line !== undefined) s += `:${p.line}`;
  if (p.column !== undefined) s += `:${p.column}`;
  if (p.field) s += ` (field ${p.field})`;
  return s;
}

/** Longest quoted excerpt of user input inside a message (longer ones are cut, ending in …). */
export const MAX_QUOTED = 60;
/** Longest single message, and most problems listed in one FamilyError message. */
const MAX_MESSAGE = 600;
const MAX_PROBLEMS = 50;

/**
 * Cuts every `"…"`-quoted part of a message to {@link MAX_QUOTED} characters and the whole message to 600, so that an
 * error never echoes a whole input file or a 20 KB expression.
 * @example shortenQuotes('unknown field "' + 'x'.repeat(500) + '"')  // 'unknown field "xxx…x…"' (60 x)
 */
export function shortenQuotes(message: string): string {
  const parts = message.split('"');
  const cut = (s: string, n: number) => {
    const cs = Array.from(s);
    return cs.length > n ? cs.slice(0, n).join('') + '…' : s;
  };
  const out = parts.map((p, i) => (i % 2 === 1 && i < parts.length - 1 ? cut(p, MAX_QUOTED) : p)).join('"');
  return cut(out, MAX_MESSAGE);
}

/** A family file is invalid. Lists every problem found, each with file, line and field. */
export class FamilyError extends Error {
  readonly problems: readonly FamilyProblem[];
  constructor(problems: FamilyProblem[]) {
    const short = problems.map((p) => ({ ...p, message: shortenQuotes(p.message) }));
    const lines = short.slice(0, MAX_PROBLEMS).map((p) => `${formatLocation(p)}: ${p.message}`);
    if (short.length > MAX_PROBLEMS) lines.push(`… and ${short.length - MAX_PROBLEMS} more problems`);
    super(lines.join('\n'));
    this.name = 'FamilyError';
    this.problems = short;
  }
}

/** A parameter vector (or other user-supplied value) is outside its domain. */
export class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Bad command-line usage or bad input file other than a family file. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A symbolic operation met a function or node it has no rule for. */
export class UnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedError';
  }
}

/** A numeric routine did not reach its tolerance (used where returning a flag is not possible). */
export class ConvergenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConvergenceError';
  }
}

/**
 * A computed number cannot be printed honestly: it is not finite, or rounding errors (catastrophic
 * cancellation) leave no significant digits. The message names the quantity and the point.
 */
export class NumericError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NumericError';
  }
}
