// A linked pair of pseudo-terminals from socat, stoppable and restartable under the same link
// names (unplug/replug). Needs Debian's socat.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class PtyPair {
  readonly dir = mkdtempSync(join(tmpdir(), 'tinyml-pty-'));
  readonly a = join(this.dir, 'ttyA');
  readonly b = join(this.dir, 'ttyB');
  private proc: ChildProcess | undefined;

  async start(): Promise<void> {
    this.proc = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${this.a}`, `pty,raw,echo=0,link=${this.b}`], { stdio: 'ignore', shell: false });
    const deadline = Date.now() + 5000;
    while (!(existsSync(this.a) && existsSync(this.b))) {
      if (Date.now() > deadline) throw new Error('socat did not create the pty pair');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async stop(): Promise<void> {
    const p = this.proc;
    this.proc = undefined;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    await exited;
    // socat removes its links on exit; make sure before a restart reuses the names.
    rmSync(this.a, { force: true });
    rmSync(this.b, { force: true });
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function hasSocat(): boolean {
  return ['/usr/bin/socat', '/usr/local/bin/socat', '/bin/socat'].some((p) => existsSync(p));
}
