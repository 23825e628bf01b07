import assert from 'node:assert/strict';
import { analyzeFirmware, analyzeModelFile, FIRMWARE_EXTENSIONS, type FirmwareOptions } from '../../../../server/src/analysis/firmware';
import { findBoard, type Board } from '../../../../server/src/analysis/boards';
import { computeBudget } from '../../../../server/src/analysis/budget';
import type { Finding } from '../../../../server/src/analysis/findings';
import { loadModel } from '../../../../server/src/model/load';
import { sharedModel } from '../../../helpers/shared';
import { buildTflite, tinyModel } from '../../../helpers/tfliteBuilder';
import { applyEdits, fixtureUri, fixtureWorkspace, MemoryWorkspace, xxdFile } from './fixtureWorkspace';

const board = (id: string): Board => findBoard(id)!;
const options = (id: string, more: Partial<FirmwareOptions> = {}): FirmwareOptions => ({ board: board(id), arenaMarginPercent: 10, kernels: 'optimized', ...more });
const at = (f: Finding) => [f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character];
const codes = (fs: Finding[]) => fs.map((f) => f.code);

/** The CMSIS-NN arena of a shared model on a board, straight from computeBudget (held to TFLM's oracle). */
function cmsisArena(model: string, boardId: string) {
  const budget = computeBudget(loadModel(sharedModel(model)), board(boardId));
  return budget.arenaOptimized!;
}

describe('analyzeFirmware on fixture projects', () => {
  it('exports the firmware extensions', () => {
    assert.deepEqual(FIRMWARE_EXTENSIONS, ['.c', '.cc', '.cpp', '.cxx', '.h', '.hh', '.hpp', '.ino']);
  });

  it('arduino_kws: a right-sized sketch with a split model.cpp/model.h has no findings and three lenses', () => {
    const r = analyzeFirmware(fixtureWorkspace('arduino_kws'), options('arduino-nano-33-ble-sense'));
    assert.deepEqual(r.findings, []);
    const arena = cmsisArena('mlperf-tiny/kws_ref_model.tflite', 'arduino-nano-33-ble-sense');
    // The KWS model on a Cortex-M4 with CMSIS-NN: planned 16,000 + persistent 6,820 + 4 = 22,824.
    assert.equal(arena.minArenaBytes, 22_824);
    const model = r.lenses.find((l) => l.uri === fixtureUri('arduino_kws', 'model.cpp'))!;
    // kws_ref_model.tflite is 53,936 bytes = 52.7 KiB; 16,000 / 1024 = 15.6; 6,820 / 1024 = 6.7.
    assert.match(model.title, /^model 52\.7 KiB flash · arena 22\.3 KiB \(planned 15\.6 \+ persistent 6\.7\) · ~\d+(\.\d)? ms on Arduino Nano 33 BLE Sense$/);
    assert.deepEqual(model.command, { name: 'tinyml.showBudget', args: [{ uri: fixtureUri('arduino_kws', 'model.cpp'), arrayName: 'g_kws_model' }] });
    assert.deepEqual([model.range.start.line, model.range.start.character], [2, 32]);
    const sketch = r.lenses.filter((l) => l.uri === fixtureUri('arduino_kws', 'arduino_kws.ino')).map((l) => [l.range.start.line, l.title]);
    // 25 * 1024 = 25,600 declared; 25,600 - 22,824 = 2,776 bytes = 2.7 KiB spare.
    assert.deepEqual(sketch, [
      [24, 'runs g_kws_model · needs 22.3 KiB of arena (CMSIS-NN kernels) · 2.7 KiB spare'],
      [10, 'arena 25.0 KiB · g_kws_model needs 22.3 KiB · 2.7 KiB spare'],
    ]);
    const hover = r.hovers.find((h) => h.range.start.line === 17)!;
    // CONV_2D is ops 0, 2, 4, 6, 8 of the KWS model, each writing a [1,25,5,64] int8 tensor.
    assert.equal(
      hover.markdown,
      '**AddConv2D()** registers `CONV_2D`, used by 5 layers of `g_kws_model`:\n\n' + [0, 2, 4, 6, 8].map((i) => `- #${i} → [1,25,5,64] int8`).join('\n'),
    );
    const arenaHover = r.hovers.find((h) => h.range.start.line === 9)!;
    assert.match(arenaHover.markdown, /declared 25,600 bytes \(25\.0 KiB\)/);
    assert.match(arenaHover.markdown, /needs 22,824 bytes \(22\.3 KiB\) with CMSIS-NN kernels on the Arduino Nano 33 BLE Sense: planned 16,000 \+ persistent 6,820 \+ set-up headroom 4/);
  });

  it('tflm_main_functions: too-small arena and a missing op across main_functions.cc, model.h and model.cc', () => {
    const ws = fixtureWorkspace('tflm_main_functions');
    const main = fixtureUri('tflm_main_functions', 'main_functions.cc');
    const r = analyzeFirmware(ws, options('arduino-nano-33-ble-sense'));
    assert.deepEqual(codes(r.findings), ['arena-too-small', 'op-not-registered']);
    const [small, missing] = r.findings;
    const arena = cmsisArena('mlperf-tiny/kws_ref_model.tflite', 'arduino-nano-33-ble-sense');
    // `constexpr int kTensorArenaSize = 10 * 1024;` on line 14: the expression spans characters 33-42.
    assert.deepEqual([small.uri, ...at(small), small.severity], [main, 14, 33, 14, 42, 'error']);
    assert.equal(
      small.message,
      `kTensorArenaSize is 10,240 bytes (10.0 KiB) but g_model needs 22,824 bytes (22.3 KiB) on a 32-bit TFLM build with CMSIS-NN kernels ` +
        `(planned ${arena.plannedBytes.toLocaleString('en-US')} + persistent ${arena.persistentBytes.toLocaleString('en-US')} + 4 set-up headroom): AllocateTensors() fails`,
    );
    assert.deepEqual(small.related?.map((x) => [x.uri, x.range.start.line]), [[fixtureUri('tflm_main_functions', 'model.cc'), 2]]);
    // Need + 10%: 22,824 x 1.1 = 25,106.4 -> 25,107 -> 25,120 (multiple of 16) -> 25 KiB in the user's "* 1024" style.
    const text = ws.get(main)!.text;
    const fixed = applyEdits(text, small.fixes![0].edits);
    assert.match(fixed, /constexpr int kTensorArenaSize = 25 \* 1024;/);

    assert.deepEqual([missing.uri, ...at(missing)], [main, 23, 43, 23, 60]); // the name micro_op_resolver
    assert.equal(
      missing.message,
      'micro_op_resolver does not register SOFTMAX, which g_model uses in 1 layer (#12): add micro_op_resolver.AddSoftmax() or AllocateTensors() fails with "Didn\'t find op for builtin opcode"',
    );
    const registered = applyEdits(text, missing.fixes![0].edits);
    assert.ok(registered.includes('static tflite::MicroMutableOpResolver<6> micro_op_resolver;'));
    assert.ok(registered.includes('  micro_op_resolver.AddFullyConnected();\n  micro_op_resolver.AddSoftmax();\n\n  static tflite::MicroInterpreter'));
    // After both fixes the project is clean.
    ws.set(main, applyEdits(applyEdits(text, missing.fixes![0].edits), []), 2);
    const fixedAll = applyEdits(ws.get(main)!.text, analyzeFirmware(ws, options('arduino-nano-33-ble-sense')).findings[0].fixes![0].edits);
    ws.set(main, fixedAll, 3);
    assert.deepEqual(analyzeFirmware(ws, options('arduino-nano-33-ble-sense')).findings, []);
  });

  it('helper_resolver: an unused registration in a helper, removed with its line and the alias capacity lowered', () => {
    const ws = fixtureWorkspace('helper_resolver');
    const uri = fixtureUri('helper_resolver', 'hello_world.cc');
    const r = analyzeFirmware(ws, options('nucleo-l4r5zi'));
    assert.deepEqual(codes(r.findings), ['op-unused']);
    const [unused] = r.findings;
    assert.deepEqual([unused.severity, ...at(unused)], ['hint', 12, 36, 12, 46]);
    assert.equal(unused.message, 'AddSoftmax() registers SOFTMAX, which g_hello_world_model_data never uses: its kernel costs flash and a resolver slot');
    const fixed = applyEdits(ws.get(uri)!.text, unused.fixes![0].edits);
    assert.ok(fixed.includes('using HelloWorldOpResolver = tflite::MicroMutableOpResolver<1>;'));
    assert.ok(fixed.includes('  TF_LITE_ENSURE_STATUS(op_resolver.AddFullyConnected());\n  return kTfLiteOk;'));
    // hello_world_int8 with CMSIS-NN: 1,156 bytes; #define TENSOR_ARENA_SIZE (2 * 1024) = 2,048, within need + 10% rounded to whole KiB.
    assert.equal(cmsisArena('tflm/hello_world_int8.tflite', 'nucleo-l4r5zi').minArenaBytes, 1156);
    const lens = r.lenses.find((l) => l.uri === uri && l.range.start.line === 23)!;
    assert.equal(lens.title, 'arena 2.0 KiB · g_hello_world_model_data needs 1.1 KiB · 892 B spare'); // 2,048 - 1,156 = 892
  });

  it('chained_resolver: capacity from constexpr arithmetic, chained and if-style registrations, sizeof(arena)', () => {
    const ws = fixtureWorkspace('chained_resolver');
    const uri = fixtureUri('chained_resolver', 'kws_chained.cpp');
    const r = analyzeFirmware(ws, options('nucleo-l4r5zi'));
    assert.deepEqual(codes(r.findings), ['resolver-capacity', 'op-not-registered']);
    const [capacity, missing] = r.findings;
    // kNumOps = kFirstOps + 2 = 4, but 5 AddXxx() calls: the range is kNumOps' value `kFirstOps + 2`.
    assert.deepEqual(at(capacity), [6, 24, 6, 37]);
    assert.equal(capacity.message, 'resolver is a MicroMutableOpResolver<4> but 5 ops are registered: AddFullyConnected() and later calls fail ("resolver size is too small")');
    const text = ws.get(uri)!.text;
    assert.ok(applyEdits(text, capacity.fixes![0].edits).includes('constexpr int kNumOps = 5;'));
    // The fix copies the user's if-style and raises the capacity to 6.
    const fixed = applyEdits(text, missing.fixes![0].edits);
    assert.ok(fixed.includes('constexpr int kNumOps = 6;'));
    assert.ok(fixed.includes('  if (resolver.AddFullyConnected() != kTfLiteOk) {\n    return false;\n  }\n  if (resolver.AddSoftmax() != kTfLiteOk) {\n    return false;\n  }\n'));
    // (kArenaKiB + 5) * 1024 = 25,600 >= 22,824 and within need + 10% in whole KiB: no arena finding.
    const lens = r.lenses.find((l) => l.uri === uri && l.range.start.line === 9)!;
    assert.equal(lens.title, 'arena 25.0 KiB · g_model needs 22.3 KiB · 2.7 KiB spare');
  });

  it('all_ops_float: AllOpsResolver, placement new, oversized arena, misaligned float model on a board without FPU', () => {
    const ws = fixtureWorkspace('all_ops_float');
    const uri = fixtureUri('all_ops_float', 'all_ops_float.cc');
    const r = analyzeFirmware(ws, options('raspberry-pi-pico'));
    assert.deepEqual(codes(r.findings), ['arena-oversized', 'model-misaligned', 'float-on-no-fpu']);
    const [oversized, misaligned, float] = r.findings;
    const need = cmsisArena('tflm/hello_world_float.tflite', 'raspberry-pi-pico').minArenaBytes;
    assert.equal(need, 1156);
    // 136 * 1024 = 139,264 declared; 139,264 - 1,156 = 138,108 bytes (134.9 KiB) wasted.
    assert.deepEqual([oversized.severity, ...at(oversized)], ['info', 5, 29, 5, 39]);
    assert.equal(
      oversized.message,
      'kTensorArenaSize is 139,264 bytes (136.0 KiB) but sine_model needs only 1,156 bytes (1.1 KiB) with CMSIS-NN kernels: 138,108 bytes (134.9 KiB) of RAM wasted; 2 * 1024 keeps a 10% margin',
    );
    // 1,156 x 1.1 = 1,271.6 -> 1,272 -> 1,280 -> 2 KiB.
    assert.ok(applyEdits(ws.get(uri)!.text, oversized.fixes![0].edits).includes('const int kTensorArenaSize = 2 * 1024;'));
    assert.deepEqual([misaligned.severity, ...at(misaligned)], ['warning', 20, 20, 20, 30]);
    assert.ok(applyEdits(ws.get(uri)!.text, misaligned.fixes![0].edits).includes('\nalignas(16) const unsigned char sine_model[] = {'));
    assert.equal(float.message, 'sine_model runs 3 float32 ops (FULLY_CONNECTED ×3) on the Raspberry Pi Pico, which has no FPU: every float operation is emulated in software; quantize the model to int8');
    // With an FPU the float finding goes away; AllOpsResolver never reports missing ops.
    assert.deepEqual(codes(analyzeFirmware(ws, options('nucleo-l4r5zi')).findings), ['arena-oversized', 'model-misaligned']);
  });

  it('progmem_sketch: PROGMEM model aligned by a macro from config.h, #if 0 ignored, static RAM over budget', () => {
    const ws = fixtureWorkspace('progmem_sketch');
    const uri = fixtureUri('progmem_sketch', 'progmem_sketch.ino');
    const r = analyzeFirmware(ws, options('microbit-v2'));
    assert.deepEqual(codes(r.findings), ['ram-over-budget']);
    const [ram] = r.findings;
    assert.deepEqual([ram.uri, ...at(ram)], [uri, 13, 15, 13, 27]);
    // arena (20 + 4) * 1024 = 24,576; int16_t audio_samples[40000] = 80,000; float features[8000] = 32,000;
    // total 136,576 bytes > 131,072 (128 KiB) by 5,504 bytes (5.4 KiB). kLabels holds pointers: not counted.
    assert.equal(
      ram.message,
      'Static RAM 136,576 bytes (133.4 KiB) exceeds the 128.0 KiB of SRAM on the BBC micro:bit v2 by 5.4 KiB: the arena 24.0 KiB + 2 other static arrays 109.4 KiB (audio_samples 78.1 KiB, features 31.3 KiB)',
    );
    const lens = r.lenses.find((l) => l.uri === uri && l.range.start.line === 13)!;
    assert.equal(lens.title, 'arena 24.0 KiB · kws_model needs 22.3 KiB · 1.7 KiB spare'); // 24,576 - 22,824 = 1,752
  });

  it('not_a_model: an array that is no model and a model with only a declaration', () => {
    const r = analyzeFirmware(fixtureWorkspace('not_a_model'), options('nucleo-l4r5zi'));
    assert.deepEqual(codes(r.findings), ['model-unreadable', 'model-not-found']);
    assert.deepEqual(at(r.findings[0]), [4, 32, 4, 45]);
    assert.equal(r.findings[0].message, 'g_not_a_model is not a valid model: not a .tflite flatbuffer, an ONNX protobuf or a C array: 8 bytes starting 01 02 03 04 05 06 07 08');
    assert.deepEqual(at(r.findings[1]), [13, 53, 13, 68]);
  });

  it('applies severity overrides and restricts output to the given uris', () => {
    const ws = fixtureWorkspace('tflm_main_functions');
    const r = analyzeFirmware(ws, options('arduino-nano-33-ble-sense', { severityOverrides: { 'arena-too-small': 'warning', 'op-not-registered': 'off' } }));
    assert.deepEqual(r.findings.map((f) => [f.code, f.severity]), [['arena-too-small', 'warning']]);
    const onlyModel = analyzeFirmware(ws, options('arduino-nano-33-ble-sense'), [fixtureUri('tflm_main_functions', 'model.cc')]);
    assert.deepEqual(onlyModel.findings, []);
    assert.deepEqual(onlyModel.lenses.map((l) => l.uri), [fixtureUri('tflm_main_functions', 'model.cc')]);
  });

  it('reference kernels give the reference arena figures', () => {
    const r = analyzeFirmware(fixtureWorkspace('tflm_main_functions'), options('arduino-nano-33-ble-sense', { kernels: 'reference' }));
    const ref = computeBudget(loadModel(sharedModel('mlperf-tiny/kws_ref_model.tflite')), board('arduino-nano-33-ble-sense')).arena;
    assert.equal(ref.minArenaBytes, 22_772); // planned 16,000 + persistent 6,772
    assert.match(r.findings[0].message, /needs 22,772 bytes \(22\.2 KiB\) on a 32-bit TFLM build with reference kernels \(planned 16,000 \+ persistent 6,772\)/);
  });

  it('flash-over-budget: model array plus the TFLM code estimate beyond the board flash', () => {
    const ws = fixtureWorkspace('arduino_kws');
    const small: Board = { ...board('arduino-nano-33-ble-sense'), flashBytes: 64 * 1024 };
    const r = analyzeFirmware(ws, { board: small, arenaMarginPercent: 10, kernels: 'optimized' });
    assert.deepEqual(codes(r.findings), ['flash-over-budget']);
    // 53,936 bytes of model + 20 KiB core + 6 registered kernels x 3 KiB = 53,936 + 38,912 = 92,848 bytes (90.7 KiB) > 64 KiB.
    assert.match(r.findings[0].message, /^g_kws_model \(53,936 bytes, 52\.7 KiB\) plus ~38\.0 KiB of TFLM code \(6 registered kernels\) is 90\.7 KiB, more than the 64\.0 KiB of flash/);
  });

  it('a resolver filled through a pointer parameter of a helper', () => {
    const ws = new MemoryWorkspace();
    ws.set('file:///p/model.cc', xxdFile('g_model', sharedModel('tflm/hello_world_int8.tflite'), 'alignas(16) const unsigned char g_model[]'), 1);
    ws.set(
      'file:///p/main.cc',
      [
        'extern const unsigned char g_model[];',
        'alignas(16) uint8_t arena[1280];',
        'static void Register(tflite::MicroMutableOpResolver<1>* r) {',
        '  r->AddFullyConnected();',
        '}',
        'void setup() {',
        '  static tflite::MicroMutableOpResolver<1> resolver;',
        '  Register(&resolver);',
        '  static tflite::MicroInterpreter interp(tflite::GetModel(g_model), resolver, arena, sizeof(arena));',
        '}',
      ].join('\n'),
      1,
    );
    const r = analyzeFirmware(ws, options('nucleo-l4r5zi'));
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.hovers.filter((h) => h.markdown.startsWith('**AddFullyConnected()**')).map((h) => [h.uri, h.range.start.line]), [['file:///p/main.cc', 3]]);
  });
});

describe('analyzeModelFile', () => {
  it('reports nothing for a model that fits', () => {
    assert.deepEqual(analyzeModelFile('file:///m/kws.tflite', sharedModel('mlperf-tiny/kws_ref_model.tflite'), options('nucleo-l4r5zi')), []);
  });

  it('reports unreadable bytes, ops without a TFLM kernel, float on no FPU and flash/RAM overflow', () => {
    const bad = analyzeModelFile('file:///m/x.tflite', new Uint8Array([1, 2, 3]), options('nucleo-l4r5zi'));
    assert.deepEqual(codes(bad), ['model-unreadable']);
    const custom = buildTflite(tinyModel({ operatorCodes: [{ deprecated: 32, builtin: 32, custom: 'MyCustomOp', version: 1 }] }));
    const unsupported = analyzeModelFile('file:///m/custom.tflite', custom, options('nucleo-l4r5zi'));
    assert.deepEqual(codes(unsupported), ['unsupported-op']);
    assert.match(unsupported[0].message, /^custom\.tflite uses MyCustomOp \(1 layer: #0\), which has no TFLM kernel/);
    const float = analyzeModelFile('file:///m/hw.tflite', sharedModel('tflm/hello_world_float.tflite'), options('raspberry-pi-pico'));
    assert.deepEqual(codes(float), ['float-on-no-fpu']);
    const tiny: Board = { ...board('nucleo-l4r5zi'), ramBytes: 16 * 1024, flashBytes: 32 * 1024 };
    const over = analyzeModelFile('file:///m/kws.tflite', sharedModel('mlperf-tiny/kws_ref_model.tflite'), { board: tiny, arenaMarginPercent: 10, kernels: 'optimized' });
    assert.deepEqual(codes(over), ['ram-over-budget', 'flash-over-budget']);
    assert.match(over[0].message, /needs a 22,824-byte \(22\.3 KiB\) tensor arena, more than the 16\.0 KiB of SRAM/);
  });
});

describe('analyzeFirmware speed', () => {
  it('analyzes a 2 MB model file in under 200 ms and re-analyzes after an edit elsewhere cheaply', () => {
    const ws = new MemoryWorkspace();
    // person_detect.tflite (300,568 bytes) as an xxd array: ~1.9 MB of source.
    const modelText = xxdFile('g_person_detect_model_data', sharedModel('tflm/person_detect.tflite'), 'alignas(16) const unsigned char g_person_detect_model_data[]');
    assert.ok(modelText.length > 1_800_000);
    const sketch = (kib: number) =>
      [
        'extern const unsigned char g_person_detect_model_data[];',
        `constexpr int kTensorArenaSize = ${kib} * 1024;`,
        'alignas(16) static uint8_t tensor_arena[kTensorArenaSize];',
        'void setup() {',
        '  static tflite::MicroMutableOpResolver<5> r;',
        '  r.AddAveragePool2D(); r.AddConv2D(); r.AddDepthwiseConv2D(); r.AddReshape(); r.AddSoftmax();',
        '  static tflite::MicroInterpreter i(tflite::GetModel(g_person_detect_model_data), r, tensor_arena, kTensorArenaSize);',
        '}',
      ].join('\n');
    ws.set('file:///pd/model.cc', modelText, 1);
    ws.set('file:///pd/main.cc', sketch(136), 1);
    const opts = options('nucleo-l4r5zi');
    const t0 = performance.now();
    const first = analyzeFirmware(ws, opts);
    const firstMs = performance.now() - t0;
    assert.ok(firstMs < 200, `first analysis took ${firstMs.toFixed(1)} ms`);
    // person_detect with CMSIS-NN on the M4 needs 82,316 bytes; 136 KiB leaves more than 10% spare.
    assert.deepEqual(codes(first.findings), ['arena-oversized']);
    ws.set('file:///pd/main.cc', sketch(40), 2);
    const t1 = performance.now();
    const second = analyzeFirmware(ws, opts);
    const secondMs = performance.now() - t1;
    assert.ok(secondMs < 20, `re-analysis took ${secondMs.toFixed(1)} ms`);
    assert.deepEqual(codes(second.findings), ['arena-too-small']);
    assert.match(second.findings[0].message, /needs 82,316 bytes/);
  });
});
