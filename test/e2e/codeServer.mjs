// A real VS Code for the e2e tests and `npm run try`: code-server 4.100.3 from the cache that
// scripts/installCodeServer.sh fills, a fresh profile (user data and extensions folders) per
// run, the VSIX installed into it, started on 127.0.0.1 on a free port without auth.
// Recipe and flags: shared/docs/TESTING-REAL-PARTS.md.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Installs code-server if needed (idempotent) and returns the binary's path. */
export function ensureCodeServer() {
  const out = execFileSync('bash', [join(repoRoot, 'scripts', 'installCodeServer.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const bin = out.trim().split('\n').pop();
  if (!bin || !existsSync(bin)) throw new Error(`scripts/installCodeServer.sh printed no code-server binary (got '${out.trim()}')`);
  return bin;
}

/** Builds the VSIX with scripts/package.mjs and returns its path. */
export function buildVsix(extraArgs = []) {
  const ignore = process.env.TINYML_VSCODEIGNORE ? ['--ignore-file', process.env.TINYML_VSCODEIGNORE] : [];
  const out = execFileSync(process.execPath, [join(repoRoot, 'scripts', 'package.mjs'), ...ignore, ...extraArgs], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out.trim().split('\n').pop();
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** A fresh profile under `root`: user data (welcome page off), extensions, XDG dirs. */
export function makeProfile(root, settings = {}) {
  const profile = {
    root,
    userData: join(root, 'ud'),
    extensions: join(root, 'ext'),
    env: { ...process.env, XDG_CONFIG_HOME: join(root, 'xdg'), XDG_DATA_HOME: join(root, 'xdgd') },
  };
  mkdirSync(join(profile.userData, 'User'), { recursive: true });
  mkdirSync(profile.extensions, { recursive: true });
  writeFileSync(
    join(profile.userData, 'User', 'settings.json'),
    JSON.stringify({ 'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'git.openRepositoryInParentFolders': 'never', ...settings }, null, 2),
  );
  return profile;
}

/** Installs the VSIX into the profile; returns the installed extension's folder. */
export function installVsix(bin, profile, vsix, extensionId) {
  execFileSync(bin, ['--extensions-dir', profile.extensions, '--user-data-dir', profile.userData, '--install-extension', vsix], {
    env: profile.env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const dir = readdirSync(profile.extensions).find((d) => d.toLowerCase().startsWith(`${extensionId.toLowerCase()}-`));
  if (!dir) throw new Error(`the VSIX installed, but no ${extensionId}-* folder is in ${profile.extensions}: ${readdirSync(profile.extensions).join(', ')}`);
  return join(profile.extensions, dir);
}

/**
 * Starts code-server detached (its own process group, so that stop() ends it and its children)
 * and waits for /healthz. Its output goes to `<root>/code-server.log`.
 */
export async function startCodeServer(bin, profile, workspace, { port, logLevel = 'info' } = {}) {
  port ??= await freePort();
  const logFile = join(profile.root, 'code-server.log');
  const log = openSync(logFile, 'a');
  const args = [
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--log', logLevel,
    '--user-data-dir', profile.userData,
    '--extensions-dir', profile.extensions,
    workspace,
  ];
  const child = spawn(bin, args, { env: profile.env, detached: true, stdio: ['ignore', log, log] });
  const server = {
    port,
    url: `http://127.0.0.1:${port}`,
    logFile,
    pid: child.pid,
    exited: false,
    stop() {
      if (server.exited) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
  child.on('exit', () => (server.exited = true));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exited) throw new Error(`code-server exited while starting; see ${logFile}:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    try {
      const res = await fetch(`${server.url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      server.stop();
      throw new Error(`code-server did not answer /healthz within 60 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return server;
}

/** The workbench URL for a folder, optionally with a test payload (extension development + tests). */
export function workbenchUrl(server, folder, payload) {
  // Slashes stay readable: http://127.0.0.1:PORT/?folder=/path/to/folder
  const query = [`folder=${encodeURIComponent(folder).replace(/%2F/g, '/')}`];
  if (payload) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${server.url}/?${query.join('&')}`;
}

/** All files under the profile's logs folder (code-server's server, remote extension host and output channel logs). */
export function logFiles(profile) {
  const files = [];
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.log')) files.push(p);
    }
  };
  walk(join(profile.userData, 'logs'));
  return files;
}
