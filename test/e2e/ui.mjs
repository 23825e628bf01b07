// UI tests: what a user sees in code-server's workbench, driven with playwright-core. Each test
// ends with a screenshot in test-results/e2e/. Selectors are VS Code 1.100's DOM
// (shared/docs/TESTING-REAL-PARTS.md); webview content sits in nested iframes, found through
// page.frames().

import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
const isMac = process.platform === 'darwin';
const mod = isMac ? 'Meta' : 'Control';

export class MissingFeature extends Error {
  constructor(feature) {
    super(`missing feature: ${feature}`);
  }
}
export class Skip extends Error {}

async function until(what, probe, timeoutMs = 20_000, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (${last.message ?? last})` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Runs a command by its palette title (F1). Commands of a remote extension appear a few seconds after the workbench: retry. */
export async function runCommand(page, title, timeoutMs = 20_000) {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await until(`the command '${title}' in the palette`, async () => {
    if (!(await input.isVisible())) await page.keyboard.press('F1');
    await input.fill(`>${title}`);
    await row.waitFor({ state: 'visible', timeout: 2000 });
    return true;
  }, timeoutMs);
  await row.click();
}

async function quickOpen(page, fileName) {
  await page.keyboard.press(`${mod}+P`);
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(fileName);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
}

/** All text of a frame's document, including open shadow roots (the webview toolkit's grid cells). */
async function deepText(frame) {
  return frame.evaluate(() => {
    const parts = [];
    const walk = (node) => {
      if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent);
      if (node.shadowRoot) walk(node.shadowRoot);
      for (const child of node.childNodes) walk(child);
    };
    walk(document.body ?? document);
    return parts.join(' ').replace(/\s+/g, ' ');
  });
}

/** The webview frame whose text satisfies `test` (webviews are an iframe inside an iframe). */
async function webviewFrame(page, what, test, timeoutMs = 30_000) {
  return until(what, async () => {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const text = await deepText(frame).catch(() => '');
      if (test(text)) return { frame, text };
    }
    return undefined;
  }, timeoutMs, 500);
}

/** Ctrl+G: go to `line` or `line:column` (1-based) in the active editor. */
async function gotoLine(page, where) {
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press(`${mod}+G`);
  await page.locator('.quick-input-widget input').fill(`:${where}`);
  await page.keyboard.press('Enter');
}

/** Picks `label` in the quick pick whose title contains `step` (each step opens a new one). */
async function pickStep(page, step, label) {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: step }).waitFor({ state: 'visible', timeout: 20_000 });
  await page.locator('.quick-input-widget input').fill(label);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}

const grouped = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export function uiTests(ex) {
  const boardName = (id) => ex.boards.find((b) => b.id === id)?.name ?? id;
  const shortName = (id) => boardName(id).replace(/\s*\(.*\)\s*$/, '').replace(/^STM32 (?=NUCLEO)/, '');
  const statusItem = (page) => page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { has: page.locator('.codicon-circuit-board') });
  const otherBoard = ex.boards.find((b) => b.id === 'arduino-nano-33-ble-sense') ?? ex.boards.find((b) => b.id !== ex.board);
  return [
    {
      name: 'the status bar shows the board',
      shot: '01-status-bar-board',
      fn: async (page, data) => {
        const item = statusItem(page);
        await until(`a status bar item '$(circuit-board) ${shortName(ex.board)}'`, async () => (await item.count()) > 0 && (await item.first().innerText()).includes(shortName(ex.board)), 30_000);
        data.text = (await item.first().innerText()).trim();
      },
    },
    {
      name: 'the Problems view lists arena-too-small with its numbers',
      shot: '02-problems',
      fn: async (page, data) => {
        await quickOpen(page, ex.mainFile);
        await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'visible', timeout: 30_000 });
        await runCommand(page, 'View: Focus Problems');
        const row = page.locator('.markers-panel .monaco-list-row', { hasText: `kTensorArenaSize is ${grouped(ex.arena.declaredBytes)} bytes` }).first();
        await row.waitFor({ state: 'visible', timeout: 15_000 });
        data.row = (await row.innerText()).replace(/\s+/g, ' ');
        if (!data.row.includes(`${grouped(ex.arena.needBytes)} bytes`)) throw new Error(`the Problems row lacks the needed ${grouped(ex.arena.needBytes)} bytes: ${data.row}`);
        data.rows = (await page.locator('.markers-panel .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
      },
    },
    {
      name: 'code lenses show the arena need and the shortfall',
      shot: '03-code-lens',
      fn: async (page, data) => {
        await quickOpen(page, ex.mainFile);
        const arena = page.locator('.monaco-editor .codelens-decoration', { hasText: `g_model needs` }).first();
        await arena.waitFor({ state: 'visible', timeout: 20_000 });
        data.arena = (await arena.innerText()).trim();
        if (!data.arena.includes('short by')) throw new Error(`the arena lens does not say the arena is short: ${data.arena}`);
        // Lenses render only for visible lines: bring the MicroInterpreter into view.
        const interpreterLine = ex.mainText.split('\n').findIndex((l) => l.includes('MicroInterpreter static_interpreter')) + 1;
        await gotoLine(page, `${interpreterLine}`);
        const lens = page.locator('.monaco-editor .codelens-decoration', { hasText: 'runs g_model' }).first();
        await lens.waitFor({ state: 'visible', timeout: 20_000 });
        data.interpreter = (await lens.innerText()).trim();
        if (!data.interpreter.includes('short by')) throw new Error(`the interpreter lens does not say the arena is short: ${data.interpreter}`);
      },
    },
    {
      name: 'the quick fix rewrites kTensorArenaSize in the editor',
      shot: '05-quick-fix-applied',
      fn: async (page, data, shoot) => {
        await quickOpen(page, ex.mainFile);
        await gotoLine(page, `${ex.arena.line + 1}:${ex.arena.character + 2}`);
        await page.keyboard.press(`${mod}+.`);
        const item = page.locator('.action-widget .monaco-list-row', { hasText: `Set kTensorArenaSize to ${ex.arena.fixText}` }).first();
        await item.waitFor({ state: 'visible', timeout: 15_000 });
        data.menu = (await page.locator('.action-widget .monaco-list-row').allInnerTexts()).map((t) => t.trim());
        await shoot('04-quick-fix-menu');
        // The action list has keyboard focus on its first action (a mouse click lands on its hover instead).
        if (!(await item.evaluate((el) => el.classList.contains('focused')))) throw new Error(`the focused action is not the arena fix: ${data.menu.join(' | ')}`);
        await page.keyboard.press('Enter');
        const line = page.locator('.monaco-editor .view-line', { hasText: `kTensorArenaSize = ${ex.arena.fixText}` }).first();
        await line.waitFor({ state: 'visible', timeout: 10_000 });
        data.line = (await line.innerText()).trim();
        await page.keyboard.press(`${mod}+S`);
        await until('the arena-too-small row gone from the Problems view', async () => (await page.locator('.markers-panel .monaco-list-row', { hasText: 'kTensorArenaSize is' }).count()) === 0);
        // The lens above the arena follows the edit: no longer short.
        const lens = page.locator('.monaco-editor .codelens-decoration', { hasText: 'g_model needs' }).first();
        await until('the arena lens to show spare bytes after the fix', async () => (await lens.innerText()).includes('spare'), 10_000).catch(async (error) => {
          throw new Error(`${error.message}; it still says: ${await lens.innerText().catch(() => '?')}`);
        });
        data.lensAfter = (await lens.innerText()).trim();
      },
    },
    {
      name: 'picking a board from the status bar changes it',
      shot: '07-status-bar-new-board',
      fn: async (page, data, shoot) => {
        await statusItem(page).first().click();
        const input = page.locator('.quick-input-widget input');
        await input.waitFor({ state: 'visible' });
        await input.fill(otherBoard.name);
        await page.locator('.quick-input-list .monaco-list-row', { hasText: otherBoard.name }).first().waitFor({ state: 'visible' });
        await shoot('06-select-board');
        await page.keyboard.press('Enter');
        await until(`the status bar showing ${shortName(otherBoard.id)}`, async () => (await statusItem(page).first().innerText()).includes(shortName(otherBoard.id)));
        data.text = (await statusItem(page).first().innerText()).trim();
      },
    },
    {
      name: 'the budget view renders for a .tflite',
      shot: '08-budget-view',
      fn: async (page, data) => {
        await quickOpen(page, 'kws_ref_model.tflite');
        const { text } = await webviewFrame(page, 'a webview showing the model budget (CONV_2D, the arena)', (t) => t.includes('CONV_2D') && t.includes('Arena'), 45_000);
        for (const op of new Set(ex.layers)) if (!text.includes(op)) throw new Error(`the budget view does not list ${op}`);
        if (!text.includes(otherBoard.name)) throw new Error(`the budget view does not name the board ${otherBoard.name}`);
        data.excerpt = text.slice(0, 400);
      },
    },
    {
      name: 'the device panel opens',
      shot: '09-device-panel',
      fn: async (page, data) => {
        if (!ex.commands.includes('tinyml.openDevicePanel')) throw new Skip('not yet available: tinyml.openDevicePanel is not in package.json');
        await runCommand(page, 'TinyML: Open Device Panel');
        const { text } = await webviewFrame(page, 'a webview showing the device panel (Plotter)', (t) => t.includes('Plotter') && !t.includes('CONV_2D'), 30_000);
        data.excerpt = text.slice(0, 300);
      },
    },
    {
      name: 'the walkthrough shows its steps',
      shot: '10-walkthrough',
      fn: async (page, data) => {
        await runCommand(page, 'Welcome: Open Walkthrough...');
        const input = page.locator('.quick-input-widget input');
        await input.fill('Get Started with TinyML Lens');
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get Started with TinyML Lens' }).first().waitFor({ state: 'visible' });
        await page.keyboard.press('Enter');
        const steps = page.locator('.getting-started-step', { hasText: 'Select your board' });
        await steps.first().waitFor({ state: 'visible', timeout: 20_000 });
        data.steps = await page.locator('.getting-started-step .step-title').allInnerTexts();
        if (!data.steps.some((t) => t.includes('See a diagnostic and fix it'))) throw new Error(`the walkthrough lacks the diagnostic step: ${JSON.stringify(data.steps)}`);
        // The selected step's page is markdown shipped in the VSIX, rendered in a webview.
        const { text } = await webviewFrame(page, "the 'Select your board' step page", (t) => t.includes('Every figure TinyML Lens shows is for one board'), 20_000);
        data.stepPage = text.slice(0, 200);
      },
    },
    {
      name: 'TinyML: Prune Model writes a pruned model beside the input and opens its report',
      shot: '11-prune-report',
      fn: async (page, data) => {
        if (!ex.commands.includes('tinyml.pruneModel')) throw new MissingFeature('TinyML: Prune Model');
        const output = join(ex.workspace, ex.modelFile.replace(/\.tflite$/, '.pruned50-channels.tflite'));
        rmSync(output, { force: true });
        rmSync(`${output}.report.json`, { force: true });
        // The model's budget view must be the active editor (the command acts on it), not the walkthrough.
        await runCommand(page, 'View: Close All Editors');
        await quickOpen(page, ex.modelFile.split('/').pop());
        await webviewFrame(page, 'the budget view of the model', (t) => t.includes('CONV_2D') && t.includes('Arena'), 45_000);
        await runCommand(page, 'TinyML: Prune Model');
        await pickStep(page, '(1/3)', 'Generated inputs');
        await pickStep(page, '(2/3)', '50 %');
        await pickStep(page, '(3/3)', 'Structured channels');
        const { text } = await webviewFrame(page, 'the report view of the pruned model', (t) => t.includes('pruned50-channels') && /SNR/.test(t), 90_000);
        data.excerpt = text.slice(0, 400);
        if (!existsSync(output)) throw new Error(`${output} was not written`);
        const report = JSON.parse(readFileSync(`${output}.report.json`, 'utf8'));
        data.macs = { before: report.budget.before.macs, after: report.budget.after.macs };
        if (!(report.budget.after.macs < report.budget.before.macs)) throw new Error(`structured pruning did not reduce MACs: ${JSON.stringify(data.macs)}`);
        if (readFileSync(join(ex.workspace, ex.modelFile)).length === 0) throw new Error('the input model was emptied');
      },
    },
  ];
}
