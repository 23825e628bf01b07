#!/usr/bin/env node
// Thin launcher: the CLI is bundled by `npm run build` (also run by `npm ci` via `prepare`).
'use strict';
const path = require('node:path');
const bundle = path.join(__dirname, '..', 'dist', 'cli', 'tinyml.js');
try {
  require.resolve(bundle);
} catch {
  console.error('tinyml: the CLI is not built yet; run `npm run build` first');
  process.exit(2);
}
process.exitCode = require(bundle).main(process.argv.slice(2));
