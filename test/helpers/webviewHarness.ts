// Runs a bundled webview outside VS Code: a local HTTP server gives the view's HTML and its
// bundle, and Debian's Chromium (headless) loads it. Shared by the integration tests of the views.

import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Chromium may still be being installed (CI): look again for a while before giving up. */
async function waitForChromium(ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (!existsSync(CHROMIUM)) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 2000));
  }
  return true;
}

/** In CI a missing Chromium fails the suite; elsewhere it skips it. */
export async function requireChromium(context: Mocha.Context, localWaitMs: number): Promise<void> {
  const ci = process.env.CI === 'true';
  if (await waitForChromium(ci ? 180_000 : localWaitMs)) return;
  if (ci) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package`);
  context.skip();
}

export interface WebviewServer {
  origin: string;
  close(): Promise<void>;
}

/** Serves `html(origin)` at `/` and `<entry>.js` / `<entry>.css` from `dir`, on 127.0.0.1. */
export async function serveWebview(dir: string, entry: string, html: (origin: string) => string): Promise<WebviewServer> {
  let origin = '';
  const assets = new RegExp(`^/${entry}\\.(js|css)$`);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html(origin));
      return;
    }
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const file = join(dir, path.slice(1));
    if (!assets.test(path) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': path.endsWith('.js') ? 'text/javascript' : 'text/css' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
