// The budget view bundled as shipped, in headless Chromium with a stubbed VS Code API: a real
// budget (the language server's answer for MLPerf Tiny's KWS model) is posted and the rendered
// table, keyboard sorting, arena timeline, totals, state restore and error view are checked.
// Screenshots of the dark and light themes go to test-results/.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { budgetHtml } from '../../../client/src/budget/budgetHtml';
import { budgetMessage } from '../../../client/src/budget/budgetMessages';
import { handleBudgetRequest } from '../../../server/src/lsp/budgetHandler';
import type { BudgetViewState, HostToView, ViewToHost } from '../../../webview/src/messages';
import { modelsDir, repoRoot } from '../../helpers/shared';
import { launchChromium, requireChromium, serveWebview, type WebviewServer } from '../../helpers/webviewHarness';
import { DARK_MODERN, LIGHT_MODERN } from './themes';

const KWS = join(modelsDir, 'mlperf-tiny', 'kws_ref_model.tflite');
const NONCE = 'dGVzdC1ub25jZS0xMjM0NQ==';

// Browser globals used inside page callbacks, typed here: the tests' tsconfig has no DOM library.
interface Dataset {
  dataset: Record<string, string | undefined>;
}
declare const window: { __posted: ViewToHost[]; __state: unknown; postMessage(message: unknown, targetOrigin: string): void };
declare const document: {
  documentElement: { style: { setProperty(name: string, value: string): void } };
  body: { classList: { add(name: string): void } };
  activeElement: Dataset | null;
};

async function kwsMessage(): Promise<HostToView> {
  const uri = pathToFileURL(KWS).toString();
  const result = await handleBudgetRequest({ uri, board: 'nucleo-l4r5zi', kernels: 'optimized' });
  // What crosses the IPC channel and postMessage is JSON: the view must get by with that.
  return budgetMessage(JSON.parse(JSON.stringify(result)), { uri }, 'kws_ref_model.tflite');
}

describe('budget view in headless Chromium', function () {
  this.timeout(180_000);
  let browser: Browser | undefined;
  let server: WebviewServer | undefined;
  let origin = '';
  let dir = '';
  let kws: HostToView;
  const pages: Page[] = [];

  before(async function () {
    await requireChromium(this, 60_000);
    dir = mkdtempSync(join(tmpdir(), 'tinyml-budget-view-'));
    await build({
      entryPoints: { main: join(repoRoot, 'webview/src/main.ts') },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outdir: dir,
      logLevel: 'warning',
    });
    server = await serveWebview(dir, 'main', (at) => budgetHtml({ cspSource: at, nonce: NONCE, scriptUri: `${at}/main.js`, styleUri: `${at}/main.css`, title: 'TinyML budget' }));
    origin = server.origin;
    browser = await launchChromium();
    kws = await kwsMessage();
  });

  after(async () => {
    for (const p of pages) await p.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh view with the theme's variables, a stub of acquireVsCodeApi and optionally a saved state. */
  async function openView(theme: Record<string, string>, themeClass: string, saved?: unknown) {
    const page = await browser!.newPage({ viewport: { width: 1180, height: 900 }, deviceScaleFactor: 1 });
    pages.push(page);
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy|Refused to/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    // A string, not a function: the test runner's transpiler would wrap a function in helpers the page lacks.
    await page.addInitScript(`(() => {
      let acquired = 0;
      window.__posted = [];
      window.__state = ${JSON.stringify(saved ?? null)} ?? undefined;
      window.acquireVsCodeApi = () => {
        if (++acquired > 1) throw new Error('acquireVsCodeApi called more than once');
        return {
          postMessage: (m) => window.__posted.push(m),
          getState: () => window.__state,
          setState: (s) => { window.__state = JSON.parse(JSON.stringify(s)); },
        };
      };
    })();`);
    await page.goto(`${origin}/`);
    await page.evaluate(
      ({ vars, cls }) => {
        for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
        document.body.classList.add(cls);
      },
      { vars: theme, cls: themeClass },
    );
    await page.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'));
    return { page, problems };
  }

  const post = (page: Page, message: HostToView) => page.evaluate((m) => window.postMessage(m, '*'), message);
  const rowOrder = (page: Page) => page.$$eval('table.layers tbody tr', (rows) => rows.map((r) => Number((r as unknown as Dataset).dataset.layer)));

  it('renders the KWS layers, the totals against the board and the arena peak', async () => {
    const { page, problems } = await openView(DARK_MODERN, 'vscode-dark');
    await post(page, kws);
    await page.waitForSelector('table.layers tbody tr');

    const rows = await page.$$eval('table.layers tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    assert.equal(rows.length, 13);
    assert.deepEqual(rows[0].slice(0, 8), ['0', 'CONV_2D', '[1,25,5,64]', 'int8', '7.8 KiB', '2.8 KiB', '320.0K', '14.6 ms']);
    assert.deepEqual(rows[11].slice(0, 8), ['11', 'FULLY_CONNECTED', '[1,12]', 'int8', '12 B', '816 B', '768', '33 µs']);
    assert.equal(rows[1][8], 'available (CMSIS-NN)');
    assert.equal(rows[10][8], 'available');
    assert.equal(await page.title(), 'kws_ref_model.tflite: TinyML budget');

    // Totals: 22,772 B reference / 22,824 B CMSIS-NN arena of 640 KiB RAM, the 52.7 KiB model of 2 MiB flash.
    assert.equal(await page.textContent('#verdict'), 'Fits STM32 NUCLEO-L4R5ZI: the arena uses 3.5% of RAM, the model 2.6% of flash.');
    const limits = await page.$$eval('.limit', (els) => els.map((e) => [e.getAttribute('data-limit'), e.querySelector('.value')?.textContent, e.querySelector('.pct')?.textContent, e.querySelector('.verdict')?.textContent]));
    assert.deepEqual(limits, [
      ['arena-reference', '22.2 KiB of 640.0 KiB RAM', '3.5%', 'fits'],
      ['arena-optimized', '22.3 KiB of 640.0 KiB RAM', '3.5%', 'fits'],
      ['flash', '52.7 KiB of 2.00 MiB flash', '2.6%', 'fits'],
    ]);

    // Timeline: 14 planned buffers; the ping-pong pair of 8000-byte activations reaches 16,000 B, first at op 1.
    assert.equal(await page.$$eval('svg.timeline rect.buf', (r) => r.length), 14);
    assert.equal(await page.textContent('svg.timeline .peak-label'), 'peak 15.6 KiB');
    assert.equal(await page.getAttribute('svg.timeline rect.peak', 'data-buffer'), '2');
    assert.match((await page.textContent('.timeline-info')) ?? '', /^Peak: 15\.6 KiB planned \(16,000 B\); most live at op 1: 15\.6 KiB\./);
    const peakLineY = Number(await page.getAttribute('svg.timeline .peak-line', 'y1'));
    const peakRectY = Number(await page.getAttribute('svg.timeline rect.peak', 'y'));
    assert.ok(Math.abs(peakRectY - 0.5 - peakLineY) < 1e-6, 'the peak buffer touches the peak line');

    // Ops: six distinct, all with TFLM kernels; the resolver snippet registers each once.
    assert.equal(await page.textContent('#ops .summary'), 'TFLM has a kernel for every op (6 distinct).');
    const snippet = (await page.textContent('pre.snippet')) ?? '';
    assert.match(snippet, /^static tflite::MicroMutableOpResolver<6> resolver;\nresolver\.AddConv2D\(\);\nresolver\.AddDepthwiseConv2D\(\);/);
    assert.match((await page.textContent('#notes .basis')) ?? '', /^Latency basis: CMSIS-NN cost model/);

    mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'test-results', 'budget-view.png'), fullPage: true });
    assert.deepEqual(problems, []);
  });

  it('sorts by MACs from the keyboard and moves between rows with the arrow keys', async () => {
    const { page, problems } = await openView(DARK_MODERN, 'vscode-dark');
    await post(page, kws);
    await page.waitForSelector('table.layers tbody tr');
    await page.focus('button[data-sort="macs"]');
    await page.keyboard.press('Enter');
    // 512K (2, 4, 6, 8), 320K (0), 72K (1, 3, 5, 7), 8K (9), 768 (11), 12 (12), 0 (10): ties in execution order.
    assert.deepEqual(await rowOrder(page), [2, 4, 6, 8, 0, 1, 3, 5, 7, 9, 11, 12, 10]);
    assert.equal(await page.getAttribute('th:has(button[data-sort="macs"])', 'aria-sort'), 'descending');
    assert.equal(await page.evaluate(() => (document.activeElement as Dataset).dataset.sort), 'macs', 'focus stays on the header');

    await page.keyboard.press('Space');
    assert.deepEqual(await rowOrder(page), [10, 12, 11, 9, 1, 3, 5, 7, 0, 2, 4, 6, 8]);
    const state = (await page.evaluate(() => window.__state)) as BudgetViewState;
    assert.deepEqual(state.sort, { key: 'macs', direction: 'ascending' }, 'the sort is kept in the webview state');

    // Tab past the Latency header into the table body, then walk the rows.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const focused = () => page.evaluate(() => (document.activeElement as Dataset).dataset.layer);
    assert.equal(await focused(), '10');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), '11');
    await page.keyboard.press('End');
    assert.equal(await focused(), '8');
    await page.keyboard.press('ArrowUp');
    assert.equal(await focused(), '6');

    // RAM (output bytes) descending: the nine 8000-byte activations first.
    await page.click('button[data-sort="outputBytes"]');
    assert.deepEqual((await rowOrder(page)).slice(0, 10), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(problems, []);
  });

  it('hover and focus on a buffer name its tensor and bytes; the CMSIS-NN plan shows its scratch buffers', async () => {
    const { page } = await openView(DARK_MODERN, 'vscode-dark');
    await post(page, kws);
    await page.waitForSelector('svg.timeline rect.buf');
    await page.hover('svg.timeline rect[data-buffer="0"]');
    assert.equal(await page.textContent('.timeline-info'), 'input_1: 496 B (496 B) at offset 8000, live input to op 0');
    await page.focus('svg.timeline rect[data-buffer="13"]');
    assert.match((await page.textContent('.timeline-info')) ?? '', /: 16 B \(16 B\) at offset 0, live op 12 to op 12$/);

    await page.click('button[data-arena="optimized"]');
    assert.equal(await page.getAttribute('button[data-arena="optimized"]', 'aria-pressed'), 'true');
    assert.equal(await page.$$eval('svg.timeline rect.scratch', (r) => r.length), 2);
    await page.hover('svg.timeline rect.scratch');
    assert.match((await page.textContent('.timeline-info')) ?? '', /^scratch buffer of op 0: 160 B/);
  });

  it('restores sort and budget from the saved state before the host answers', async () => {
    const first = await openView(DARK_MODERN, 'vscode-dark');
    await post(first.page, kws);
    await first.page.waitForSelector('table.layers tbody tr');
    await first.page.click('button[data-sort="weightBytes"]');
    const saved = await first.page.evaluate(() => window.__state);

    const { page } = await openView(DARK_MODERN, 'vscode-dark', saved);
    // No budget posted: the table comes from the state.
    const order = await rowOrder(page);
    assert.deepEqual(order.slice(0, 5), [2, 4, 6, 8, 0]);
    assert.equal(await page.getAttribute('th:has(button[data-sort="weightBytes"])', 'aria-sort'), 'descending');
    // A host "loading" message keeps the old figures on screen and says it is updating.
    await post(page, { type: 'loading', title: 'kws_ref_model.tflite', source: (kws as Extract<HostToView, { type: 'budget' }>).model.source });
    assert.equal(await page.$$eval('table.layers tbody tr', (r) => r.length), 13);
    assert.equal(await page.textContent('.status-line'), 'Updating the budget of kws_ref_model.tflite…');
  });

  it('shows a clear message for a corrupt model, with a retry', async () => {
    const bad = join(dir, 'corrupt.tflite');
    const bytes = readFileSync(KWS);
    writeFileSync(bad, bytes.subarray(0, 200));
    const uri = pathToFileURL(bad).toString();
    const result = await handleBudgetRequest({ uri, board: 'nucleo-l4r5zi' });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.reason, 'corrupt');

    const { page, problems } = await openView(LIGHT_MODERN, 'vscode-light');
    await post(page, budgetMessage(result, { uri }, 'corrupt.tflite'));
    await page.waitForSelector('.error');
    assert.equal(await page.textContent('.error h2'), 'This model could not be read');
    assert.match((await page.textContent('.error .message')) ?? '', /^corrupt\.tflite: /);
    await page.click('vscode-button:has-text("Retry")');
    assert.deepEqual(await page.evaluate(() => window.__posted.map((m) => m.type)), ['ready', 'refresh']);
    await page.screenshot({ path: join(repoRoot, 'test-results', 'budget-view-error.png') });
    assert.deepEqual(problems, []);
  });

  it('light theme', async () => {
    const { page, problems } = await openView(LIGHT_MODERN, 'vscode-light');
    await post(page, kws);
    await page.waitForSelector('table.layers tbody tr');
    await page.click('vscode-button#board');
    assert.deepEqual(await page.evaluate(() => window.__posted.map((m) => m.type)), ['ready', 'selectBoard']);
    await page.screenshot({ path: join(repoRoot, 'test-results', 'budget-view-light.png'), fullPage: true });
    assert.deepEqual(problems, []);
  });
});

describe('tinyml/budget for a model embedded in C source', () => {
  const bytes = readFileSync(KWS);
  const hex = [...bytes].map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(',');
  const text = `#include <cstdint>\nconst unsigned char g_labels[] = {1, 2, 3};\nalignas(16) const unsigned char g_model[] = {${hex}};\nconst int g_model_len = ${bytes.length};\n`;
  const uri = 'file:///nonexistent/model_data.cc';

  it('reads the named array from the text the client sends', async () => {
    const result = await handleBudgetRequest({ uri, arrayName: 'g_model', text, board: 'nucleo-l4r5zi' });
    assert.ok(result.ok, !result.ok ? result.message : '');
    assert.equal(result.detail.arrayName, 'g_model');
    assert.equal(result.detail.budget.layers.length, 13);
    assert.equal(result.detail.kernels.length, 13);
    assert.equal(result.detail.tensorNames[0][0], 'input_1');
    assert.equal(result.report.totals.arenaBytes, 22772);
  });

  it('without a name, picks the array that holds a model', async () => {
    const result = await handleBudgetRequest({ uri, text });
    assert.ok(result.ok);
    assert.equal(result.detail.arrayName, 'g_model');
  });

  it('says which array is missing, and when the array is not a model', async () => {
    const missing = await handleBudgetRequest({ uri, arrayName: 'g_nope', text });
    assert.deepEqual(missing, { ok: false, reason: 'no-model-array', message: "model_data.cc: no byte array named 'g_nope' with an initializer." });
    const labels = await handleBudgetRequest({ uri, arrayName: 'g_labels', text });
    assert.equal(!labels.ok && labels.reason, 'corrupt');
    const board = await handleBudgetRequest({ uri, text, board: 'no-such-board' });
    assert.equal(!board.ok && board.reason, 'unknown-board');
  });
});
