// `npm run package`: production bundles, then a platform-specific VSIX with @vscode/vsce whose
// contents are the .vscodeignore allow-list, then a check of what shipped: the files, no source
// maps, one native binding for the target, and `require('serialport')` working from the
// unpacked extension alone. Offline: vsce only runs `npm list` on the installed tree.
//
//   node scripts/package.mjs [--target linux-x64] [--out FILE.vsix] [--ignore-file FILE] [--keep-production]
//
// Other targets take their binding from the same npm package: @serialport/bindings-cpp ships
// prebuilt N-API binaries for every platform; the allow-list line naming
// `prebuilds/linux-x64/*.glibc.node` is rewritten here for the target (PREBUILDS below).
// Prints the VSIX path on the last line of stdout.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** vsce target → the prebuilt binding(s) under @serialport/bindings-cpp/prebuilds/ it needs. */
export const PREBUILDS = {
  'linux-x64': 'linux-x64/*.glibc.node',
  'linux-arm64': 'linux-arm64/*.glibc.node',
  'linux-armhf': 'linux-arm/*.glibc.node',
  'alpine-x64': 'linux-x64/*.musl.node',
  'alpine-arm64': 'linux-arm64/*.musl.node',
  'darwin-x64': 'darwin-x64+arm64/*.node',
  'darwin-arm64': 'darwin-x64+arm64/*.node',
  'win32-x64': 'win32-x64/*.node',
  'win32-arm64': 'win32-arm64/*.node',
};
const PREBUILD_LINE = /^(!node_modules\/@serialport\/bindings-cpp\/prebuilds\/)\S+$/m;

/** Files every VSIX must hold (paths inside `extension/`). */
const REQUIRED = [
  'package.json',
  'readme.md',
  'changelog.md',
  'LICENSE.txt',
  'dist/client/extension.js',
  'dist/server/server.js',
  'dist/server/actionWorker.js',
  'dist/client/inferenceWorker.js',
  'dist/webview/main.js',
  'dist/webview/device.js',
  'dist/webview/report.js',
  'snippets/tflm.code-snippets',
  'node_modules/serialport/package.json',
  'node_modules/@serialport/bindings-cpp/package.json',
  'node_modules/node-gyp-build/index.js',
];

const log = (message) => console.error(`package: ${message}`);

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

/** The project's allow-list with the native binding line pointed at `target`'s prebuilds. */
export function ignoreFileFor(text, target) {
  const prebuild = PREBUILDS[target];
  if (!prebuild) throw new Error(`no serialport prebuild known for target '${target}' (known: ${Object.keys(PREBUILDS).join(', ')})`);
  if (!PREBUILD_LINE.test(text)) {
    throw new Error(
      '.vscodeignore does not allow-list the serialport runtime: it needs a line ' +
        '`!node_modules/@serialport/bindings-cpp/prebuilds/linux-x64/*.glibc.node` and the runtime packages (see scripts/package.mjs)',
    );
  }
  return text.replace(PREBUILD_LINE, `$1${prebuild}`);
}

/** Checks the unpacked VSIX; returns the problems found. */
export function checkUnpacked(extDir, files, target) {
  const problems = [];
  for (const f of REQUIRED) if (!files.includes(f)) problems.push(`missing ${f}`);
  const manifest = JSON.parse(readFileSync(join(extDir, 'package.json'), 'utf8'));
  if (manifest.icon && !files.includes(manifest.icon.replace(/^\.\//, ''))) problems.push(`missing the icon ${manifest.icon}`);
  for (const f of files) {
    // The example firmware ships as sources on purpose: Create Sample Project copies it.
    const example = /^examples\/(models\/[^/]+\.(tflite|md)|qemu-m4\/)/.test(f) && !/\/build\//.test(f);
    if (/\.(map|ts|cc|cpp|h|gyp|mjs)$/.test(f) && !/\.d\.ts$/.test(f) && !example) problems.push(`should not ship ${f}`);
    if (f.endsWith('.d.ts')) problems.push(`should not ship ${f}`);
    if (/^(client|server|webview|test|bench|examples|scripts|\.tmp)\//.test(f) && !example) problems.push(`should not ship ${f}`);
    if (f.startsWith('node_modules/') && !/^node_modules\/(serialport|@serialport\/[^/]+|debug|ms|node-gyp-build)\//.test(f)) problems.push(`should not ship ${f}`);
  }
  const natives = files.filter((f) => f.endsWith('.node'));
  const expected = PREBUILDS[target].split('/')[0];
  if (natives.length === 0) problems.push(`no native serialport binding for ${target}`);
  for (const n of natives) if (!n.includes(`/prebuilds/${expected}/`)) problems.push(`binding for another platform: ${n}`);
  // The client bundle may only require Node built-ins, `vscode` and `serialport` at run time.
  const client = readFileSync(join(extDir, 'dist/client/extension.js'), 'utf8');
  const builtins = new Set(execFileSync(process.execPath, ['-p', 'require("node:module").builtinModules.join(",")'], { encoding: 'utf8' }).trim().split(','));
  for (const [, name] of client.matchAll(/\brequire\(\s*["']([^"'./][^"']*)["']\s*\)/g)) {
    const bare = name.replace(/^node:/, '');
    if (!builtins.has(bare.split('/')[0]) && name !== 'vscode' && name !== 'serialport') problems.push(`dist/client/extension.js requires '${name}', which does not ship`);
  }
  return problems;
}

/** `require('serialport')` and load the native binding from the unpacked extension alone (no project node_modules above it). */
export function checkSerialportLoads(extDir, target) {
  const [platform, arch] = target.replace('alpine', 'linux').replace('armhf', 'arm').split('-');
  if (platform !== process.platform || arch !== process.arch) return `skipped: this machine is ${process.platform}-${process.arch}`;
  const probe = `
    const { SerialPort } = require(${JSON.stringify(join(extDir, 'node_modules/serialport'))});
    const binding = require(${JSON.stringify(join(extDir, 'node_modules/@serialport/bindings-cpp'))}).autoDetect();
    if (typeof SerialPort !== 'function' || typeof binding.list !== 'function') throw new Error('serialport API incomplete');
    console.log('loaded', require.cache[Object.keys(require.cache).find((k) => k.endsWith('.node'))]?.filename ?? 'no .node in require.cache');`;
  const out = execFileSync(process.execPath, ['-e', probe], { cwd: extDir, encoding: 'utf8', env: { PATH: process.env.PATH } });
  if (!/prebuilds/.test(out)) throw new Error(`serialport loaded, but not from a prebuilt binding: ${out.trim()}`);
  return out.trim();
}

async function main() {
  const { values } = parseArgs({
    options: {
      target: { type: 'string', default: 'linux-x64' },
      out: { type: 'string' },
      'ignore-file': { type: 'string', default: join(root, '.vscodeignore') },
      'keep-production': { type: 'boolean', default: false },
    },
  });
  const target = values.target;
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const out = resolve(values.out ?? join(root, 'dist', 'vsix', `${manifest.name}-${target}-${manifest.version}.vsix`));
  mkdirSync(dirname(out), { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'tinyml-package-'));
  try {
    const ignoreFile = join(work, 'vscodeignore');
    writeFileSync(ignoreFile, ignoreFileFor(readFileSync(values['ignore-file'], 'utf8'), target));

    log('production bundles (esbuild.mjs --production)');
    run(process.execPath, ['esbuild.mjs', '--production']);
    // Stale source maps of a development build stay beside the bundles; the allow-list names *.js only.
    log(`vsce package --target ${target}`);
    try {
      run(process.execPath, [
        join(root, 'node_modules/@vscode/vsce/vsce'),
        'package',
        '--target', target,
        '--out', out,
        '--ignoreFile', ignoreFile,
        // Dependency detection stays on (`npm list`, offline): with --no-dependencies vsce drops
        // node_modules entirely, and the native serialport runtime could not ship.
        '--dependencies',
        '--allow-missing-repository',
        '--no-rewrite-relative-links',
      ]);
    } finally {
      // Other work in this tree (unit tests, debugging) expects the development bundles.
      if (!values['keep-production']) run(process.execPath, ['esbuild.mjs']);
    }

    const unpacked = join(work, 'unpacked');
    execFileSync('unzip', ['-q', out, '-d', unpacked]);
    const extDir = join(unpacked, 'extension');
    const files = execFileSync('find', ['.', '-type', 'f'], { cwd: extDir, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^\.\//, ''))
      .sort();
    const problems = checkUnpacked(extDir, files, target);
    if (problems.length > 0) throw new Error(`the VSIX is not what the allow-list promises:\n  ${problems.join('\n  ')}`);
    log(`serialport from the unpacked VSIX: ${checkSerialportLoads(extDir, target)}`);

    const size = statSync(out).size;
    const unpackedBytes = files.reduce((n, f) => n + statSync(join(extDir, f)).size, 0);
    const byTop = new Map();
    for (const f of files) {
      const key = f.startsWith('node_modules/') ? 'node_modules (serialport runtime)' : f.split('/').slice(0, f.startsWith('dist/') ? 2 : 1).join('/');
      byTop.set(key, (byTop.get(key) ?? 0) + statSync(join(extDir, f)).size);
    }
    log(`${relative(root, out)}: ${(size / 1024).toFixed(0)} KiB packed, ${(unpackedBytes / 1024).toFixed(0)} KiB unpacked, ${files.length} files`);
    for (const [k, v] of [...byTop].sort((a, b) => b[1] - a[1])) log(`  ${String(Math.round(v / 1024)).padStart(6)} KiB  ${k}`);
    console.log(out);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    log(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
