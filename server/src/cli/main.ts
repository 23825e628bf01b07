// The `tinyml` command line: the same core the language server uses, for terminals and CI.
// Exit codes: 0 success, 1 a check failed (e.g. the model does not fit), 2 bad input.

import { UsageError } from './args';
import { boardsCommand } from './boardsCommand';
import { budgetCommand } from './budgetCommand';
import { resolverCommand } from './resolverCommand';
import { runCommand } from './runCommand';
import { checkCommand } from './checkCommand';
import { exportCommand } from './exportCommand';
import { quantizeCommand } from './quantizeCommand';
import { pruneCommand } from './pruneCommand';
import { convertCommand } from './convertCommand';

const USAGE = `usage: tinyml <command> [options]

commands:
  budget <model> [--board <id>] [--kernels optimized|reference] [--json]
      per-layer memory and latency budget of a .tflite, .onnx or C-array model
  boards [--json]
      the boards the budget knows
  run <model> --input <file.npy|file.bin> [--input ...] [--output <file>] [--json]
      one inference with the TFLM-exact engine (outputs dequantized; raw bytes to --output)
  check <paths...> [--board <id>] [--kernels optimized|reference] [--margin <percent>] [--json]
      the editor's diagnostics for firmware sources and model files, compiler style; exit 1 on errors
  resolver <model> [--checked] [--name <var>]
      print the exact MicroMutableOpResolver<N>: one AddXxx() per op the model uses
  export <model> [-o <dir>] [--name <identifier>] [--progmem] [--force]
      write the model as a C array (header and source, alignas(16), xxd-compatible names)
  quantize <model> [--calib <dir>] [--method minmax|percentile|entropy] [--percentile <p>]
           [--per-channel | --per-tensor] [--io int8|float] [--format tflite|onnx]
           [--board <id>] [-o <out>] [--force] [--json]
      full-integer int8 quantization of a float model (per-channel by default), validated against
      it; writes <model>.int8.tflite (or .onnx, QDQ) and its .report.json beside the input
  prune <model> --sparsity <0..1> [--structured] [--scope global|per-layer] [--include-first-last]
        [--calib <dir>] [--board <id>] [-o <out>] [--force] [--json]
      magnitude pruning (zeros), or with --structured whole channels (TFLite), validated against
      the original; writes <model>.pruned50[-channels].<ext> and its .report.json
  convert <model> [-o <out.tflite|out.onnx>] [--calib <dir>] [--board <id>] [--force] [--json]
      TFLite <-> ONNX (the format -o names, else the other one), validated against the original
  --calib <dir>: a folder of .npy/.bin/.wav/.bmp/.png inputs to calibrate and validate on
      (generated inputs otherwise); the input model is never overwritten, other files only with --force

Run 'tinyml boards' for board ids.`;

type Command = (argv: readonly string[], out: (text: string) => void) => number;
const commands: Record<string, Command> = {
  budget: budgetCommand,
  boards: boardsCommand,
  check: checkCommand,
  export: exportCommand,
  resolver: resolverCommand,
  run: runCommand,
  quantize: quantizeCommand,
  prune: pruneCommand,
  convert: convertCommand,
};

export function main(argv: readonly string[], out = (t: string) => console.log(t), err = (t: string) => console.error(t)): number {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    err(`tinyml: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    out(USAGE);
    return 0;
  }
  try {
    return command(rest, out);
  } catch (error) {
    if (error instanceof UsageError) {
      err(`tinyml ${name}: ${error.message}`);
      return 2;
    }
    err(`tinyml ${name}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 3;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
