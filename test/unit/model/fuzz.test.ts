import assert from 'node:assert/strict';
import { type Graph, ModelError } from '../../../server/src/model/graph';
import { readTflite } from '../../../server/src/model/tflite/reader';
import { sharedModel } from '../../helpers/shared';
import { buildSharedTensorBomb } from '../../helpers/tfliteBuilder';

// Mutation fuzzing of the .tflite reader: every mutated file must give a Graph or a ModelError,
// quickly, and a returned Graph must be no bigger than the file could encode.

const MODELS = [
  'tflm/simple_add_model.tflite',
  'tflm/hello_world_int8.tflite',
  'tflm/micro_speech_quantized.tflite',
  'tflm/trained_lstm_int8.tflite',
  'tflm/audio_preprocessor_int8.tflite',
  'tflm/keyword_scrambled_8bit.tflite',
  'tflm/person_detect_vela.tflite',
];
const CASES_PER_MODEL = 800;
const MAX_CASE_MS = 200;
const MAX_TOTAL_MS = 20_000;

/** mulberry32: small, fast and deterministic, so a failing case can be replayed from its seed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EXTREMES = [0xffffffff, 0x7fffffff, 0x80000000, 0, 1, 2, 4, 8, 0xfffffffc, 0x10000];

/** Byte ranges holding constant tensor data: mutating them tells us nothing about parsing. */
function dataRanges(graph: Graph): [number, number][] {
  const ranges: [number, number][] = [];
  for (const sg of graph.subgraphs) for (const t of sg.tensors) if (t.data && t.data.length > 64) ranges.push([t.data.byteOffset, t.data.byteOffset + t.data.length]);
  return ranges;
}

function mutate(original: Uint8Array, avoid: [number, number][], rand: () => number): { bytes: Uint8Array; what: string } {
  const int = (n: number) => Math.floor(rand() * n);
  // Prefer structure over weights: retry a few times to land outside the constant data.
  const position = (): number => {
    let p = int(original.length);
    for (let i = 0; i < 8 && avoid.some(([a, b]) => p >= a && p < b); i++) p = int(original.length);
    return p;
  };
  const kind = int(6);
  if (kind === 0) {
    const n = 1 + int(original.length);
    return { bytes: original.slice(0, n - 1), what: `truncate to ${n - 1}` };
  }
  const bytes = original.slice();
  const view = new DataView(bytes.buffer);
  const steps: string[] = [];
  const count = 1 + int(3);
  for (let s = 0; s < count; s++) {
    const at = position();
    switch (kind) {
      case 1: {
        bytes[at] = int(256);
        steps.push(`byte ${at}`);
        break;
      }
      case 2: {
        bytes[at] ^= 1 << int(8);
        steps.push(`bit ${at}`);
        break;
      }
      case 3: {
        const word = Math.min(at - (at % 4), bytes.length - 4);
        const choice = int(EXTREMES.length + 2);
        const value = choice < EXTREMES.length ? EXTREMES[choice] : choice === EXTREMES.length ? bytes.length - int(64) : int(256);
        if (word >= 0) view.setUint32(word, value >>> 0, true);
        steps.push(`word ${word}=${value}`);
        break;
      }
      case 4: {
        const from = position();
        const length = Math.min(1 + int(64), bytes.length - Math.max(from, at));
        bytes.copyWithin(at, from, from + length);
        steps.push(`copy ${from}+${length}->${at}`);
        break;
      }
      default: {
        const length = Math.min(1 + int(32), bytes.length - at);
        bytes.fill(0, at, at + length);
        steps.push(`zero ${at}+${length}`);
      }
    }
  }
  return { bytes, what: steps.join(', ') };
}

/** A returned graph can only hold what the file encodes: each tensor or op costs >= 4 bytes. */
function checkGraph(graph: Graph, bytes: Uint8Array): void {
  const limit = bytes.length / 4;
  assert.ok(graph.subgraphs.length >= 1 && graph.subgraphs.length <= limit);
  for (const sg of graph.subgraphs) {
    const n = sg.tensors.length;
    assert.ok(n <= limit && sg.operators.length <= limit);
    for (const t of sg.tensors) {
      if (!t.data) continue;
      assert.equal(t.data.buffer, bytes.buffer, 'tensor data must view the input');
      assert.ok(t.data.byteOffset + t.data.length <= bytes.byteOffset + bytes.length);
    }
    for (const i of [...sg.inputs, ...sg.outputs]) assert.ok(i >= 0 && i < n);
    for (const op of sg.operators) for (const i of [...op.inputs, ...op.outputs, ...op.intermediates]) assert.ok(i >= -1 && i < n);
  }
  assert.ok((graph.offlinePlan?.length ?? 0) <= limit);
}

describe('readTflite under mutation', () => {
  it(`turns ${MODELS.length * CASES_PER_MODEL} mutated models into a Graph or a ModelError, each within ${MAX_CASE_MS} ms`, function () {
    this.timeout(MAX_TOTAL_MS * 2);
    const rand = prng(0x5eed1234);
    const outcomes = { graphs: 0, errors: 0 };
    let slowest = { ms: 0, what: '' };
    const start = performance.now();
    for (const path of MODELS) {
      const original = sharedModel(path);
      const avoid = dataRanges(readTflite(original));
      for (let c = 0; c < CASES_PER_MODEL; c++) {
        const { bytes, what } = mutate(original, avoid, rand);
        const label = `${path} case ${c}: ${what}`;
        const t0 = performance.now();
        let graph: Graph | undefined;
        try {
          graph = readTflite(bytes);
        } catch (error) {
          if (!(error instanceof ModelError)) assert.fail(`${label}: non-ModelError escaped: ${error instanceof Error ? error.stack : String(error)}`);
          assert.ok(error.message.length > 10);
        }
        const ms = performance.now() - t0;
        if (ms > slowest.ms) slowest = { ms, what: label };
        if (graph) {
          checkGraph(graph, bytes);
          outcomes.graphs++;
        } else {
          outcomes.errors++;
        }
      }
    }
    const total = performance.now() - start;
    assert.ok(slowest.ms < MAX_CASE_MS, `slowest case took ${slowest.ms.toFixed(1)} ms (${slowest.what})`);
    assert.ok(total < MAX_TOTAL_MS, `fuzz run took ${total.toFixed(0)} ms`);
    // Both outcomes must be common, or the mutations are not reaching the parser.
    assert.ok(outcomes.errors > 500 && outcomes.graphs > 500, JSON.stringify(outcomes));
  });

  it('stops vectors that overlap to force quadratic work', () => {
    // 50,000 tensors sharing one 50,000-element shape: 2.5e9 elements if decoded naively.
    const bytes = buildSharedTensorBomb(50_000, 50_000);
    const t0 = performance.now();
    assert.throws(() => readTflite(bytes), (e: unknown) => e instanceof ModelError && /overlap/.test(e.message));
    assert.ok(performance.now() - t0 < 1000);
  });

  it('reports every 4-byte word of a small model set to 0xFFFFFFFF as a Graph or ModelError', () => {
    const original = sharedModel('tflm/hello_world_int8.tflite');
    for (let at = 0; at + 4 <= original.length; at += 4) {
      const bytes = original.slice();
      new DataView(bytes.buffer).setUint32(at, 0xffffffff, true);
      try {
        checkGraph(readTflite(bytes), bytes);
      } catch (error) {
        assert.ok(error instanceof ModelError, `word ${at}: ${String(error)}`);
      }
    }
  });
});
