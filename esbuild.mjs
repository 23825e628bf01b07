// Bundles the extension client, the language server, the CLI, the webview and the benchmark.
import { build } from 'esbuild';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'linked',
};
const node = { ...common, platform: 'node', target: 'node20', format: 'cjs' };

await Promise.all([
  build({ ...node, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client/extension.js', external: ['vscode', 'serialport'] }),
  build({ ...node, entryPoints: ['server/src/lsp/server.ts'], outfile: 'dist/server/server.js' }),
  build({ ...node, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli/tinyml.js' }),
  build({ ...node, entryPoints: ['bench/bench.ts'], outfile: 'dist/bench/bench.js', external: ['onnxruntime-node'] }),
  // onnxruntime-web stays external so it finds its WASM file in node_modules.
  build({ ...node, entryPoints: ['bench/engineBench.ts'], outfile: 'dist/bench/engineBench.js', external: ['onnxruntime-node', 'onnxruntime-web'] }),
  build({ ...common, platform: 'browser', target: 'es2022', format: 'esm', entryPoints: ['webview/src/main.ts'], outfile: 'dist/webview/main.js' }),
  // Live inference runs the engine in a worker thread, never on the extension host's main thread.
  build({ ...node, entryPoints: ['client/src/device/inference/inferenceWorker.ts'], outfile: 'dist/client/inferenceWorker.js' }),
  build({ ...common, platform: 'browser', target: 'es2022', format: 'esm', entryPoints: { device: 'webview/src/device/main.ts' }, outdir: 'dist/webview' }),
  // Model actions run in a worker thread of the language server, started from beside server.js.
  build({ ...node, entryPoints: ['server/src/lsp/actions/actionWorker.ts'], outfile: 'dist/server/actionWorker.js' }),
  build({ ...common, platform: 'browser', target: 'es2022', format: 'esm', entryPoints: { report: 'webview/src/report/main.ts' }, outdir: 'dist/webview' }),
]);
