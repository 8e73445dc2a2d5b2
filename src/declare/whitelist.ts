/**
 * Safe parsing of family expressions: mathjs `parse` (which never evaluates anything) followed by
 * a whitelist walk over the tree. Only these nodes pass:
 *   - ConstantNode holding a finite number;
 *   - SymbolNode naming a declared symbol (parameter, data variable, constant) or `pi` / `e`;
 *   - OperatorNode add, subtract, multiply (explicit only), divide, pow, unaryMinus, unaryPlus;
 *   - ParenthesisNode;
 *   - FunctionNode whose callee is a plain SymbolNode listed in src/core/functions.ts with the
 *     right arity; arguments listed in `constantArgs` (the order of polygamma) must be
 *     non-negative integer constants.
 * Every other construct (accessors, assignments, blocks, arrays, objects, ranges, conditionals,
 * strings, booleans, factorial, implicit multiplication, `1e400`, unknown names — mathjs would
 * read `s` or `cm` as a unit) is rejected with a message naming it.
 * Name lookups use Map/Set membership only (never `in`), so `__proto__`, `constructor`,
 * `valueOf`, `hasOwnProperty` are unknown like any other name.
 */
import { parse } from '../core/mathjs.js';
import type { MathNode } from 'mathjs';
import { FamilyError } from '../core/errors.js';
import type { FamilyProblem, SourceLocation } from '../core/errors.js';
import { BUILTIN_CONSTANTS, FUNCTIONS } from '../core/functions.js';
import { SPECIAL } from '../core/special.js';
import type { AnyNode } from '../core/evaluate.js';
import type { Expr } from './types.js';

const OPERATORS: ReadonlyMap<string, string> = new Map([
  ['add', '+'],
  ['subtract', '-'],
  ['multiply', '*'],
  ['divide', '/'],
  ['pow', '^'],
  ['unaryMinus', 'unary -'],
  ['unaryPlus', 'unary +'],
]);

/** What a node type is called in error messages. */
const NODE_WORDS: Readonly<Record<string, string>> = Object.freeze({
  AccessorNode: 'property/index access (AccessorNode)',
  AssignmentNode: 'assignment (AssignmentNode)',
  FunctionAssignmentNode: 'function definition (FunctionAssignmentNode)',
  BlockNode: 'statement block (BlockNode)',
  ArrayNode: 'array/matrix literal (ArrayNode)',
  ConditionalNode: 'conditional a ? b : c (ConditionalNode)',
  ObjectNode: 'object literal (ObjectNode)',
  RangeNode: 'range a:b (RangeNode)',
  IndexNode: 'index (IndexNode)',
  RelationalNode: 'comparison chain (RelationalNode)',
});

/**
 * Size budgets of one family expression, checked before anything walks or derives it (so that a tiny
 * file cannot exhaust memory or the stack). Generous for real families: the largest built-in
 * expression has 129 characters, 61 nodes, depth 11 and 7 terms; a 60-term series fits easily.
 */
export const EXPRESSION_BUDGET = Object.freeze({
  /** Characters of the expression text. */
  chars: 10_000,
  /** Parse-tree nodes. */
  nodes: 4_000,
  /** Nesting depth of the parse tree (a chain a + b + c counts one level per operator). */
  depth: 150,
  /** Terms of one sum (a + b − c has 3) and factors of one product (a·b/c has 3). */
  terms: 150,
});

export type ExpressionBudget = { readonly [K in keyof typeof EXPRESSION_BUDGET]: number };

/** Result of {@link tryParseExpression}: the tree, or every problem found in the text. */
export type ParseResult = { ok: true; expr: Expr } | { ok: false; problems: FamilyProblem[] };

/**
 * Parses `text` and checks it against the whitelist.
 * @param allowed names the expression may use (besides `pi` and `e`), e.g. params ∪ constants.
 * @param location where the text sits in the family file (copied into every problem).
 * @param dataVariables optional: names that are declared but not allowed here; using one gives the
 *   message "must not depend on the data variable ..." instead of "unknown symbol".
 */
export function tryParseExpression(
  text: string,
  allowed: ReadonlySet<string>,
  location: SourceLocation,
  dataVariables: ReadonlySet<string> = new Set(),
  budget: ExpressionBudget = EXPRESSION_BUDGET,
): ParseResult {
  const problems: FamilyProblem[] = [];
  const report = (message: string) => problems.push({ ...location, message });
  if (typeof text !== 'string' || text.trim() === '') {
    report('expression is empty');
    return { ok: false, problems };
  }
  const B = budget;
  if (text.length > B.chars) {
    report(`expression exceeds the size budget: ${text.length} characters, budget ${B.chars} (over by ${text.length - B.chars})`);
    return { ok: false, problems };
  }
  const nesting = bracketNesting(text);
  if (nesting > B.depth) {
    report(`expression exceeds the depth budget: brackets nested ${nesting} deep, budget ${B.depth} (over by ${nesting - B.depth})`);
    return { ok: false, problems };
  }
  let tree: AnyNode;
  try {
    tree = parse(text) as AnyNode;
  } catch (err) {
    if (err instanceof RangeError) {
      report(`expression exceeds the depth budget: too deeply nested to parse (budget ${B.depth} levels)`);
      return { ok: false, problems };
    }
    const e = err as Error & { char?: number };
    const where = typeof e.char === 'number' ? ` at character ${e.char}` : '';
    report(`cannot parse expression "${text}"${where}: ${e.message}`);
    return { ok: false, problems };
  }
  const m = measure(tree);
  const over: string[] = [];
  if (m.nodes > B.nodes) over.push(`${m.nodes} nodes, budget ${B.nodes} (over by ${m.nodes - B.nodes})`);
  if (m.depth > B.depth) over.push(`depth ${m.depth}, budget ${B.depth} (over by ${m.depth - B.depth})`);
  if (m.terms > B.terms) over.push(`${m.terms} terms in one sum, budget ${B.terms} (over by ${m.terms - B.terms})`);
  if (m.factors > B.terms) over.push(`${m.factors} factors in one product, budget ${B.terms} (over by ${m.factors - B.terms})`);
  if (over.length > 0) {
    report(`expression exceeds the size budget: ${over.join('; ')}`);
    return { ok: false, problems };
  }
  walk(tree, allowed, dataVariables, report);
  if (problems.length === 0) checkConstants(tree, report);
  return problems.length === 0 ? { ok: true, expr: tree } : { ok: false, problems };
}

/**
 * Parses and whitelists one expression; throws a {@link FamilyError} listing its problems.
 * See {@link tryParseExpression} for the arguments.
 */
export function parseExpression(
  text: string,
  allowed: ReadonlySet<string>,
  location: SourceLocation,
  dataVariables?: ReadonlySet<string>,
): Expr {
  const r = tryParseExpression(text, allowed, location, dataVariables);
  if (!r.ok) throw new FamilyError(r.problems);
  return r.expr;
}

function describeConstant(v: unknown): string {
  if (typeof v === 'string') return `string literal "${v}"`;
  if (typeof v === 'boolean') return `boolean literal ${String(v)}`;
  if (v === null) return 'null literal';
  if (v === undefined) return 'undefined literal';
  if (typeof v === 'number') return `non-finite number ${String(v)} (overflow, e.g. 1e400, or NaN/Infinity)`;
  return `constant of type ${typeof v}`;
}

/** Deepest nesting of (), [] and {} in a text (a cheap check before the recursive-descent parser). */
function bracketNesting(text: string): number {
  let d = 0;
  let max = 0;
  for (const ch of text) {
    if (ch === '(' || ch === '[' || ch === '{') max = Math.max(max, ++d);
    else if (ch === ')' || ch === ']' || ch === '}') d = Math.max(0, d - 1);
  }
  return max;
}

/** Children of a parse-tree node (arguments, parenthesis content). */
function childrenOf(n: AnyNode): AnyNode[] {
  if (n.type === 'ParenthesisNode') return n.content ? [n.content as AnyNode] : [];
  return (n.args ?? []) as AnyNode[];
}

/** Node count, depth, and the longest sum / product chain of a parse tree (iterative: any depth is safe). */
function measure(root: AnyNode): { nodes: number; depth: number; terms: number; factors: number } {
  let nodes = 0;
  let depth = 0;
  let terms = 1;
  let factors = 1;
  // sum / prod: operands counted so far in the +− (·÷) chain this node continues (1 outside a chain)
  const stack: { n: AnyNode; d: number; sum: number; prod: number }[] = [{ n: root, d: 1, sum: 1, prod: 1 }];
  while (stack.length > 0) {
    const { n, d, sum, prod } = stack.pop()!;
    nodes++;
    if (d > depth) depth = d;
    const fn = n.type === 'OperatorNode' ? String(n.fn) : '';
    const isSum = (fn === 'add' || fn === 'subtract') && (n.args?.length ?? 0) === 2;
    const isProd = (fn === 'multiply' || fn === 'divide') && (n.args?.length ?? 0) === 2;
    // a binary chain node adds one operand to the chain it belongs to
    const s = isSum ? sum + 1 : 1;
    const p = isProd ? prod + 1 : 1;
    if (s > terms) terms = s;
    if (p > factors) factors = p;
    for (const c of childrenOf(n)) stack.push({ n: c, d: d + 1, sum: isSum ? s : 1, prod: isProd ? p : 1 });
  }
  return { nodes, depth, terms, factors };
}

/** Whitelist walk in pre-order with an explicit stack (problems reported in source order). */
function walk(
  root: AnyNode,
  allowed: ReadonlySet<string>,
  dataVariables: ReadonlySet<string>,
  report: (message: string) => void,
): void {
  const stack: AnyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const kids = visit(node, allowed, dataVariables, report);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
}

/** Checks one node; returns the children to check next. */
function visit(
  node: AnyNode,
  allowed: ReadonlySet<string>,
  dataVariables: ReadonlySet<string>,
  report: (message: string) => void,
): AnyNode[] {
  switch (node.type) {
    case 'ConstantNode': {
      const v = node.value;
      if (typeof v !== 'number' || !Number.isFinite(v)) report(`${describeConstant(v)} is not allowed`);
      return [];
    }
    case 'SymbolNode': {
      const name = String(node.name);
      if (allowed.has(name) || BUILTIN_CONSTANTS.has(name)) return [];
      if (dataVariables.has(name)) {
        report(`must not depend on the data variable "${name}" (only on parameters and constants)`);
      } else if (FUNCTIONS.has(name)) {
        report(`function "${name}" used as a value (call it, e.g. ${name}(...))`);
      } else {
        report(`unknown symbol "${name}" (not a declared parameter, variable or constant, nor pi/e)`);
      }
      return [];
    }
    case 'ParenthesisNode':
      return childrenOf(node);
    case 'OperatorNode': {
      const fn = String(node.fn);
      if (!OPERATORS.has(fn)) {
        report(`operator "${node.op ?? fn}" (${fn}) is not allowed; only + - * / ^ are`);
      } else if (fn === 'multiply' && node.implicit) {
        report(`implicit multiplication "${node.toString()}" is not allowed; write the * explicitly`);
      }
      return childrenOf(node);
    }
    case 'FunctionNode': {
      const callee = node.fn as AnyNode | undefined;
      if (!callee || callee.type !== 'SymbolNode' || typeof callee.name !== 'string') {
        report(`call of a computed function "${node.toString()}" is not allowed; only plain function names`);
        return [];
      }
      const name = callee.name;
      const info = FUNCTIONS.get(name);
      const args = node.args ?? [];
      if (!info) {
        const known = [...FUNCTIONS.keys()].join(', ');
        report(`unknown function "${name}" (allowed: ${known})`);
      } else {
        if (args.length !== info.arity) {
          report(`function "${name}" takes ${info.arity} argument(s), got ${args.length}`);
        }
        for (const k of info.constantArgs ?? []) {
          const a = args[k] as AnyNode | undefined;
          if (a && !isNonNegativeIntegerConstant(a)) {
            report(`argument ${k + 1} of "${name}" must be a non-negative integer constant, got "${a.toString()}"`);
          }
        }
      }
      return args as AnyNode[];
    }
    default: {
      const word = Object.hasOwn(NODE_WORDS, node.type) ? NODE_WORDS[node.type] : node.type;
      report(`${word} is not allowed in a family expression: "${safeToString(node)}"`);
      return [];
    }
  }
}

/**
 * Refuses a constant subexpression (no symbols but pi/e) whose value is NaN or ±Infinity, such as
 * `0/0`, `log(0)` or `1/0`: the derive stage folds constants, and `0·(0/0)` folded to 0 would
 * silently hide it. Reports the innermost such subexpression. Iterative post-order.
 */
function checkConstants(root: AnyNode, report: (message: string) => void): void {
  const value = new Map<AnyNode, number | null>(); // null: not constant
  const stack: { n: AnyNode; done: boolean }[] = [{ n: root, done: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const kids = childrenOf(top.n);
    if (!top.done) {
      top.done = true;
      for (let i = kids.length - 1; i >= 0; i--) stack.push({ n: kids[i], done: false });
      continue;
    }
    stack.pop();
    const n = top.n;
    const vs = kids.map((k) => value.get(k) ?? null);
    let v: number | null = null;
    if (n.type === 'ConstantNode') v = typeof n.value === 'number' ? n.value : null;
    else if (n.type === 'SymbolNode') v = BUILTIN_CONSTANTS.get(String(n.name)) ?? null;
    else if (vs.every((x) => x !== null) && vs.every((x) => Number.isFinite(x))) {
      const a = vs as number[];
      if (n.type === 'ParenthesisNode') v = a[0];
      else if (n.type === 'OperatorNode') v = applyOperator(String(n.fn), a);
      else if (n.type === 'FunctionNode') {
        const name = String((n.fn as AnyNode | undefined)?.name);
        v = Object.hasOwn(SPECIAL, name) ? SPECIAL[name](...a) : null;
      }
    }
    value.set(n, v);
    if (v !== null && !Number.isFinite(v)) {
      const text = safeToString(n);
      const excerpt = text.length > 60 ? `${text.slice(0, 57)}...` : text;
      report(`constant subexpression "${excerpt}" evaluates to ${String(v)} (not a finite number)`);
      return;
    }
  }
}

function applyOperator(fn: string, a: number[]): number | null {
  switch (fn) {
    case 'add': return a[0] + a[1];
    case 'subtract': return a[0] - a[1];
    case 'multiply': return a[0] * a[1];
    case 'divide': return a[0] / a[1];
    case 'pow': return Math.pow(a[0], a[1]);
    case 'unaryMinus': return -a[0];
    case 'unaryPlus': return a[0];
    default: return null;
  }
}

function safeToString(node: AnyNode): string {
  try {
    return node.toString();
  } catch {
    return node.type;
  }
}

function isNonNegativeIntegerConstant(node: AnyNode): boolean {
  const n = node.type === 'ParenthesisNode' && node.content ? (node.content as AnyNode) : node;
  return n.type === 'ConstantNode' && typeof n.value === 'number' && Number.isInteger(n.value) && n.value >= 0;
}

/** Names of all SymbolNodes in a tree (excluding function callees). */
export function symbolsOf(expr: Expr): Set<string> {
  const out = new Set<string>();
  const stack: AnyNode[] = [expr as AnyNode];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'SymbolNode') out.add(String(n.name));
    else stack.push(...childrenOf(n));
  }
  return out;
}

/**
 * Canonical text of an x-feature, the key of the moments table (`FamilySpec.moments`):
 * mathjs `toString` with redundant parentheses removed, e.g. `x ^ 2`, `log(x)`, `cos(x - mu)`.
 * The derive stage must key its lookups with this same function.
 */
export function canonicalFeature(expr: Expr): string {
  return expr.toString({ parenthesis: 'auto', implicit: 'show' });
}
