// The real language server bundle, driven over stdio as an editor drives it. Fixtures are built
// at test time from MLPerf Tiny's keyword-spotting model; the arena it needs comes from
// computeBudget on the same bytes (held to TFLM's own figures by the budget tests).

import assert from 'node:assert/strict';
import { mkdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CodeLens, Diagnostic, Hover } from 'vscode-languageserver-protocol';
import { findBoard } from '../../server/src/analysis/boards';
import { computeBudget } from '../../server/src/analysis/budget';
import { formatBytes } from '../../server/src/analysis/units';
import { loadModel } from '../../server/src/model/load';
import { applyEdits, makeProject, rangeOf, vscodeStyleUri, xxdArray, type FirmwareProject } from './firmwareWorkspace';
import { buildServer, LspClient } from './lspClient';

const board = findBoard('nucleo-l4r5zi')!;
/** 22824 → "22,824", as the messages print bytes. */
const grouped = (n: number) => n.toLocaleString('en-US');
const codes = (d: readonly Diagnostic[]) => d.map((x) => x.code);
const hasCode = (code: string) => (d: readonly Diagnostic[]) => d.some((x) => x.code === code);

/** The arena kws needs on the default board (a Cortex-M4: CMSIS-NN kernels, the default). */
function arenaNeed(project: FirmwareProject): number {
  return computeBudget(loadModel(project.modelBytes), board, { kernels: 'optimized' }).totals.arenaBytesOptimized;
}

/** need + 10 % (the default margin), rounded up to TFLM's 16-byte arena alignment. */
function recommended(need: number, marginPercent = 10): number {
  return Math.ceil(Math.ceil((need * (100 + marginPercent)) / 100) / 16) * 16;
}

describe('language server (real server over stdio)', function () {
  const clients: LspClient[] = [];
  const projects: FirmwareProject[] = [];

  before(async () => {
    await buildServer();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.stop()));
    for (const p of projects.splice(0)) rmSync(p.root, { recursive: true, force: true });
  });

  async function start(arenaBytes: number, settings: (scope?: string) => unknown = () => ({})) {
    const project = makeProject({ arenaBytes });
    projects.push(project);
    const client = await LspClient.start({ folders: [project.root], settings });
    clients.push(client);
    return { project, client };
  }

  it('advertises incremental sync, quick fixes, code lenses and hovers', async () => {
    const { client } = await start(10240);
    assert.deepEqual(client.capabilities.textDocumentSync, { openClose: true, change: 2 });
    assert.deepEqual(client.capabilities.codeActionProvider, { codeActionKinds: ['quickfix'] });
    assert.deepEqual(client.capabilities.codeLensProvider, { resolveProvider: false });
    assert.equal(client.capabilities.hoverProvider, true);
  });

  it('reports arena-too-small on the kTensorArenaSize value, naming the bytes the model needs', async () => {
    const { project, client } = await start(10240);
    const need = arenaNeed(project);
    await client.open(project.mainUri, project.mainText);
    const { diagnostics, version } = await client.diagnostics(project.mainUri, hasCode('arena-too-small'));
    assert.equal(version, 1);
    assert.deepEqual(codes(diagnostics), ['arena-too-small']);
    const [arena] = diagnostics;
    assert.deepEqual(arena.range, rangeOf(project.mainText, '10240'));
    assert.equal(arena.severity, 1);
    assert.equal(arena.source, 'tinyml');
    assert.ok(arena.message.startsWith(`kTensorArenaSize is 10,240 bytes (10.0 KiB) but g_model needs ${grouped(need)} bytes `), arena.message);
    assert.match(arena.message, /CMSIS-NN kernels/);
    assert.deepEqual(arena.relatedInformation, [
      { location: { uri: project.headerUri, range: rangeOf(project.headerText, 'g_model') }, message: 'the model array g_model' },
    ]);
  });

  it('offers a preferred quick fix that sets need + margin; applying it clears the error', async () => {
    const { project, client } = await start(10240);
    const fixed = recommended(arenaNeed(project));
    await client.open(project.mainUri, project.mainText);
    const [arena] = (await client.diagnostics(project.mainUri, hasCode('arena-too-small'))).diagnostics;

    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: project.mainUri },
      range: arena.range,
      context: { diagnostics: [arena], only: ['quickfix'] },
    });
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1);
    const [fix] = preferred;
    assert.equal(fix.kind, 'quickfix');
    assert.deepEqual(fix.diagnostics, [arena]);
    assert.deepEqual(Object.keys(fix.edit?.changes ?? {}), [project.mainUri]);
    const edits = fix.edit!.changes![project.mainUri];
    const newText = applyEdits(project.mainText, edits);
    assert.equal(newText, project.mainText.replace('kTensorArenaSize = 10240;', `kTensorArenaSize = ${fixed};`));

    // A code-action request for refactorings only gets no quick fixes.
    const refactors = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: project.mainUri },
      range: arena.range,
      context: { diagnostics: [arena], only: ['refactor'] },
    });
    assert.deepEqual(refactors, []);

    await client.notify('textDocument/didChange', {
      textDocument: { uri: project.mainUri, version: 2 },
      contentChanges: edits.map((e) => ({ range: e.range, text: e.newText })),
    });
    const after = await client.diagnostics(project.mainUri, () => client.latest.get(project.mainUri)?.version === 2);
    assert.deepEqual(after.diagnostics, []);
  });

  it('a change of model_data.h on disk (watched-file event) changes the diagnostics of main.cc', async () => {
    const { project, client } = await start(10240);
    await client.open(project.mainUri, project.mainText);
    await client.diagnostics(project.mainUri, hasCode('arena-too-small'));

    // The same firmware, now with a model that needs a tenth of the arena: the error goes.
    const small = makeProject({ model: 'tflm/hello_world_int8.tflite', arenaBytes: 1 });
    projects.push(small);
    const smallNeed = computeBudget(loadModel(small.modelBytes), board, { kernels: 'optimized' }).totals.arenaBytesOptimized;
    assert.ok(smallNeed < 10240);
    writeFileSync(project.headerPath, `#pragma once\n${xxdArray('g_model', small.modelBytes)}`);
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: project.headerUri, type: 2 }] });
    const after = await client.diagnostics(project.mainUri, (d) => !hasCode('arena-too-small')(d), { onlyNew: true });
    // hello_world runs on FULLY_CONNECTED alone: the arena is now oversized, the other five
    // registrations (lines 12-15 and 17) are unused.
    assert.deepEqual(codes(after.diagnostics), ['arena-oversized', 'op-unused', 'op-unused', 'op-unused', 'op-unused', 'op-unused']);
    assert.ok(after.diagnostics[0].message.includes(`needs only ${grouped(smallNeed)} bytes`), after.diagnostics[0].message);
    assert.deepEqual(
      after.diagnostics.slice(1).map((d) => d.range.start.line),
      [11, 12, 13, 14, 16],
    );
  });

  it('an edit in an open model_data.h buffer changes the arena need reported in main.cc', async () => {
    const { project, client } = await start(10240);
    await client.open(project.mainUri, project.mainText);
    await client.open(project.headerUri, project.headerText);
    await client.diagnostics(project.mainUri, hasCode('arena-too-small'));

    const bigger = makeProject({ model: 'tflm/person_detect.tflite', arenaBytes: 1 });
    projects.push(bigger);
    const biggerNeed = computeBudget(loadModel(bigger.modelBytes), board, { kernels: 'optimized' }).totals.arenaBytesOptimized;
    const lines = project.headerText.split('\n');
    await client.notify('textDocument/didChange', {
      textDocument: { uri: project.headerUri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1].length } }, text: bigger.headerText }],
    });
    const after = await client.diagnostics(project.mainUri, (d) => d.some((x) => x.code === 'arena-too-small' && x.message.includes(`needs ${grouped(biggerNeed)} bytes`)));
    assert.deepEqual(after.diagnostics.find((d) => d.code === 'arena-too-small')!.range, rangeOf(project.mainText, '10240'));
  });

  it('code lenses show the arena against the need; hovering the size explains it', async () => {
    const { project, client } = await start(10240);
    const need = arenaNeed(project);
    await client.open(project.mainUri, project.mainText);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: project.mainUri } });
    const arenaLens = lenses.find((l) => l.range.start.line === rangeOf(project.mainText, 'tensor_arena').start.line);
    assert.ok(arenaLens, JSON.stringify(lenses));
    assert.deepEqual(arenaLens.range, rangeOf(project.mainText, 'tensor_arena'));
    assert.equal(arenaLens.command?.title, `arena ${formatBytes(10240)} · g_model needs ${formatBytes(need)} · short by ${formatBytes(need - 10240)}`);
    assert.equal(arenaLens.command?.command, 'tinyml.showBudget');
    assert.deepEqual(arenaLens.command?.arguments, [{ uri: project.headerUri, arrayName: 'g_model' }]);
    // The header is not open, so its lens is not asked for; the interpreter line carries one too.
    assert.equal(lenses.length, 2);

    const value = rangeOf(project.mainText, '10240');
    const hover = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: project.mainUri },
      position: { line: value.start.line, character: value.start.character + 2 },
    });
    assert.ok(hover);
    assert.deepEqual(hover.range, value);
    const markdown = hover.contents as { kind: string; value: string };
    assert.equal(markdown.kind, 'markdown');
    assert.ok(markdown.value.includes(`needs ${grouped(need)} bytes`), markdown.value);
    const nothing = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: project.mainUri }, position: { line: 8, character: 0 } });
    assert.equal(nothing, null);
  });

  it('didChangeConfiguration to a board with less RAM brings ram-over-budget; severities follow the settings', async () => {
    let section: Record<string, unknown> = {};
    const { project, client } = await start(200000, () => section);
    const need = arenaNeed(project);
    await client.open(project.mainUri, project.mainText);
    const first = await client.diagnostics(project.mainUri, hasCode('arena-oversized'));
    assert.deepEqual(codes(first.diagnostics), ['arena-oversized']);
    assert.equal(first.diagnostics[0].severity, 3);
    assert.ok(first.diagnostics[0].message.includes(`needs only ${grouped(need)} bytes`));

    const microbit = findBoard('microbit-v2')!;
    assert.ok(200000 > microbit.ramBytes);
    section = { board: 'microbit-v2' };
    const published = client.diagnostics(project.mainUri, hasCode('ram-over-budget'), { onlyNew: true });
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    const { diagnostics } = await published;
    assert.deepEqual(codes(diagnostics), ['arena-oversized', 'ram-over-budget']);
    const ram = diagnostics[1];
    assert.deepEqual(ram.range, rangeOf(project.mainText, 'tensor_arena'));
    assert.equal(ram.severity, 1);
    assert.equal(
      ram.message,
      `Static RAM ${grouped(200000)} bytes (${formatBytes(200000)}) exceeds the ${formatBytes(microbit.ramBytes)} of SRAM on the ${microbit.name} ` +
        `by ${formatBytes(200000 - microbit.ramBytes)}: the arena ${formatBytes(200000)}`,
    );

    section = { board: 'microbit-v2', diagnostics: { severity: { 'ram-over-budget': 'warning', 'arena-oversized': 'off' } } };
    const overridden = client.diagnostics(project.mainUri, (d) => d.length === 1 && d[0].severity === 2, { onlyNew: true });
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    assert.deepEqual(codes((await overridden).diagnostics), ['ram-over-budget']);
  });

  it('debounces a burst of edits into one publish, for the last version', async () => {
    const { project, client } = await start(10240);
    await client.open(project.mainUri, project.mainText);
    await client.diagnostics(project.mainUri, hasCode('arena-too-small'));
    const before = client.publishCount.get(project.mainUri);
    const value = rangeOf(project.mainText, '10240');
    // Typing 3,0,0,0,0 over the old value: 30000 fits, every prefix but the last is too small.
    let typed = '';
    for (const [i, digit] of ['3', '0', '0', '0', '0'].entries()) {
      const range = { start: { line: value.start.line, character: value.start.character }, end: { line: value.end.line, character: value.start.character + (i === 0 ? 5 : typed.length) } };
      typed += digit;
      await client.notify('textDocument/didChange', { textDocument: { uri: project.mainUri, version: i + 2 }, contentChanges: [{ range, text: typed }] });
    }
    const last = await client.diagnostics(project.mainUri, () => client.latest.get(project.mainUri)?.version === 6);
    assert.deepEqual(codes(last.diagnostics), ['arena-oversized']);
    assert.equal(client.publishCount.get(project.mainUri), (before ?? 0) + 1);
  });

  it('answers on the uri the client spelled, even when Node escapes it differently', async () => {
    const project = makeProject({ arenaBytes: 10240, folderName: 'my@project [v2]' });
    projects.push({ ...project, root: join(project.root, '..') });
    const mainUri = vscodeStyleUri(project.mainPath);
    assert.notEqual(mainUri, project.mainUri);
    const client = await LspClient.start({ folders: [], folderUris: [vscodeStyleUri(project.root)] });
    clients.push(client);
    await client.open(mainUri, project.mainText);
    const { diagnostics } = await client.diagnostics(mainUri, hasCode('arena-too-small'));
    assert.deepEqual(diagnostics[0].relatedInformation?.[0].location.range, rangeOf(project.headerText, 'g_model'));
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: mainUri },
      range: diagnostics[0].range,
      context: { diagnostics },
    });
    assert.deepEqual(Object.keys(actions[0].edit?.changes ?? {}), [mainUri]);
    assert.equal(client.publishCount.get(project.mainUri), undefined);
  });

  it('closing a document clears its diagnostics', async () => {
    const { project, client } = await start(10240);
    await client.open(project.mainUri, project.mainText);
    await client.diagnostics(project.mainUri, hasCode('arena-too-small'));
    await client.notify('textDocument/didClose', { textDocument: { uri: project.mainUri } });
    const cleared = await client.diagnostics(project.mainUri, (d) => d.length === 0, { onlyNew: true });
    assert.deepEqual(cleared.diagnostics, []);
  });

  it('an unknown board falls back to the default with one warning message', async () => {
    const { project, client } = await start(10240, () => ({ board: 'arduino-uno' }));
    await client.open(project.mainUri, project.mainText);
    const { diagnostics } = await client.diagnostics(project.mainUri, hasCode('arena-too-small'));
    assert.ok(diagnostics[0].message.includes(`needs ${grouped(arenaNeed(project))} bytes`));
    // Settings are read again after a configuration change: the same bad value is not repeated.
    const again = client.diagnostics(project.mainUri, hasCode('arena-too-small'), { onlyNew: true });
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    await again;
    assert.deepEqual(client.shownMessages, [
      `tinyml.board: unknown board "arduino-uno"; using nucleo-l4r5zi (run 'tinyml boards' for the ids).`,
    ]);
  });

  it('a corrupt model file on disk gets model-unreadable on its own uri, and the server keeps answering', async () => {
    const project = makeProject({ arenaBytes: 10240 });
    projects.push(project);
    // TFL3 at the identifier's place, then nonsense offsets: a reader must not trust them.
    const corrupt = new Uint8Array(64).fill(0xff);
    corrupt.set([0x1c, 0, 0, 0, 0x54, 0x46, 0x4c, 0x33]);
    const corruptPath = join(project.root, 'models', 'corrupt.tflite');
    writeFileSync(join(project.root, 'empty.tflite'), '');
    mkdirSync(join(project.root, 'models'));
    writeFileSync(corruptPath, corrupt);
    const client = await LspClient.start({ folders: [project.root] });
    clients.push(client);
    const corruptUri = pathToFileURL(corruptPath).href;
    const emptyUri = pathToFileURL(join(project.root, 'empty.tflite')).href;

    for (const uri of [corruptUri, emptyUri]) {
      const { diagnostics } = await client.diagnostics(uri, hasCode('model-unreadable'));
      assert.deepEqual(codes(diagnostics), ['model-unreadable']);
      assert.equal(diagnostics[0].severity, 1);
      assert.equal(diagnostics[0].source, 'tinyml');
    }

    // A valid model dropped into the folder later: read on the watched-file event, no error.
    const goodPath = join(project.root, 'models', 'kws.tflite');
    writeFileSync(goodPath, project.modelBytes);
    const goodUri = pathToFileURL(goodPath).href;
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: goodUri, type: 1 }] });
    const good = await client.diagnostics(goodUri);
    assert.equal(good.diagnostics.some((d) => d.severity === 1), false, JSON.stringify(good.diagnostics));

    // Deleting the corrupt file clears its diagnostics.
    unlinkSync(corruptPath);
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: corruptUri, type: 3 }] });
    await client.diagnostics(corruptUri, (d) => d.length === 0);

    // Still alive: firmware analysis works after all that.
    await client.open(project.mainUri, project.mainText);
    await client.diagnostics(project.mainUri, hasCode('arena-too-small'));
    assert.equal(client.exitCode, null);
  });

  it('tinyml.exclude decides which folders are scanned and watched', async () => {
    const project = makeProject({ arenaBytes: 10240 });
    projects.push(project);
    for (const dir of ['vendor', 'build']) {
      mkdirSync(join(project.root, dir));
      writeFileSync(join(project.root, dir, 'bad.tflite'), 'not a model');
    }
    const client = await LspClient.start({ folders: [project.root], settings: () => ({ exclude: ['**/vendor/**'] }) });
    clients.push(client);
    const uri = (rel: string) => pathToFileURL(join(project.root, rel)).href;
    // The setting replaces the defaults: build/ is scanned now, vendor/ is not.
    await client.diagnostics(uri('build/bad.tflite'), hasCode('model-unreadable'));
    writeFileSync(join(project.root, 'vendor', 'new.tflite'), 'not a model');
    writeFileSync(join(project.root, 'late.tflite'), 'not a model');
    await client.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('vendor/new.tflite'), type: 1 }, { uri: uri('late.tflite'), type: 1 }],
    });
    await client.diagnostics(uri('late.tflite'), hasCode('model-unreadable'));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(client.publishCount.get(uri('vendor/bad.tflite')), undefined);
    assert.equal(client.publishCount.get(uri('vendor/new.tflite')), undefined);
  });

  it('never crashes on bad input: binary garbage as C, odd uris, unknown requests', async () => {
    const { project, client } = await start(10240);
    const garbage = Array.from({ length: 20000 }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join('');
    await client.open(pathToFileURL(join(project.root, 'garbage.cc')).href, garbage);
    await client.open('untitled:Untitled-1', 'alignas(16) const unsigned char m[] = { 0x1c, 0x00, ');
    await client.diagnostics('untitled:Untitled-1');
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: 'untitled:nothing' }, position: { line: 99, character: 0 } });
    assert.equal(hover, null);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: 'file:///no/such/file.cc' } });
    assert.deepEqual(lenses, []);
    await assert.rejects(client.request('tinyml/noSuchRequest', {}), /Unhandled method/);
    await client.open(project.mainUri, project.mainText);
    await client.diagnostics(project.mainUri, hasCode('arena-too-small'));
    assert.equal(client.exitCode, null);
  });
});
