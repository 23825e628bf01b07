import tseslint from 'typescript-eslint';

// The core receives bytes and text and returns plain data; it must run in the CLI, the
// server, the tests and a worker alike, so it may not reach for the editor, LSP or Node.
const coreBoundary = {
  patterns: [
    { group: ['vscode', 'vscode-*', '@vscode/*'], message: 'The core must not depend on the editor or LSP.' },
    { group: ['node:*'], message: 'The core is handed bytes and text; do file and process work at the edge (cli/, lsp/).' },
  ],
  paths: ['fs', 'path', 'os', 'child_process', 'crypto', 'util', 'worker_threads', 'serialport'].map((name) => ({
    name,
    message: 'The core must not import Node built-ins or device libraries.',
  })),
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tmp/**', 'out/**', 'examples/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration[const=true]', message: 'const enums do not survive isolated transpilation.' }],
    },
  },
  {
    // Plain CommonJS launchers and mocha plumbing load modules with require().
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Custom LSP messages follow the `namespace X { method; type }` convention both sides import.
    files: ['server/src/lsp/protocol.ts'],
    rules: { '@typescript-eslint/no-namespace': 'off' },
  },
  {
    files: ['server/src/{model,analysis,engine,quantize,prune,convert,codegen,actions,core}/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', coreBoundary] },
  },
);
