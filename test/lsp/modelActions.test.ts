// `tinyml/modelAction` on the real server bundle over stdio, its worker bundled beside it as
// esbuild.mjs ships them (dist/server/server.js + actionWorker.js), on copies of MLPerf Tiny's
// float models in a temp folder: files written, files left alone, progress, cancellation, and a
// server that keeps answering. One test calls the handler in-process, where the worker starts
// from TypeScript under tsx.

import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { WorkDoneProgress, type WorkDoneProgressBegin, type WorkDoneProgressEnd, type WorkDoneProgressReport } from 'vscode-languageserver-protocol';
import type { ActionReport } from '../../server/src/actions';
import { findBoard } from '../../server/src/analysis/boards';
import { computeBudget } from '../../server/src/analysis/budget';
import { sanitizeSettings } from '../../server/src/lsp/settings';
import { modelActionHandler } from '../../server/src/lsp/actions/modelActionHandler';
import { writeOutputs } from '../../server/src/lsp/actions/outputFiles';
import type { BudgetRequest, ModelActionRequest } from '../../server/src/lsp/protocol';
import { loadModel } from '../../server/src/model/load';
import { modelsDir, repoRoot } from '../helpers/shared';
import { buildServer, LspClient } from './lspClient';

type Result = ModelActionRequest.Result;
type Progress = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

const KWS_FLOAT = join(modelsDir, 'mlperf-tiny', 'kws_ref_model_float32.tflite');
const KWS_INT8 = join(modelsDir, 'mlperf-tiny', 'kws_ref_model.tflite');
// Quantizing it takes seconds: long enough to cancel in the middle and to ask something meanwhile.
const VWW_FLOAT = join(modelsDir, 'mlperf-tiny', 'vww_96_float.tflite');

/** The worker bundle beside the test's server bundle, as dist/server/ holds both. */
async function buildWorkerBeside(serverFile: string): Promise<void> {
  await build({
    entryPoints: [join(repoRoot, 'server/src/lsp/actions/actionWorker.ts')],
    outfile: join(dirname(serverFile), 'actionWorker.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    logLevel: 'warning',
  });
}

/** A little-endian float32 .npy file holding `values` with `shape`. */
function npy(shape: number[], values: Float32Array): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + values.byteLength);
  out.set([0x93, ...Buffer.from('NUMPY'), 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(Buffer.from(header, 'latin1'), 10);
  out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), 10 + header.length);
  return out;
}

const fileUri = (path: string) => pathToFileURL(path).href;

describe('model actions over LSP (real server and worker bundles)', function () {
  const clients: LspClient[] = [];
  const dirs: string[] = [];

  before(async () => {
    await buildWorkerBeside(await buildServer());
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.stop()));
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** A temp folder holding a copy of `model`, opened as the workspace. */
  async function start(model: string, settings: unknown = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'tinyml-actions-'));
    dirs.push(dir);
    const input = join(dir, model.slice(model.lastIndexOf('/') + 1));
    copyFileSync(model, input);
    const client = await LspClient.start({ folders: [dir], settings: () => settings });
    clients.push(client);
    return { dir, input, client };
  }

  function progressOf(client: LspClient, token: string): Progress[] {
    const seen: Progress[] = [];
    client.connection.onProgress(WorkDoneProgress.type, token, (value) => seen.push(value));
    return seen;
  }

  it('quantizes a float model into <name>.int8.tflite beside it, saves the report JSON, and reports progress', async () => {
    // A folder board that is not the default: the request names none, so the folder's applies.
    const { dir, input, client } = await start(KWS_FLOAT, { board: 'arduino-nano-33-ble-sense' });
    const original = readFileSync(input);
    const output = join(dir, 'kws_ref_model_float32.int8.tflite');
    const progress = progressOf(client, 'quantize-kws');

    const result = await client.request<Result>('tinyml/modelAction', {
      uri: fileUri(input),
      options: { kind: 'quantize' },
      outputUri: fileUri(output),
      overwrite: false,
      workDoneToken: 'quantize-kws',
    });

    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.outputUri, fileUri(output));
    assert.equal(result.reportUri, fileUri(`${output}.report.json`));
    const bytes = readFileSync(output);
    assert.equal(bytes.subarray(4, 8).toString('latin1'), 'TFL3');
    const graph = loadModel(new Uint8Array(bytes));
    const sg = graph.subgraphs[0];
    assert.equal(sg.tensors[sg.inputs[0]].dtype, 'int8');
    assert.equal(sg.tensors[sg.outputs[0]].dtype, 'int8');

    const saved = JSON.parse(readFileSync(`${output}.report.json`, 'utf8')) as ActionReport;
    assert.deepEqual(saved, result.report);
    assert.equal(saved.board, 'arduino-nano-33-ble-sense');
    assert.deepEqual(saved.source, { fileName: 'kws_ref_model_float32.tflite', format: 'tflite', bytes: original.length });
    assert.deepEqual(saved.output, { fileName: 'kws_ref_model_float32.int8.tflite', format: 'tflite', bytes: bytes.length });
    assert.equal(saved.evaluation.generated, true);
    assert.match(saved.evaluation.description, /generated/);
    // The budget after is the written file's, on the folder's board.
    const written = computeBudget(graph, findBoard('arduino-nano-33-ble-sense')!).totals;
    assert.deepEqual([saved.budget.after.flashBytes, saved.budget.after.weightBytes, saved.budget.after.arenaBytes], [written.flashBytes, written.weightBytes, written.arenaBytes]);
    assert.ok(saved.budget.after.weightBytes < saved.budget.before.weightBytes, `weights: ${saved.budget.before.weightBytes} → ${saved.budget.after.weightBytes}`);

    assert.deepEqual(readFileSync(input), original, 'the input is untouched');
    assert.deepEqual(readdirSync(dir).sort(), ['kws_ref_model_float32.int8.tflite', 'kws_ref_model_float32.int8.tflite.report.json', 'kws_ref_model_float32.tflite']);

    assert.deepEqual(progress[0], { kind: 'begin', title: 'Quantizing kws_ref_model_float32.tflite', cancellable: true, percentage: 0 });
    assert.equal(progress[progress.length - 1].kind, 'end');
    const percents = progress.flatMap((p) => (p.kind === 'report' && p.percentage !== undefined ? [p.percentage] : []));
    assert.ok(percents.length >= 3, `progress reports: ${JSON.stringify(progress)}`);
    assert.deepEqual(percents, [...percents].sort((a, b) => a - b), 'percentages never go back');
    assert.ok(percents.every((p) => Number.isInteger(p) && p >= 0 && p <= 100));
    assert.equal(percents[percents.length - 1], 100);
  });

  it('calibrates from a folder of .npy files, and names a folder that does not fit the model', async () => {
    const { dir, input, client } = await start(KWS_FLOAT);
    const calib = join(dir, 'calib');
    mkdirSync(calib);
    const values = new Float32Array(6 * 490).map((_, i) => Math.sin(i / 7) * 40 - 30);
    writeFileSync(join(calib, 'batch.npy'), npy([6, 49, 10, 1], values));
    const output = join(dir, 'kws.int8.tflite');

    // A relative folder is the model's neighbour; the output has a name of the user's choosing.
    const result = await client.request<Result>('tinyml/modelAction', { uri: fileUri(input), options: { kind: 'quantize', method: 'percentile' }, calibrationFolder: 'calib', outputUri: fileUri(output), overwrite: false });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.report.output.fileName, 'kws.int8.tflite', 'the report names the file written');
    assert.equal(result.report.evaluation.generated, false);
    assert.equal(result.report.evaluation.inputs, 6);
    assert.match(result.report.evaluation.description, /calib/);
    assert.equal(result.report.action.kind === 'quantize' && result.report.action.method, 'percentile');

    const wrong = join(dir, 'wrong');
    mkdirSync(wrong);
    writeFileSync(join(wrong, 'x.npy'), npy([7], new Float32Array(7)));
    const refused = await client.request<Result>('tinyml/modelAction', { uri: fileUri(input), options: { kind: 'quantize' }, calibrationFolder: wrong, outputUri: fileUri(join(dir, 'other.tflite')), overwrite: false });
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.reason, 'calibration');
    assert.match(!refused.ok ? refused.message : '', /x\.npy/);
    assert.equal(readdirSync(dir).includes('other.tflite'), false);
  });

  it("answers 'exists' and leaves the file alone without overwrite, and replaces it with overwrite", async () => {
    const { dir, input, client } = await start(KWS_INT8);
    const output = join(dir, 'kws_ref_model.pruned50.tflite');
    writeFileSync(output, 'an older file the user keeps');
    const before = statSync(output);
    const params = { uri: fileUri(input), options: { kind: 'prune', sparsity: 0.5 }, outputUri: fileUri(output) };

    const refused = await client.request<Result>('tinyml/modelAction', { ...params, overwrite: false });
    assert.deepEqual(refused, { ok: false, reason: 'exists', message: 'kws_ref_model.pruned50.tflite already exists.' });
    assert.equal(readFileSync(output, 'utf8'), 'an older file the user keeps');
    assert.equal(statSync(output).mtimeMs, before.mtimeMs);
    assert.equal(readdirSync(dir).length, 2, 'no report and no temp file');

    const replaced = await client.request<Result>('tinyml/modelAction', { ...params, overwrite: true });
    assert.ok(replaced.ok, JSON.stringify(replaced));
    const bytes = readFileSync(output);
    assert.equal(bytes.subarray(4, 8).toString('latin1'), 'TFL3');
    assert.equal(replaced.report.output.bytes, bytes.length);
    assert.equal(replaced.report.prune?.kind, 'magnitude');
    assert.deepEqual(JSON.parse(readFileSync(`${output}.report.json`, 'utf8')), replaced.report);
  });

  it("refuses to write over its input, also through a symbolic link ('same-as-input')", async () => {
    const { dir, input, client } = await start(KWS_INT8);
    const original = readFileSync(input);
    const link = join(dir, 'alias.tflite');
    symlinkSync(input, link);
    for (const target of [input, link]) {
      const result = await client.request<Result>('tinyml/modelAction', { uri: fileUri(input), options: { kind: 'convert', to: 'tflite' }, outputUri: fileUri(target), overwrite: true });
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.reason, 'same-as-input', JSON.stringify(result));
    }
    assert.deepEqual(readFileSync(input), original);
    assert.deepEqual(readdirSync(dir).sort(), ['alias.tflite', 'kws_ref_model.tflite']);
  });

  it('keeps answering while the worker runs; cancelling stops it and leaves no file behind', async () => {
    const { dir, input, client } = await start(VWW_FLOAT);
    const output = join(dir, 'vww_96_float.int8.tflite');
    const cancel = new CancellationTokenSource();
    let firstReport: () => void = () => undefined;
    const reported = new Promise<void>((resolve) => (firstReport = resolve));
    client.connection.onProgress(WorkDoneProgress.type, 'vww', (value) => {
      if (value.kind === 'report' && (value.percentage ?? 0) > 0) firstReport();
    });
    let settled = false;
    const started = performance.now();
    const pending = client.connection
      .sendRequest('tinyml/modelAction', { uri: fileUri(input), options: { kind: 'quantize' }, outputUri: fileUri(output), overwrite: false, workDoneToken: 'vww' }, cancel.token)
      .finally(() => (settled = true)) as Promise<Result>;

    await reported;
    // The main thread is free: a budget request is answered while the quantizer works.
    const budget = await client.request<BudgetRequest.Result>('tinyml/budget', { uri: fileUri(KWS_INT8) });
    assert.ok(budget.ok);
    assert.equal(settled, false, 'the action was still running when the budget came back');

    const cancelledAt = performance.now();
    cancel.cancel();
    const result = await pending;
    const answeredIn = performance.now() - cancelledAt;
    assert.deepEqual(result, { ok: false, reason: 'cancelled', message: 'Cancelled.' });
    assert.ok(answeredIn < 500, `answered ${Math.round(answeredIn)} ms after the cancellation (${Math.round(cancelledAt - started)} ms into the run)`);
    assert.deepEqual(readdirSync(dir), ['vww_96_float.tflite'], 'no output, report or temp file');
    // Longer than the whole run takes: a worker left running would have answered, and been written, by now.
    await new Promise((r) => setTimeout(r, 3000));
    assert.deepEqual(readdirSync(dir), ['vww_96_float.tflite'], 'nothing written later either');

    // The server is still there.
    const again = await client.request<BudgetRequest.Result>('tinyml/budget', { uri: fileUri(input) });
    assert.ok(again.ok);
  });

  it("answers 'corrupt' for a file that is not a model, 'bad-request' for bad options or board, and keeps serving", async () => {
    const { dir, input, client } = await start(KWS_INT8);
    const junk = join(dir, 'junk.tflite');
    writeFileSync(junk, 'this is not a flatbuffer, just some text long enough to look at');
    const corrupt = await client.request<Result>('tinyml/modelAction', { uri: fileUri(junk), options: { kind: 'quantize' }, outputUri: fileUri(join(dir, 'junk.int8.tflite')), overwrite: false });
    assert.equal(corrupt.ok, false);
    assert.equal(!corrupt.ok && corrupt.reason, 'corrupt');
    assert.match(!corrupt.ok ? corrupt.message : '', /^junk\.tflite is not a valid model: ./);

    const badOptions = await client.request<Result>('tinyml/modelAction', { uri: fileUri(input), options: { kind: 'prune', sparsity: 2 }, outputUri: fileUri(join(dir, 'x.tflite')), overwrite: false });
    assert.deepEqual(badOptions, { ok: false, reason: 'bad-request', message: 'sparsity must be above 0 and below 1, not 2' });
    const badBoard = await client.request<Result>('tinyml/modelAction', { uri: fileUri(input), options: { kind: 'convert', to: 'onnx' }, board: 'no-such-board', outputUri: fileUri(join(dir, 'x.onnx')), overwrite: false });
    assert.equal(!badBoard.ok && badBoard.reason, 'bad-request');
    assert.match(!badBoard.ok ? badBoard.message : '', /no-such-board/);
    const missing = await client.request<Result>('tinyml/modelAction', { uri: fileUri(join(dir, 'gone.tflite')), options: { kind: 'convert', to: 'onnx' }, outputUri: fileUri(join(dir, 'gone.onnx')), overwrite: false });
    assert.deepEqual(missing, { ok: false, reason: 'unreadable', message: 'gone.tflite: cannot read (ENOENT).' });
    const nowhere = await client.request<Result>('tinyml/modelAction', { uri: fileUri(input), options: { kind: 'convert', to: 'onnx' }, outputUri: fileUri(join(dir, 'no-folder', 'k.onnx')), overwrite: false });
    assert.deepEqual(nowhere, { ok: false, reason: 'unwritable', message: 'Cannot write k.onnx: its folder does not exist.' });
    assert.deepEqual(readdirSync(dir).sort(), ['junk.tflite', 'kws_ref_model.tflite']);

    const converted = await client.request<Result>('tinyml/modelAction', { uri: fileUri(input), options: { kind: 'convert', to: 'onnx' }, outputUri: fileUri(join(dir, 'kws_ref_model.onnx')), overwrite: false });
    assert.ok(converted.ok, JSON.stringify(converted));
    assert.equal(loadModel(new Uint8Array(readFileSync(join(dir, 'kws_ref_model.onnx')))).format, 'onnx');
  });
});

describe('model action handler in-process (worker from TypeScript under tsx)', () => {
  let dir = '';
  before(() => (dir = mkdtempSync(join(tmpdir(), 'tinyml-actions-src-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prunes channels of the int8 KWS model through the same handler and worker code', async () => {
    const input = join(dir, 'kws_ref_model.tflite');
    copyFileSync(KWS_INT8, input);
    const output = join(dir, 'kws_ref_model.pruned50-channels.tflite');
    const calls: string[] = [];
    const handler = modelActionHandler({
      settings: async () => sanitizeSettings({ board: 'nucleo-l4r5zi' }, () => undefined),
      workDone: () => ({
        begin: (title: string) => void calls.push(`begin ${title}`),
        report: (a: number | string) => void calls.push(typeof a === 'number' ? 'percent' : 'message'),
        done: () => void calls.push('done'),
      }),
      log: (m) => calls.push(`log ${m}`),
    });
    const never = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) };
    const result = await handler({ uri: fileUri(input), options: { kind: 'prune', sparsity: 0.5, structured: true }, outputUri: fileUri(output), overwrite: false }, never);

    assert.ok(result.ok, JSON.stringify(result));
    const bytes = readFileSync(output);
    assert.equal(bytes.subarray(4, 8).toString('latin1'), 'TFL3');
    assert.ok(bytes.length < statSync(input).size * 0.8, `${statSync(input).size} → ${bytes.length} bytes`);
    assert.equal(result.report.prune?.kind, 'channels');
    assert.deepEqual(JSON.parse(readFileSync(`${output}.report.json`, 'utf8')), result.report);
    assert.equal(calls[0], 'begin Pruning kws_ref_model.tflite');
    assert.ok(calls.includes('percent'));
    assert.equal(calls[calls.length - 1], 'done');
    assert.ok(!calls.some((c) => c.startsWith('log')), calls.join('\n'));
  });
});

describe('model action output files (temp file, then rename or link)', () => {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tinyml-actions-out-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const model = new Uint8Array([1, 2, 3, 4, 0x54, 0x46, 0x4c, 0x33]);

  it('writes the model and <name>.report.json and nothing else', async () => {
    const output = join(dir, 'm.int8.tflite');
    assert.deepEqual(await writeOutputs(output, model, '{"a":1}\n', false, () => false), { written: true });
    assert.deepEqual(new Uint8Array(readFileSync(output)), model);
    assert.equal(readFileSync(`${output}.report.json`, 'utf8'), '{"a":1}\n');
    assert.deepEqual(readdirSync(dir).sort(), ['m.int8.tflite', 'm.int8.tflite.report.json']);
  });

  it('does not replace a file that appeared while the action ran, without overwrite', async () => {
    const output = join(dir, 'm.int8.tflite');
    // The last check before the rename: another program writes the output just then.
    const outcome = await writeOutputs(output, model, '{}', false, () => (writeFileSync(output, 'theirs'), false));
    assert.deepEqual(outcome, { written: false, why: 'exists' });
    assert.equal(readFileSync(output, 'utf8'), 'theirs');
    assert.deepEqual(readdirSync(dir), ['m.int8.tflite']);
  });

  it('leaves nothing behind when cancelled at the last moment', async () => {
    const output = join(dir, 'm.int8.tflite');
    assert.deepEqual(await writeOutputs(output, model, '{}', true, () => true), { written: false, why: 'cancelled' });
    assert.deepEqual(readdirSync(dir), []);
  });

  it('throws on a folder that does not exist, with no temp file anywhere', async () => {
    await assert.rejects(writeOutputs(join(dir, 'missing', 'm.tflite'), model, '{}', false, () => false), { code: 'ENOENT' });
    assert.deepEqual(readdirSync(dir), []);
  });
});
