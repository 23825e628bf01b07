import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../helpers/shared';

// Every snippet, with each of its choices, must compile: expanded as VS Code expands it and
// compiled by the host g++ against stubs that declare TFLM's API as TFLM declares it.

interface Snippet {
  prefix: string | string[];
  description: string;
  body: string[];
}

const snippets = JSON.parse(readFileSync(join(repoRoot, 'snippets', 'tflm.code-snippets'), 'utf8')) as Record<string, Snippet>;
const stubs = join(repoRoot, 'test', 'fixtures', 'tflm-stubs');

/** Expands tab stops to their defaults and every choice to its `pick`-th option (or its last). */
export function expandSnippet(body: string, pick: number): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\' && i + 1 < body.length && '$}\\'.includes(body[i + 1])) {
      out += body[++i];
    } else if (c === '$' && body[i + 1] === '{') {
      const m = /^\$\{(\d+)(?::([^}]*)|\|((?:[^|\\]|\\.)*)\|)?\}/.exec(body.slice(i));
      if (!m) throw new Error(`unparsed placeholder at ${body.slice(i, i + 20)}`);
      if (m[2] !== undefined) out += m[2];
      else if (m[3] !== undefined) {
        const options = m[3].split(/(?<!\\),/).map((o) => o.replace(/\\([,|\\])/g, '$1'));
        out += options[Math.min(pick, options.length - 1)];
      }
      i += m[0].length - 1;
    } else if (c === '$' && /\d/.test(body[i + 1] ?? '')) {
      i++;
    } else {
      out += c;
    }
  }
  return out;
}

function choiceCount(body: string): number {
  let most = 1;
  for (const m of body.matchAll(/\$\{\d+\|((?:[^|\\]|\\.)*)\|\}/g)) most = Math.max(most, m[1].split(/(?<!\\),/).length);
  return most;
}

function compile(source: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'tinyml-snippet-'));
  const file = join(dir, 'snippet.cc');
  writeFileSync(file, source);
  try {
    execFileSync('g++', ['-std=c++17', '-fsyntax-only', '-Wall', '-Werror', '-Wno-unused-function', '-Wno-unused-variable', '-I', stubs, file], { stdio: 'pipe' });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    assert.fail(`g++ rejected the snippet:\n${stderr}\n--- source ---\n${source}`);
  }
}

const setup = snippets['TFLM interpreter set-up'];

// Snippets meant to follow others in a file get what those declare.
const preludes: Record<string, (pick: number) => string> = {
  'TFLM inference': (pick) => expandSnippet(setup.body.join('\n'), pick),
  'TFLM print for the plotter': () => '#include <cstdio>\n#include <Arduino.h>\n#include "tensorflow/lite/micro/micro_log.h"\n',
};

describe('snippets compile with g++ against TFLM API stubs', () => {
  it('the expander follows VS Code snippet syntax (hand-checked)', () => {
    assert.equal(expandSnippet('a ${1:b} ${2|x\\, y,z|} $0 \\$1', 0), 'a b x, y  $1');
    assert.equal(expandSnippet('${2|x\\, y,z|}', 1), 'z');
  });

  for (const [name, snippet] of Object.entries(snippets)) {
    const body = snippet.body.join('\n');
    for (let pick = 0; pick < choiceCount(body); pick++) {
      it(`${name} (choice ${pick + 1} of ${choiceCount(body)})`, function () {
        this.timeout(30000);
        compile(`${preludes[name]?.(pick) ?? ''}\n${expandSnippet(body, pick)}\n`);
      });
    }
  }

  it('a snippet calling an op TFLM does not have is caught (the stubs are strict)', () => {
    assert.throws(() => compile(`${expandSnippet(setup.body.join('\n'), 0).replace('AddConv2D', 'AddConvolution')}\n`), /g\+\+ rejected/);
  });
});
