#!/usr/bin/env node
// Thin launcher: the CLI is compiled ahead of time into dist/ by `npm ci` (prepare).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
