// The walkthrough's sample project (`TinyML: Create Sample Project`, createSampleProject.ts): what
// goes into a new folder beside nothing the user owns: the example model, its C array (written
// by the server's `tinyml/codegen/exportCArray`), a TFLM main.cc whose arena is too small on
// purpose (the diagnostic step), and the emulated-board firmware from examples/qemu-m4.

export const SAMPLE_FOLDER = 'tinyml-kws-sample';
/** Paths inside the extension. */
export const SAMPLE_MODEL = 'examples/models/kws_ref_model.tflite';
export const SAMPLE_MODEL_NOTICE = 'examples/models/NOTICE.md';
export const SAMPLE_BOARD_FIRMWARE = 'examples/qemu-m4';

/** The arena main.cc declares: below the 22,772 bytes kws_ref_model needs with reference kernels. */
export const SAMPLE_ARENA_KIB = 16;

/** `tinyml-kws-sample`, or the first `tinyml-kws-sample-N` not taken: the sample never replaces a folder. */
export function sampleFolderName(taken: ReadonlySet<string>): string {
  if (!taken.has(SAMPLE_FOLDER)) return SAMPLE_FOLDER;
  for (let n = 2; ; n++) if (!taken.has(`${SAMPLE_FOLDER}-${n}`)) return `${SAMPLE_FOLDER}-${n}`;
}

export type SampleFile =
  | { path: string; kind: 'text'; text: string }
  | { path: string; kind: 'copy'; from: string }
  /** A folder copied from the extension, build outputs other than the firmware left out. */
  | { path: string; kind: 'tree'; from: string }
  | { path: string; kind: 'export'; from: string; arrayName: string; headerName: string };

export const SAMPLE_ARRAY = 'kws_ref_model_tflite';
export const SAMPLE_HEADER = 'kws_ref_model_model_data.h';

export function sampleFiles(): SampleFile[] {
  return [
    { path: 'README.md', kind: 'text', text: SAMPLE_README },
    { path: 'main.cc', kind: 'text', text: sampleMain() },
    { path: 'kws_ref_model.tflite', kind: 'copy', from: SAMPLE_MODEL },
    { path: 'NOTICE.md', kind: 'copy', from: SAMPLE_MODEL_NOTICE },
    { path: 'kws_ref_model_model_data.cc', kind: 'export', from: SAMPLE_MODEL, arrayName: SAMPLE_ARRAY, headerName: SAMPLE_HEADER },
    // The device panel's QEMU preset builds and flashes `examples/qemu-m4` relative to the workspace folder.
    { path: SAMPLE_BOARD_FIRMWARE, kind: 'tree', from: SAMPLE_BOARD_FIRMWARE },
  ];
}

/** What of examples/qemu-m4 is copied: everything but dot files and the link map. */
export function keepInTree(relativePath: string): boolean {
  return !relativePath.split('/').some((part) => part.startsWith('.')) && !relativePath.endsWith('.map');
}

/**
 * The order to copy a folder's entries in, so that `make` finds the copied build up to date and
 * needs no toolchain: sources first, `build/` last, and in it the objects before the ELF before
 * the binary (a copy is as new as the moment it was written).
 */
export function copyOrder(names: readonly string[]): string[] {
  const rank = (name: string) => (name === 'build' ? 3 : name.endsWith('.o') ? 0 : name.endsWith('.elf') ? 1 : name.endsWith('.bin') ? 2 : -1);
  return [...names].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

export function sampleMain(): string {
  return `// TinyML Lens walkthrough sample: MLPerf Tiny's keyword-spotting DS-CNN (int8) on TensorFlow
// Lite Micro. kTensorArenaSize below is too small on purpose: TinyML Lens marks it
// (arena-too-small), and its quick fix sets it to what the model needs plus the margin from the
// tinyml.arenaMarginPercent setting.

#include <cstdint>

#include "${SAMPLE_HEADER}"
#include "tensorflow/lite/micro/micro_interpreter.h"
#include "tensorflow/lite/micro/micro_log.h"
#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"
#include "tensorflow/lite/micro/system_setup.h"
#include "tensorflow/lite/schema/schema_generated.h"

namespace {
// Sized by guess, as arenas often are.
constexpr int kTensorArenaSize = ${SAMPLE_ARENA_KIB} * 1024;
alignas(16) uint8_t tensor_arena[kTensorArenaSize];
tflite::MicroInterpreter* interpreter = nullptr;
}  // namespace

bool SetUpModel() {
  tflite::InitializeTarget();
  const tflite::Model* model = tflite::GetModel(${SAMPLE_ARRAY});
  if (model->version() != TFLITE_SCHEMA_VERSION) {
    MicroPrintf("Model schema %d is not the supported %d", static_cast<int>(model->version()), TFLITE_SCHEMA_VERSION);
    return false;
  }

  // The 6 ops kws_ref_model uses, in the order they first appear (TinyML: Generate Op Resolver).
  static tflite::MicroMutableOpResolver<6> resolver;
  if (resolver.AddConv2D() != kTfLiteOk) return false;
  if (resolver.AddDepthwiseConv2D() != kTfLiteOk) return false;
  if (resolver.AddAveragePool2D() != kTfLiteOk) return false;
  if (resolver.AddReshape() != kTfLiteOk) return false;
  if (resolver.AddFullyConnected() != kTfLiteOk) return false;
  if (resolver.AddSoftmax() != kTfLiteOk) return false;

  static tflite::MicroInterpreter static_interpreter(model, resolver, tensor_arena, kTensorArenaSize);
  interpreter = &static_interpreter;
  if (interpreter->AllocateTensors() != kTfLiteOk) {
    MicroPrintf("AllocateTensors() failed: kTensorArenaSize is too small");
    return false;
  }
  MicroPrintf("arena used: %u bytes", static_cast<unsigned>(interpreter->arena_used_bytes()));
  return true;
}

int main() {
  if (!SetUpModel()) return 1;
  for (;;) {
    // Fill interpreter->input(0) with 49x10 int8 MFCC features here, then:
    if (interpreter->Invoke() != kTfLiteOk) return 1;
  }
}
`;
}

const SAMPLE_README = `# TinyML Lens sample: keyword spotting

- \`kws_ref_model.tflite\`: MLPerf Tiny's keyword-spotting reference model (int8 DS-CNN, 12
  classes; see \`NOTICE.md\`). Open it to read its budget: flash, arena, MACs and latency per layer.
- \`${SAMPLE_HEADER}\` and \`kws_ref_model_model_data.cc\`: the model as a C array, as
  **TinyML: Export Model as C Array** writes it.
- \`main.cc\`: TensorFlow Lite Micro set-up for the model. Its \`kTensorArenaSize\` is too small on
  purpose: TinyML Lens underlines it, and the quick fix (Ctrl+.) sets the size the model needs.
- \`examples/qemu-m4/\`: bare-metal firmware for QEMU's emulated Cortex-M4 board (\`mps2-an386\`), with a
  built \`build/firmware.elf\` that the TinyML device panel's QEMU preset flashes (\`make\` rebuilds
  it with \`gcc-arm-none-eabi\`; see its README).
`;
