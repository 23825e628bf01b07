// The device panel end to end, without VS Code: the bundled panel UI in headless Chromium with a
// stubbed acquireVsCodeApi, wired both ways to the real host controller. Choosing the "QEMU
// hello_world example" preset and clicking Run builds examples/qemu-m4 with make, starts QEMU,
// opens its pty in the monitor, runs the model in the worker thread and compares every yq the
// firmware prints; every line the UART delivered must be whole. Then lines recorded from that run,
// one with a corrupted yq, come through a socat pty pair and must be flagged. A second view opened
// on the same controller (what hiding and showing a webview does) must re-sync.
// Screenshots: test-results/device-panel*.png.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { SerialPort } from 'serialport';
import { DeviceController } from '../../../client/src/panels/device/deviceController';
import { deviceHtml } from '../../../client/src/panels/device/deviceHtml';
import type { DeviceHost, DeviceSettings } from '../../../client/src/panels/device/deviceHost';
import type { DevicePanelState, DeviceToHost, HostToDevice, InferenceStats, MonitorLine } from '../../../webview/src/device/messages';
import { QEMU_FIRMWARE_TOOLS, requireTools } from '../../helpers/qemuBoard';
import { repoRoot } from '../../helpers/shared';
import { launchChromium, requireChromium, serveWebview, type WebviewServer } from '../../helpers/webviewHarness';
import { bundleInferenceWorker } from '../../unit/device/inference/workerBundle';
import { assertWholeSweep } from '../qemu/sweepLines';
import { PtyPair } from '../serial/socat';
import { DARK_MODERN, LIGHT_MODERN } from '../webview/themes';

const NONCE = 'ZGV2aWNlLXBhbmVsLW5vbmNl';
const RESULTS = join(repoRoot, 'test-results');

// The page's globals used by callbacks that run in Chromium (the project compiles without the DOM lib).
declare const window: { __state: unknown; postMessage(message: unknown, targetOrigin: string): void };
declare const document: { documentElement: { style: { setProperty(name: string, value: string): void } }; body: { classList: { add(name: string): void } } };

async function until<T>(what: string, ms: number, probe: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('device panel: bundled UI in headless Chromium, real host, QEMU firmware', function () {
  this.timeout(240_000);
  let browser: Browser | undefined;
  let server: WebviewServer | undefined;
  let pair: PtyPair | undefined;
  let controller: DeviceController | undefined;
  let dir = '';
  let origin = '';
  let page: Page | undefined;
  /** Where the controller's messages go: the page the test looks at. */
  let target: Page | undefined;
  let delivery: Promise<unknown> = Promise.resolve();
  let stats: InferenceStats | undefined;
  const received: MonitorLine[] = [];
  const problems: string[] = [];
  const notices: string[] = [];

  /**
   * Resolves once the page has handled every message the host posted so far and drawn the frames
   * they asked for (window messages arrive in order; the views draw on the next animation frame,
   * the plot at most once per frame, so a second frame covers a draw it put off).
   */
  async function settled(p: Page): Promise<void> {
    await delivery;
    await p.evaluate(`new Promise((resolve) => {
      const mark = 'settled-' + Math.random();
      addEventListener('message', function seen(e) {
        if (e.data !== mark) return;
        removeEventListener('message', seen);
        requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
      });
      postMessage(mark, '*');
    })`);
  }

  const post = (m: HostToDevice) => {
    if (m.type === 'inference') stats = m.stats;
    if (m.type === 'lines') received.push(...m.lines);
    if (m.type === 'notice' || (m.type === 'task' && m.state === 'failed')) notices.push(JSON.stringify(m));
    const to = target;
    delivery = delivery.then(() => to?.evaluate((msg) => window.postMessage(msg, '*'), m)).catch(() => undefined);
  };

  before(async function () {
    await requireChromium(this, 30_000);
    requireTools(this, [...QEMU_FIRMWARE_TOOLS, 'socat']);
    dir = mkdtempSync(join(tmpdir(), 'tinyml-device-panel-'));
    await build({ entryPoints: { device: join(repoRoot, 'webview/src/device/main.ts') }, bundle: true, format: 'esm', platform: 'browser', target: 'es2022', outdir: dir, logLevel: 'warning' });
    const workerFile = await bundleInferenceWorker();
    server = await serveWebview(dir, 'device', (at) => deviceHtml({ cspSource: at, nonce: NONCE, scriptUri: `${at}/device.js`, styleUri: `${at}/device.css` }));
    origin = server.origin;
    browser = await launchChromium();
    const settings: DeviceSettings = { board: 'qemu-mps2-an386', baudRate: 115200, lineEnding: 'lf', buildCommand: [], sketchDirectory: '', artifact: '', flashMethod: '', port: '', logDirectory: '', historyLines: 5000 };
    const host: DeviceHost = {
      isTrusted: () => true,
      settings: () => settings,
      workspaceRoot: () => repoRoot,
      logDirectory: () => join(dir, 'logs'),
      workerFile: () => workerFile,
      withProgress: (_title, task) => task({ report: () => undefined }, new AbortController().signal),
      pickModel: async () => undefined,
      saveAs: async (name, content) => {
        const file = join(dir, name);
        if ('text' in content) writeFileSync(file, content.text);
        else writeFileSync(file, readFileSync(content.copyFrom));
        return file;
      },
      openFile: () => undefined,
      log: () => undefined,
      showError: (m, hint) => notices.push(`${m} ${hint ?? ''}`),
    };
    controller = new DeviceController(host, post, async () => ({ ports: [], error: 'udev is not available here' }));
  });

  after(async () => {
    await controller?.dispose();
    await pair?.dispose();
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function openView(theme: Record<string, string>, themeClass: string, saved?: unknown): Promise<Page> {
    const p = await browser!.newPage({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
    p.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy|Refused to/.test(m.text())) problems.push(m.text());
    });
    p.on('pageerror', (e) => problems.push(e.message));
    await p.exposeFunction('__toHost', (m: DeviceToHost) => controller!.receive(m));
    // A string, not a function: tsx would wrap the function's inner arrows in its __name helper.
    await p.addInitScript(`(() => {
      let acquired = 0;
      window.__state = ${JSON.stringify(saved ?? null)};
      window.acquireVsCodeApi = () => {
        if (++acquired > 1) throw new Error('acquireVsCodeApi called more than once');
        return {
          postMessage: (m) => void window.__toHost(JSON.parse(JSON.stringify(m))),
          getState: () => window.__state,
          setState: (s) => (window.__state = JSON.parse(JSON.stringify(s))),
        };
      };
    })();`);
    target = p;
    await p.goto(`${origin}/`);
    await p.evaluate(
      ({ vars, cls }) => {
        for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
        document.body.classList.add(cls);
      },
      { vars: theme, cls: themeClass },
    );
    await p.waitForSelector('.monitor-viewport', { timeout: 10_000 }).catch((e) => {
      throw new Error(`${e.message}\n${problems.join('\n')}`);
    });
    return p;
  }

  it('one click with the QEMU preset: builds, runs the firmware, plots, monitors and agrees with the host engine', async () => {
    page = await openView(DARK_MODERN, 'vscode-dark');
    await until('the preset list', 10_000, () => page!.$('select.preset option[value="qemu-hello-world"]'));
    await page.selectOption('select.preset', 'qemu-hello-world');
    await until('the model', 20_000, async () => /hello_world_int8\.tflite: input \[1×1\] int8/.test((await page!.textContent('.model-name')) ?? ''));
    await page.click('button.run-all');
    // make, QEMU, the pty, then thousands of steps a second.
    await until('300 compared results', 120_000, () => (stats?.compared ?? 0) >= 300 && received.length > 1000);
    await page.click('button.connect'); // Disconnect: the screenshot shows a still picture.
    await until('the port closed', 10_000, async () => (await page!.getAttribute('.conn-state', 'data-state')) === 'closed');
    await settled(page);

    assert.deepEqual(notices.filter((n) => /error|failed/.test(n)), []);
    // The UART's lines arrived whole, every step in order (the line cut off by Disconnect is 'partial').
    assert.ok(assertWholeSweep(received.filter((l) => l.kind === 'line').map((l) => l.text)) >= 300);
    assert.ok(received.filter((l) => l.kind === 'partial').length <= 1);
    // Task line: the run finished.
    assert.match((await page.textContent('.task')) ?? '', /^run: done/);
    // Plotter: the firmware's label:value series are shown, its counters and raw bytes hidden by the preset.
    const legend = await page.$$eval('.plot-serial .legend button.series', (bs) => bs.map((b) => [b.getAttribute('data-series'), b.getAttribute('aria-pressed'), Number(b.getAttribute('data-count') ?? 0)] as const));
    // No series but the firmware's numeric fields: a line with bytes cut out would add one (`x:3.6x`).
    const fields = ['x', 'sin', 'y', 'step', 'xq', 'yq', 'layers', 'steps_per_period', 'layer', 'multiplier', 'shift', 'act_min', 'act_max'];
    assert.deepEqual(legend.map(([n]) => n).filter((n) => !fields.includes(n!)), []);
    const shown = legend.filter(([, p]) => p === 'true').map(([n]) => n);
    assert.deepEqual(shown.sort(), ['sin', 'x', 'y']);
    for (const hidden of ['step', 'xq', 'yq']) assert.ok(legend.some(([n, p]) => n === hidden && p === 'false'), `${hidden} hidden`);
    for (const [name, , count] of legend.filter(([n]) => ['x', 'sin', 'y'].includes(n!))) assert.ok(count > 100, `${name}: ${count} samples`);
    assert.ok(Number(await page.getAttribute('.plot-serial canvas', 'data-points')) > 100);
    const [ymin, ymax] = ((await page.getAttribute('.plot-serial canvas', 'data-y-range')) ?? '').split(',').map(Number);
    assert.ok(ymin <= -1 && ymax >= 1 && ymax <= 10, `auto-scaled around sin and x: ${ymin}..${ymax}`);

    // Monitor: rows with timestamps, the firmware's lines as printed.
    const rows = await page.$$eval('.monitor-rows .row', (rs) => rs.map((r) => [r.querySelector('.ts')?.textContent, r.querySelector('.text')?.textContent]));
    assert.ok(rows.length > 10, `${rows.length} rows rendered`);
    assert.ok(rows.length < 200, 'virtualized: only the visible rows are in the DOM');
    for (const [ts] of rows) assert.match(ts ?? '', /^\d\d:\d\d:\d\d\.\d{3}$/);
    assert.ok(rows.some(([, t]) => /^x:\d+\.\d{4},sin:-?\d+\.\d{4},y:-?\d+\.\d{4}$/.test(t ?? '')));
    assert.ok(rows.some(([, t]) => /^\{"step":\d+,"x":[\d.]+,"xq":-?\d+,"yq":-?\d+,"y":-?[\d.]+\}$/.test(t ?? '')));
    assert.match((await page.textContent('.log-path')) ?? '', /logs\/.+-pts_\d+\.log$/);

    // Device vs host: every compared yq is the engine's byte; none disagrees.
    assert.equal(stats!.disagreements, 0);
    const table = await page.$$eval('table.comparison tbody tr', (trs) => trs.map((tr) => [tr.className, ...[...tr.querySelectorAll('td')].map((td) => td.textContent)]));
    assert.ok(table.length >= 20);
    for (const r of table) {
      assert.equal(r[0], 'agree');
      assert.equal(r[3], r[4], 'host byte = device byte');
      assert.equal(r[6], '✓ agree');
    }
    assert.match((await page.textContent('.inference-stats')) ?? '', /· 0 disagreements/);
    assert.match((await page.textContent('.top-label')) ?? '', /^y$/);

    mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: join(RESULTS, 'device-panel.png') });
  });

  it('flags a corrupted device result that comes in through a serial port', async () => {
    assert.ok(page);
    pair = new PtyPair();
    await pair.start();
    await page.fill('input.port', pair.a);
    await page.click('button.connect');
    await until('the port open', 10_000, async () => (await page!.getAttribute('.conn-state', 'data-state')) === 'open');

    // 40 lines recorded from the QEMU run above; the 10th result's yq off by one.
    const recorded = received.filter((l) => l.kind === 'line' && /^(x:|\{"step")/.test(l.text)).slice(-40).map((l) => l.text);
    const results = recorded.map((t, i) => [t, i] as const).filter(([t]) => t.startsWith('{"step"'));
    const [original, at] = results[9];
    const yq = (JSON.parse(original) as { yq: number }).yq;
    const corrupted = original.replace(`"yq":${yq},`, `"yq":${yq + 1},`);
    recorded[at] = corrupted;
    const before = { ...stats! };
    const device = new SerialPort({ path: pair.b, baudRate: 115200 });
    await new Promise<void>((resolve, reject) => device.write(recorded.map((l) => `${l}\r\n`).join(''), (e) => (e ? reject(e) : device.drain(() => resolve()))));
    await until('20 more compared', 15_000, () => stats!.compared >= before.compared + 20);
    await new Promise<void>((r) => device.close(() => r()));
    await settled(page);

    assert.equal(stats!.disagreements, 1);
    const flagged = await page.$$eval('table.comparison tbody tr.disagree', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    assert.equal(flagged.length, 1);
    const xq = (JSON.parse(corrupted) as { xq: number }).xq;
    assert.deepEqual(flagged[0].slice(1), [String(xq), String(yq), String(yq + 1), '1', '✗ differs (exact)']);
    assert.match((await page.textContent('.inference-stats')) ?? '', /· 1 disagreements/);
    assert.equal(await page.getAttribute('.inference-stats', 'data-disagreements'), '1');
    // The monitor's search finds the corrupted line.
    await page.fill('input.search', `"yq":${yq + 1},`);
    await page.press('input.search', 'Enter');
    await settled(page);
    assert.ok(((await page.textContent('.match-count')) ?? '').startsWith('1/'));
    assert.ok(await page.$('.monitor-rows mark.current'));
    await page.click('input.only-disagreements');
    await page.screenshot({ path: join(RESULTS, 'device-panel-disagreement.png') });
    await page.click('input.only-disagreements');
  });

  it('a new view on the same host (hidden and shown again) restores its state and re-syncs lines, series and results', async () => {
    assert.ok(page);
    await page.fill('input.send-text', 'typed but not sent');
    await page.dispatchEvent('input.send-text', 'input');
    const saved = (await page.evaluate(() => window.__state)) as DevicePanelState;
    assert.equal(saved.draft, 'typed but not sent');
    assert.equal(saved.preset, 'qemu-hello-world');
    assert.ok(saved.hiddenSeries.includes('xq'));
    const prefix = { sent: '→ ', event: '— ' } as Record<string, string>;
    const lastLines = received.slice(-3).map((l) => (prefix[l.kind] ?? '') + l.text);
    await page.close();

    page = await openView(LIGHT_MODERN, 'vscode-light', saved);
    await until('the re-sync', 10_000, async () => (await page!.$$('.monitor-rows .row')).length > 10);
    await settled(page);
    assert.equal(await page.inputValue('input.send-text'), 'typed but not sent');
    assert.equal(await page.inputValue('select.preset'), 'qemu-hello-world');
    // Following the newest line again: the last rows are the last lines the host received.
    assert.deepEqual(await page.$$eval('.monitor-rows .row .text', (t) => t.map((x) => x.textContent).slice(-3)), lastLines);
    const legend = await page.$$eval('.plot-serial .legend button.series', (bs) => bs.map((b) => [b.getAttribute('data-series'), b.getAttribute('aria-pressed')]));
    assert.deepEqual(legend.filter(([, p]) => p === 'true').map(([n]) => n).sort(), ['sin', 'x', 'y']);
    assert.equal(await page.$$eval('table.comparison tbody tr.disagree', (t) => t.length), 1);
    assert.match((await page.textContent('.model-name')) ?? '', /^hello_world_int8\.tflite/);
    // Keyboard: the plot and the monitor take focus, a legend button toggles with Enter.
    await page.focus('.plot-serial .legend button.series[data-series="sin"]');
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('.plot-serial .legend button.series[data-series="sin"]', 'aria-pressed'), 'false');
    assert.ok(((await page.evaluate(() => window.__state)) as DevicePanelState).hiddenSeries.includes('sin'));
    await page.keyboard.press('Enter');
    await page.screenshot({ path: join(RESULTS, 'device-panel-light.png') });

    // CSV export goes through the host's save dialog.
    await page.click('.plot-serial button.export-csv');
    const csvFile = join(dir, 'plot.csv');
    await until('the CSV', 5_000, () => existsSync(csvFile));
    const csv = readFileSync(csvFile, 'utf8').split('\n');
    const header = csv[0].split(',');
    assert.deepEqual(header.slice(0, 2), ['sample', 'time']);
    for (const name of ['x', 'sin', 'y', 'xq', 'yq']) assert.ok(header.includes(name), `CSV column ${name}`);
    // Every plotter line of the firmware is a row with x, sin and y filled in.
    const [ix, isin, iy] = ['x', 'sin', 'y'].map((n) => header.indexOf(n));
    const full = csv.slice(1).filter((l) => l).map((l) => l.split(',')).filter((c) => c[isin] !== '');
    assert.ok(full.length > 100);
    for (const c of full.slice(0, 50)) {
      assert.match(c[1], /^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
      assert.ok(Math.abs(Math.sin(Number(c[ix])) - Number(c[isin])) <= 1e-4, `sin(${c[ix]}) = ${c[isin]}`);
      assert.notEqual(c[iy], '');
    }
    assert.deepEqual(problems, []);
    assert.ok(existsSync(dirname(csvFile)));
  });
});
