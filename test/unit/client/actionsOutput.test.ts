import assert from 'node:assert/strict';
import { collisionDecision, collisionQuestion, outputPathBeside, REPLACE, resultFormat, SAVE_AS, saveAsProblem, saveFilters } from '../../../client/src/actions/outputNaming';
import { ProgressSteps } from '../../../client/src/actions/progressSteps';
import { MAX_RECENT_REPORTS, recentReports, rememberReport, reportTitled } from '../../../client/src/actions/recentReports';
import { failureMessage, sizeChange, successMessage } from '../../../client/src/actions/resultMessages';
import { parseSavedReport } from '../../../client/src/actions/savedReport';

describe('model actions: output names, collisions, progress and messages', () => {
  it('names the output beside the input, as the core names it', () => {
    assert.equal(outputPathBeside('/w/models/kws.tflite', { kind: 'quantize', format: 'tflite' }), '/w/models/kws.int8.tflite');
    assert.equal(outputPathBeside('/w/models/kws.onnx', { kind: 'prune', sparsity: 0.5 }), '/w/models/kws.pruned50.onnx');
    assert.equal(outputPathBeside('/c:/m/kws.tflite', { kind: 'prune', sparsity: 0.25, structured: true }), '/c:/m/kws.pruned25-channels.tflite');
    assert.equal(outputPathBeside('/w/kws.tflite', { kind: 'convert', to: 'onnx' }), '/w/kws.onnx');
  });

  it('knows the format it writes', () => {
    assert.equal(resultFormat('kws.onnx', { kind: 'prune', sparsity: 0.5 }), 'onnx');
    assert.equal(resultFormat('kws.onnx', { kind: 'quantize', format: 'tflite' }), 'tflite');
    assert.equal(resultFormat('kws.tflite', { kind: 'convert', to: 'onnx' }), 'onnx');
    assert.deepEqual(saveFilters('onnx'), { 'ONNX model': ['onnx'] });
  });

  it('replaces an existing output only on Replace', () => {
    assert.equal(collisionQuestion('kws.int8.tflite'), 'kws.int8.tflite already exists. Replace it?');
    assert.equal(collisionDecision(REPLACE), 'overwrite');
    assert.equal(collisionDecision(SAVE_AS), 'save-as');
    assert.equal(collisionDecision(undefined), 'cancel');
  });

  it('refuses a Save As name that is the input or has the other format’s extension', () => {
    assert.match(saveAsProblem('/w/kws.tflite', '/w/kws.tflite', 'tflite')!, /cannot replace the model/);
    assert.match(saveAsProblem('/C:/W/KWS.tflite', '/c:/w/kws.tflite', 'tflite')!, /cannot replace the model/);
    assert.equal(saveAsProblem('/w/KWS.tflite', '/w/kws.tflite', 'tflite'), undefined, 'case matters outside Windows drives');
    assert.match(saveAsProblem('/w/out.onnx', '/w/kws.tflite', 'tflite')!, /name it \.tflite, not \.onnx/);
    assert.equal(saveAsProblem('/w/small.tflite', '/w/kws.tflite', 'tflite'), undefined);
  });

  it('turns work-done percentages into increments that never go back', () => {
    const steps = new ProgressSteps();
    assert.deepEqual(steps.next({ kind: 'begin', percentage: 0 }), undefined);
    assert.deepEqual(steps.next({ kind: 'report', message: 'Calibrating 3/32', percentage: 12 }), { message: 'Calibrating 3/32', increment: 12 });
    assert.deepEqual(steps.next({ kind: 'report', percentage: 40 }), { increment: 28 });
    assert.deepEqual(steps.next({ kind: 'report', message: 'Validating', percentage: 35 }), { message: 'Validating' });
    assert.deepEqual(steps.next({ kind: 'report', percentage: 250 }), { increment: 60 });
    assert.equal(steps.next({ kind: 'end' }), undefined);
  });

  it('says what changed in size, and why an action failed', () => {
    assert.equal(sizeChange(43392, 12000), '42.4 KiB → 11.7 KiB (−72 %)');
    assert.equal(sizeChange(1000, 1000), '1000 B → 1000 B (±0 %)');
    assert.equal(sizeChange(1000, 1500), '1000 B → 1.5 KiB (+50 %)');
    const report = { action: { kind: 'prune' as const, sparsity: 0.5, structured: false, scope: 'per-layer' as const, includeFirstAndLast: false }, source: { fileName: 'kws.tflite', format: 'tflite' as const, bytes: 53936 }, output: { fileName: 'kws.pruned50.tflite', format: 'tflite' as const, bytes: 53776 } };
    assert.equal(successMessage(report), 'Pruned kws.tflite into kws.pruned50.tflite: 52.7 KiB → 52.5 KiB (−0.3 %).');
    assert.equal(failureMessage('quantize', 'kws.tflite', { reason: 'cancelled', message: 'Cancelled.' }), undefined);
    assert.equal(failureMessage('quantize', 'kws.tflite', { reason: 'unsupported', message: 'kws.tflite is already int8' }), 'Cannot quantize kws.tflite: kws.tflite is already int8');
    assert.match(failureMessage('prune', 'kws.tflite', { reason: 'calibration', message: 'no file gave a sample' })!, /calibration data does not fit the model\. no file gave a sample$/);
  });

  it('reads a saved report back only when it is one', () => {
    assert.equal(parseSavedReport('{').problem, 'is not valid JSON');
    assert.equal(parseSavedReport('[1]').problem, 'is not a report');
    assert.equal(parseSavedReport('{"version":1,"perLayer":[]}').problem, 'is missing parts of a report');
    assert.equal(parseSavedReport('{"version":2}').problem, 'is a report of version 2, not 1');
    const minimal = { version: 1, action: {}, source: {}, output: {}, accuracy: {}, perLayer: [], budget: {}, warnings: [], notes: [] };
    assert.deepEqual(parseSavedReport(JSON.stringify(minimal)).report, minimal);
  });
});

describe('model actions: recent report views', () => {
  const source = (name: string) => ({ reportUri: `file:///w/${name}.report.json`, outputUri: `file:///w/${name}`, inputUri: 'file:///w/kws.tflite' });

  it('finds a revived panel’s report by its title, newest first', () => {
    let list = rememberReport([], { title: 'Report: kws.int8.tflite', source: source('kws.int8.tflite') });
    list = rememberReport(list, { title: 'Report: kws.pruned50.tflite', source: source('kws.pruned50.tflite') });
    list = rememberReport(list, { title: 'Report: kws.int8.tflite', source: source('kws.int8.tflite') });
    assert.deepEqual(list.map((r) => r.title), ['Report: kws.int8.tflite', 'Report: kws.pruned50.tflite']);
    assert.deepEqual(reportTitled(JSON.parse(JSON.stringify(list)), 'Report: kws.pruned50.tflite'), source('kws.pruned50.tflite'));
    assert.equal(reportTitled(list, 'Report: other.tflite'), undefined);
  });

  it('keeps at most MAX_RECENT_REPORTS and ignores malformed storage', () => {
    let list: ReturnType<typeof rememberReport> = [];
    for (let i = 0; i < MAX_RECENT_REPORTS + 5; i++) list = rememberReport(list, { title: `Report: m${i}.tflite`, source: source(`m${i}.tflite`) });
    assert.equal(list.length, MAX_RECENT_REPORTS);
    assert.equal(list[0].title, `Report: m${MAX_RECENT_REPORTS + 4}.tflite`);
    assert.deepEqual(recentReports([{ title: 'x' }, 3, null, { title: 'y', source: source('y') }]), [{ title: 'y', source: source('y') }]);
    assert.deepEqual(recentReports('nope'), []);
  });
});
