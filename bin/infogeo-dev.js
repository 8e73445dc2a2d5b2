#!/usr/bin/env node
// Development entry: runs the CLI from the TypeScript sources through tsx (no build step; for contributors).
// The published command is bin/infogeo.js, which runs the built JavaScript in dist/.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
