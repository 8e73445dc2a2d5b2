/**
 * The one mathjs instance of infogeo: only the expression parser and its node classes.
 *
 * Every module that needs `parse` or a node class imports it from here, never from the `mathjs` root
 * (whose default instance creates every mathjs function at import time: seconds of start-up).
 * The instance is built with `create` from the number-only factories (`mathjs/number`), which parse
 * exactly like the full build (numeric literals become plain numbers in both) but without BigNumber,
 * Complex, Fraction, Unit or Matrix types. The published build bundles this file with esbuild so that
 * only these factories are loaded (scripts/build.mjs); the test suite imports it from the sources.
 */
import { create, parseDependencies } from 'mathjs/number';
import type * as mathjs from 'mathjs';

const math = create({ parseDependencies });

export const parse = math.parse;
export const ConstantNode = math.ConstantNode;
export type ConstantNode = mathjs.ConstantNode;
export const FunctionNode = math.FunctionNode;
export type FunctionNode = mathjs.FunctionNode;
export const OperatorNode = math.OperatorNode;
export type OperatorNode = mathjs.OperatorNode;
export const ParenthesisNode = math.ParenthesisNode;
export type ParenthesisNode = mathjs.ParenthesisNode;
export const SymbolNode = math.SymbolNode;
export type SymbolNode = mathjs.SymbolNode;
