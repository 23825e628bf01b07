import assert from 'node:assert/strict';
import { extractFacts } from '../../../../server/src/analysis/firmware/facts';

const text = `
typedef tflite::MicroMutableOpResolver<3> KwsResolver;
static tflite::MicroMutableOpResolver<kOps> global_resolver;

void RegisterOps(tflite::MicroMutableOpResolver<6>* op_resolver) {
  op_resolver->AddSoftmax();
  (*op_resolver).AddReshape();
}

void setup() {
  KwsResolver local;
  RegisterOps(&global_resolver);
  if (local.AddFullyConnected() != kTfLiteOk) { return; }
  local.AddConv2D().AddDepthwiseConv2D();
  model = tflite::GetModel(g_model);
  interpreter = new (buffer) tflite::MicroInterpreter(model, local, arena, kArenaSize, &resource_vars, &profiler);
}

extern const unsigned char g_model[];
const unsigned char g_model2[] __attribute__((aligned(16))) PROGMEM = { 1, 2, 3 };
alignas(kAlign) static uint8_t arena[kArenaSize];
float features[49 * 40];
const char* labels[] = {"a", "b"};
static constexpr std::size_t kArenaSize = 10 * 1024;
`;

describe('firmware facts', () => {
  const f = extractFacts(text);

  it('finds resolver declarations and aliases', () => {
    assert.deepEqual(f.aliases.map((a) => [a.alias, a.typeName, a.capacityTokens?.map((t) => t.text).join('')]), [['KwsResolver', 'MicroMutableOpResolver', '3']]);
    assert.deepEqual(
      f.varDecls.filter((d) => /resolver|local/.test(d.name)).map((d) => [d.name, d.typeName, d.fn ?? null]),
      [['global_resolver', 'MicroMutableOpResolver', null], ['local', 'KwsResolver', 'setup']],
    );
  });

  it('finds AddXxx() calls through pointers, chains and if-conditions', () => {
    assert.deepEqual(f.addCalls.map((c) => [c.receiver, c.method, c.fn]), [
      ['op_resolver', 'AddSoftmax', 'RegisterOps'],
      ['op_resolver', 'AddReshape', 'RegisterOps'],
      ['local', 'AddFullyConnected', 'setup'],
      ['local', 'AddConv2D', 'setup'],
      ['local', 'AddDepthwiseConv2D', 'setup'],
    ]);
    const ifCall = f.addCalls[2];
    assert.equal(text.slice(ifCall.statement.start, ifCall.statement.end), 'if (local.AddFullyConnected() != kTfLiteOk) { return; }');
  });

  it('finds helper functions, the calls into them, GetModel() and a placement-new interpreter', () => {
    assert.deepEqual(f.functions.map((fn) => [fn.name, fn.params.map((p) => `${p.typeText} ${p.name}`)]), [
      ['RegisterOps', ['tflite::MicroMutableOpResolver<6>* op_resolver']],
      ['setup', []],
    ]);
    assert.deepEqual(f.calls.map((c) => [c.callee, c.args]), [['RegisterOps', ['global_resolver']]]);
    assert.deepEqual(f.getModels.map((g) => [g.variable, g.array]), [['model', 'g_model']]);
    assert.equal(f.interpreters.length, 1);
    assert.deepEqual(f.interpreters[0].args.map((a) => a.tokens.map((t) => t.text).join('')), ['model', 'local', 'arena', 'kArenaSize', '&resource_vars', '&profiler']);
  });

  it('reads arrays with their alignment, storage and dimensions', () => {
    const rows = f.arrays.map((a) => [a.name, a.isExtern, a.isConst, a.progmem, a.alignTokens?.map((t) => t.text).join('') ?? null, a.staticStorage, a.elementBytes ?? null, a.dims.map((d) => d.tokens.map((t) => t.text).join(''))]);
    assert.deepEqual(rows, [
      ['g_model', true, true, false, null, true, 1, ['']],
      ['g_model2', false, true, true, '16', true, 1, ['']],
      ['arena', false, false, false, 'kAlign', true, 1, ['kArenaSize']],
      ['features', false, false, false, null, true, 4, ['49*40']],
    ]);
    assert.equal(f.arrays[1].init?.elements, 3);
  });

  it('reads integer constants', () => {
    assert.deepEqual(f.constants.map((c) => [c.name, c.tokens.map((t) => t.text).join(' '), c.kind]), [['kArenaSize', '10 * 1024', 'const']]);
  });
});
