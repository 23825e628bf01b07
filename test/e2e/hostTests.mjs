// Runs test/e2e/host/index.ts inside code-server's extension host: bundles it (CommonJS,
// `vscode` external) into the run's temp folder and opens the workbench with a test payload
// (extensionDevelopmentPath = the installed, unpacked VSIX; extensionTestsPath = the bundle).
// The workbench calls window.codeAutomationExit(code) when run() settles.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { repoRoot, workbenchUrl } from './codeServer.mjs';

export async function runHostTests({ browser, server, profile, extensionDir, expect, screenshot, timeoutMs = 240_000 }) {
  const dir = join(profile.root, 'host');
  mkdirSync(dir, { recursive: true });
  await build({
    entryPoints: [join(repoRoot, 'test', 'e2e', 'host', 'index.ts')],
    outfile: join(dir, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  writeFileSync(join(dir, 'expect.json'), JSON.stringify(expect, null, 2));

  const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionDir)],
    ['extensionTestsPath', remote(join(dir, 'index.js'))],
    ['skipWelcome', 'true'],
  ];
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const log = [];
  let exit;
  const exited = new Promise((resolve) => (exit = resolve));
  await page.exposeFunction('codeAutomationExit', (code) => exit(code));
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = `[${type}] ${(Array.isArray(args) ? args : [args]).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`;
    log.push(line);
    if (line.includes('[e2e host]')) console.log(`  ${line.replace(/^.*\[e2e host\] /, 'host: ')}`);
  });
  const t0 = Date.now();
  await page.goto(workbenchUrl(server, expect.workspace, payload));
  let timer;
  const code = await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)))]);
  clearTimeout(timer);
  await screenshot(page, '00-extension-host-tests').catch(() => {});
  await context.close();
  const resultsFile = join(dir, 'results.json');
  const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : [];
  return { code, ms: Date.now() - t0, results, log };
}
