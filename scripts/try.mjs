// `npm run try`: the packaged extension in a real VS Code in your browser. Builds the VSIX,
// installs it into a fresh code-server profile in the cache folder, opens examples/ and prints
// the URL; runs until Ctrl-C.
//
//   node scripts/try.mjs [--port N] [--folder DIR] [--vsix FILE]
//   TINYML_CACHE: cache root (default ~/.cache/tinyml-lens); the profile is $TINYML_CACHE/try-profile

import { existsSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildVsix, ensureCodeServer, installVsix, makeProfile, repoRoot, startCodeServer, workbenchUrl } from '../test/e2e/codeServer.mjs';

const { values } = parseArgs({ options: { port: { type: 'string' }, folder: { type: 'string' }, vsix: { type: 'string' } } });
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const extensionId = `${manifest.publisher}.${manifest.name}`;
const cacheRoot = process.env.TINYML_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'tinyml-lens');
const folder = resolve(values.folder ?? join(repoRoot, 'examples'));
if (!existsSync(folder)) throw new Error(`no folder ${folder}`);

const bin = ensureCodeServer();
const vsix = values.vsix ?? buildVsix();
// A fresh profile each time: only this build of the extension, default settings.
const profileRoot = join(cacheRoot, 'try-profile');
rmSync(profileRoot, { recursive: true, force: true });
const profile = makeProfile(profileRoot);
const extensionDir = installVsix(bin, profile, vsix, extensionId);
const server = await startCodeServer(bin, profile, folder, { port: values.port ? Number(values.port) : undefined });

console.log(`\nTinyML Lens ${manifest.version} (${extensionDir})`);
console.log(`code-server log: ${server.logFile}`);
console.log(`\n  ${workbenchUrl(server, folder)}\n`);
console.log('Ctrl-C to stop.');

const stop = () => {
  server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => {
  if (server.exited) {
    console.error('code-server exited; see its log');
    process.exit(1);
  }
}, 1000);
