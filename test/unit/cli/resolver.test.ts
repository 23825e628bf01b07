import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../../server/src/cli/args';
import { main } from '../../../server/src/cli/main';
import { resolverCommand } from '../../../server/src/cli/resolverCommand';
import { modelsDir, sharedModel } from '../../helpers/shared';
import { xxdFile } from '../analysis/firmware/fixtureWorkspace';

function run(argv: string[]): { code: number; out: string } {
  let out = '';
  const code = resolverCommand(argv, (t) => (out += t + '\n'));
  return { code, out };
}

describe('tinyml resolver', () => {
  const kws = join(modelsDir, 'mlperf-tiny', 'kws_ref_model.tflite');

  it('prints the exact resolver for kws_ref_model, named after the file', () => {
    const { code, out } = run([kws]);
    assert.equal(code, 0);
    assert.equal(
      out,
      [
        '// The 6 ops kws_ref_model uses, in the order they first appear (TinyML Lens).',
        'static tflite::MicroMutableOpResolver<6> resolver;',
        'resolver.AddConv2D();',
        'resolver.AddDepthwiseConv2D();',
        'resolver.AddAveragePool2D();',
        'resolver.AddReshape();',
        'resolver.AddFullyConnected();',
        'resolver.AddSoftmax();',
        '',
      ].join('\n'),
    );
  });

  it('--checked and --name', () => {
    const { out } = run([kws, '--checked', '--name', 'micro_op_resolver']);
    assert.match(out, /^static tflite::MicroMutableOpResolver<6> micro_op_resolver;$/m);
    assert.match(out, /^if \(micro_op_resolver\.AddSoftmax\(\) != kTfLiteOk\) return false;$/m);
  });

  it('reads a model embedded in C source', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinyml-resolver-'));
    writeFileSync(join(dir, 'model_data.cc'), xxdFile('g_model', sharedModel('tflm/hello_world_int8.tflite')));
    const { out } = run([join(dir, 'model_data.cc')]);
    assert.match(out, /^static tflite::MicroMutableOpResolver<1> resolver;\nresolver\.AddFullyConnected\(\);$/m);
  });

  it('bad input is a usage error (exit 2 through main)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinyml-resolver-'));
    writeFileSync(join(dir, 'notes.tflite'), 'not a model');
    assert.throws(() => run([join(dir, 'notes.tflite')]), (e: unknown) => e instanceof UsageError && /notes\.tflite: /.test(e.message));
    assert.throws(() => run([kws, '--name', 'a-b']), /--name 'a-b' is not a C identifier/);
    assert.throws(() => run([]), /expected exactly one model file/);
    assert.throws(() => run([kws, '--plain']), /unknown option --plain/);
  });

  it('is a command of the tinyml CLI', function () {
    let out = '';
    let err = '';
    const code = main(['resolver', kws], (t) => (out += t), (t) => (err += t));
    // Registered by one line in server/src/cli/main.ts (owned elsewhere); pending until then.
    if (/unknown command 'resolver'/.test(err)) this.skip();
    assert.equal(code, 0);
    assert.match(out, /MicroMutableOpResolver<6>/);
  });
});
