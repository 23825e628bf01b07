// `npm run test:e2e`: the packaged extension in a real VS Code (code-server) driven by Debian's
// Chromium. Builds the VSIX, installs it into a fresh profile, opens a temp copy of a firmware
// fixture, then runs (a) tests inside the extension host with the real `vscode` API and (b) UI
// tests with screenshots in test-results/e2e/, and finally checks the extension host logs for
// errors from this extension. Not part of the unit mocha run.
//
//   node test/e2e/run.mjs [--vsix FILE] [--keep] [--headed-slowmo MS]
//   TINYML_CACHE (code-server cache root), TINYML_VSCODEIGNORE (allow-list for the VSIX)

import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser.mjs';
import { buildVsix, ensureCodeServer, installVsix, logFiles, makeProfile, repoRoot, startCodeServer, workbenchUrl } from './codeServer.mjs';
import { runHostTests } from './hostTests.mjs';
import { Skip, uiTests } from './ui.mjs';
import { makeWorkspace } from './workspace.mjs';

const RUN_BUDGET_MS = 10 * 60_000;
const ACTIVATION_BUDGET_MS = 300;
const BOARD = 'nucleo-l4r5zi'; // tinyml.board's default in package.json

const { values: opts } = parseArgs({ options: { vsix: { type: 'string' }, keep: { type: 'boolean', default: false } } });
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const extensionId = `${manifest.publisher}.${manifest.name}`;
const outDir = join(repoRoot, 'test-results', 'e2e');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const step = (message) => console.log(`[e2e ${elapsed()}] ${message}`);
const results = [];
let server;
let browser;
let root;

const watchdog = setTimeout(() => {
  console.error(`[e2e] the run exceeded ${RUN_BUDGET_MS / 60_000} minutes: stopping`);
  server?.stop();
  process.exit(2);
}, RUN_BUDGET_MS);
watchdog.unref();

function record(layer, name, status, ms, message, data) {
  results.push({ layer, name, status, ms, message, data });
  const mark = status === 'passed' ? 'PASS' : status === 'skipped' ? 'SKIP' : 'FAIL';
  console.log(`  ${mark} [${layer}] ${name} (${ms} ms)${message ? `\n       ${message}` : ''}`);
}

async function screenshot(page, name) {
  const file = join(outDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Errors from this extension in the logs: every [error] entry (with its continuation lines) of
 * the extension host logs that names tinyml, and every error line of our output channel.
 * vscode-languageclient 9 logs "[Error] Server process exited with code 0." whenever its server
 * process ends, a deliberate restart included (node/main.js, `serverProcess.on('exit')`): that
 * exact line is tolerated when a restart was asked for, and so is what fails after the host
 * started terminating.
 */
function extensionErrors(profile, { restarted }) {
  const problems = [];
  const files = logFiles(profile);
  for (const file of files) {
    const name = relative(profile.userData, file);
    const ours = /TinyML Lens|tinyml/i.test(name);
    const exthost = /exthost/i.test(name);
    if (!ours && !exthost) continue;
    // Log entries start with a timestamp or "[Level - time]"; other lines continue the entry above.
    const entries = [];
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      if (entries.length === 0 || /^(\d{4}-\d\d-\d\d |\[(Trace|Debug|Info|Warn|Error) - )/.test(line)) entries.push({ line: i + 1, text: line });
      else entries[entries.length - 1].text += `\n${line}`;
    });
    for (const { line, text } of entries) {
      // Closing a window ends its extension host while the editor still has requests out (the
      // tests close pages abruptly): what fails after "Extension host terminating" is teardown.
      if (exthost && /Extension host terminating/.test(text)) break;
      const tolerated = restarted && /^\[Error - [^\]]+\] Server process exited with code 0\.$/.test(text.trim());
      const error = ours ? /\[error\]|^\[Error - |\bUnhandled|\bfailed\b|\bcrash/im.test(text) : /\[error\]/i.test(text) && text.includes(extensionId);
      if (error && !tolerated) problems.push(`${name}:${line}: ${text.trim().slice(0, 400)}`);
    }
  }
  return { files: files.map((f) => relative(profile.userData, f)), problems };
}

async function main() {
  step('code-server (scripts/installCodeServer.sh)');
  const bin = ensureCodeServer();
  step('VSIX (scripts/package.mjs)');
  const vsix = opts.vsix ?? buildVsix();
  step(`installing ${relative(repoRoot, vsix)} into a fresh profile`);
  root = mkdtempSync(join(tmpdir(), 'tinyml-e2e-'));
  const profile = makeProfile(root);
  const extensionDir = installVsix(bin, profile, vsix, extensionId);
  const installed = JSON.parse(readFileSync(join(extensionDir, 'package.json'), 'utf8'));
  const ws = join(root, 'ws');
  mkdirSync(ws);
  const fixture = makeWorkspace(ws, BOARD);
  const expect = {
    ...fixture,
    extensionId,
    extensionPath: extensionDir,
    workspace: ws,
    activationBudgetMs: ACTIVATION_BUDGET_MS,
    commands: (installed.contributes?.commands ?? []).map((c) => c.command),
    only: process.env.TINYML_E2E_ONLY,
  };
  writeFileSync(join(outDir, 'expect.json'), JSON.stringify({ ...expect, boards: expect.boards.length }, null, 2));

  step('starting code-server');
  server = await startCodeServer(bin, profile, ws);
  step(`code-server at ${server.url} (pid ${server.pid})`);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });

  step('(a) tests inside the extension host');
  const host = await runHostTests({ browser, server, profile, extensionDir, expect, screenshot });
  writeFileSync(join(outDir, 'host-console.log'), host.log.join('\n'));
  for (const r of host.results) record('host', r.name, r.status, r.ms, r.message, r.data);
  if (host.results.length === 0) record('host', 'the extension-host test module ran', 'failed', host.ms, `no results (exit code ${host.code}); see test-results/e2e/host-console.log`);
  else if (host.code === 'timeout') record('host', 'the extension-host test module finished', 'failed', host.ms, 'timed out');

  step('(b) UI tests');
  // The host tests may have left settings behind: the UI starts from the fixture's state.
  rmSync(join(ws, '.vscode'), { recursive: true, force: true });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(workbenchUrl(server, ws));
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  let uiBroken;
  for (const test of uiTests(expect)) {
    const t0 = Date.now();
    const data = {};
    if (expect.only && !new RegExp(expect.only, 'i').test(test.name)) continue;
    if (uiBroken) {
      record('ui', test.name, 'failed', 0, `not run: ${uiBroken}`);
      continue;
    }
    try {
      await test.fn(page, data, (name) => screenshot(page, name));
      await screenshot(page, test.shot);
      record('ui', test.name, 'passed', Date.now() - t0, undefined, data);
    } catch (error) {
      const skipped = error instanceof Skip;
      await screenshot(page, `${test.shot}${skipped ? '' : '-FAILED'}`).catch(() => {});
      record('ui', test.name, skipped ? 'skipped' : 'failed', Date.now() - t0, error.message.split('\n')[0], data);
      // Close whatever a failed step left open so that the next test starts from the workbench.
      await page.keyboard.press('Escape').catch(() => {});
      if (page.isClosed()) uiBroken = 'the page closed';
    }
  }
  await context.close();

  step('extension host logs');
  const logs = extensionErrors(profile, { restarted: results.some((r) => /Restart Language Server/.test(r.name)) });
  const logDir = join(outDir, 'logs');
  cpSync(join(profile.userData, 'logs'), logDir, { recursive: true });
  cpSync(server.logFile, join(outDir, 'code-server.log'));
  if (logs.files.length === 0) record('logs', 'the extension host log was collected', 'failed', 0, `no *.log under ${profile.userData}/logs`);
  else record('logs', 'no errors from the extension in the extension host and output logs', logs.problems.length === 0 ? 'passed' : 'failed', 0, logs.problems.slice(0, 10).join('\n       ') || undefined, { files: logs.files.length });
}

let exitCode = 0;
try {
  await main();
} catch (error) {
  console.error(`[e2e] ${error.stack ?? error}`);
  record('harness', 'the e2e run completed', 'failed', 0, error.message.split('\n')[0]);
} finally {
  await browser?.close().catch(() => {});
  server?.stop();
  if (root && !opts.keep && existsSync(root)) rmSync(root, { recursive: true, force: true });
  else if (root) console.log(`[e2e] kept ${root}`);
}
const count = (s) => results.filter((r) => r.status === s).length;
writeFileSync(join(outDir, 'results.json'), JSON.stringify({ elapsedMs: Date.now() - started, results }, null, 2));
console.log(`[e2e ${elapsed()}] ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped; screenshots and logs in ${relative(repoRoot, outDir)}/`);
if (count('failed') > 0) exitCode = 1;
process.exit(exitCode);
