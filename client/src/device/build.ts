// The build step before flashing: a configured command (an argv array, e.g. ["make", "-C",
// "fw"] or ["pio", "run"]) or `arduino-cli compile --fqbn <fqbn> <sketchDir>`, spawned like the
// flash tools (no shell, trusted workspaces only, streamed, cancellable). arduino-cli's size
// summary is parsed so the panel can set it beside the model budget.

import type { Board } from '../../../server/src/analysis/boards';
import { runTool, ToolError } from './spawnTool';

export interface BuildRequest {
  board: Board;
  /** argv of a custom build; when absent, arduino-cli compiles `sketchDir`. */
  command?: readonly string[];
  sketchDir?: string;
  fqbn?: string;
  arduinoCliPath?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  isTrusted: () => boolean;
  onLine: (line: string) => void;
  signal: AbortSignal;
}

export interface BuildResult {
  argv: string[];
  /** From "Sketch uses N bytes (P%) of program storage space. Maximum is M bytes." */
  flashUsed?: number;
  flashMax?: number;
  /** From "Global variables use N bytes (P%) of dynamic memory, ... Maximum is M bytes." */
  ramUsed?: number;
  ramMax?: number;
}

export function buildArgv(req: Pick<BuildRequest, 'board' | 'command' | 'sketchDir' | 'fqbn' | 'arduinoCliPath'>): string[] {
  if (req.command) {
    if (req.command.length === 0 || req.command[0].length === 0) throw new ToolError('invalid', 'The build command is empty.');
    return [...req.command];
  }
  const fqbn = req.fqbn ?? req.board.fqbn;
  if (!fqbn) throw new ToolError('invalid', `${req.board.name} has no Arduino FQBN: configure a build command.`);
  if (!req.sketchDir) throw new ToolError('invalid', 'No sketch directory to compile: configure one, or a build command.');
  return [req.arduinoCliPath ?? 'arduino-cli', 'compile', '--fqbn', fqbn, req.sketchDir];
}

export async function runBuild(req: BuildRequest): Promise<BuildResult> {
  const argv = buildArgv(req);
  const result: BuildResult = { argv };
  await runTool(
    { command: argv[0], args: argv.slice(1), ...(req.cwd ? { cwd: req.cwd } : {}), ...(req.env ? { env: req.env } : {}) },
    {
      isTrusted: req.isTrusted,
      signal: req.signal,
      onLine: (line) => {
        req.onLine(line);
        let m = /^Sketch uses (\d+) bytes .*?Maximum is (\d+) bytes/.exec(line);
        if (m) {
          result.flashUsed = Number(m[1]);
          result.flashMax = Number(m[2]);
        }
        m = /^Global variables use (\d+) bytes .*?Maximum is (\d+) bytes/.exec(line);
        if (m) {
          result.ramUsed = Number(m[1]);
          result.ramMax = Number(m[2]);
        }
      },
    },
  );
  return result;
}
