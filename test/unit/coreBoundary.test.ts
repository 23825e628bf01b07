import assert from 'node:assert/strict';
import { ESLint } from 'eslint';
import { repoRoot } from '../helpers/shared';

// The core must stay free of editor, LSP and Node imports so the CLI, the server, the tests and
// workers share it; the lint rule is the guard, so prove it fires.
describe('core import boundary (eslint no-restricted-imports)', () => {
  const eslint = new ESLint({ cwd: repoRoot });
  const lint = async (file: string, code: string) => (await eslint.lintText(code, { filePath: `${repoRoot}/${file}` }))[0].messages.map((m) => m.ruleId);

  for (const source of ["import * as vscode from 'vscode';", "import { createConnection } from 'vscode-languageserver/node';", "import { readFileSync } from 'node:fs';", "import * as fs from 'fs';"]) {
    it(`rejects \`${source}\` in the core`, async () => {
      assert.ok((await lint('server/src/model/probe.ts', `${source}\nexport const x = 1;\n`)).includes('no-restricted-imports'));
      assert.ok((await lint('server/src/analysis/probe.ts', `${source}\nexport const x = 1;\n`)).includes('no-restricted-imports'));
      assert.ok((await lint('server/src/actions/probe.ts', `${source}\nexport const x = 1;\n`)).includes('no-restricted-imports'));
    });
  }

  it('allows the same import at the edge (cli/)', async () => {
    assert.deepEqual(await lint('server/src/cli/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"), []);
  });
});
