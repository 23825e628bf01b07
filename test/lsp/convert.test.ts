import assert from 'node:assert/strict';
import type { Finding } from '../../server/src/analysis/findings';
import { toCodeActions, toCodeLens, toDiagnostic, toHover } from '../../server/src/lsp/convert';

const range = (line: number, from: number, to: number) => ({ start: { line, character: from }, end: { line, character: to } });

const arena: Finding = {
  uri: 'file:///p/main.cc',
  range: range(5, 30, 35),
  severity: 'error',
  code: 'arena-too-small',
  message: 'kTensorArenaSize is 10240 bytes; the model needs 22824.',
  related: [{ uri: 'file:///p/model_data.h', range: range(1, 31, 38), message: 'the model' }],
  fixes: [
    { title: 'Set kTensorArenaSize to 25108', isPreferred: true, edits: [{ uri: 'file:///p/main.cc', range: range(5, 30, 35), newText: '25108' }] },
    { title: 'Set kTensorArenaSize to 22824', edits: [{ uri: 'file:///p/main.cc', range: range(5, 30, 35), newText: '22824' }] },
  ],
};

describe('lsp/convert', () => {
  it('Finding → Diagnostic: code, source, severity, range and related information', () => {
    assert.deepEqual(toDiagnostic(arena, (u) => u.replace('/p/', '/P/')), {
      range: range(5, 30, 35),
      severity: 1,
      code: 'arena-too-small',
      source: 'tinyml',
      message: 'kTensorArenaSize is 10240 bytes; the model needs 22824.',
      relatedInformation: [{ location: { uri: 'file:///P/model_data.h', range: range(1, 31, 38) }, message: 'the model' }],
    });
    const severities = (['error', 'warning', 'info', 'hint'] as const).map((severity) => toDiagnostic({ ...arena, severity, related: undefined }).severity);
    assert.deepEqual(severities, [1, 2, 3, 4]);
    assert.equal('relatedInformation' in toDiagnostic({ ...arena, related: [] }), false);
  });

  it('Fix → quickfix CodeAction with its diagnostic and a WorkspaceEdit, only where the cursor touches the finding', () => {
    const actions = toCodeActions([arena], range(5, 35, 35));
    assert.equal(actions.length, 2);
    assert.deepEqual(actions[0], {
      title: 'Set kTensorArenaSize to 25108',
      kind: 'quickfix',
      diagnostics: [toDiagnostic(arena)],
      isPreferred: true,
      edit: { changes: { 'file:///p/main.cc': [{ range: range(5, 30, 35), newText: '25108' }] } },
    });
    assert.equal(actions[1].isPreferred, false);
    assert.deepEqual(toCodeActions([arena], range(5, 36, 40)), []);
    assert.deepEqual(toCodeActions([arena], range(4, 0, 99)), []);
  });

  it('Lens → CodeLens (a plain title when there is no command) and HoverInfo → markdown Hover', () => {
    assert.deepEqual(toCodeLens({ uri: 'u', range: range(1, 0, 5), title: 'arena 22824 B' }), {
      range: range(1, 0, 5),
      command: { title: 'arena 22824 B', command: '', arguments: undefined },
    });
    assert.deepEqual(toCodeLens({ uri: 'u', range: range(1, 0, 5), title: 'budget', command: { name: 'tinyml.showBudget', args: ['u'] } }).command, {
      title: 'budget',
      command: 'tinyml.showBudget',
      arguments: ['u'],
    });
    assert.equal(toHover([]), null);
    assert.deepEqual(toHover([{ uri: 'u', range: range(2, 1, 4), markdown: '**a**' }, { uri: 'u', range: range(2, 0, 9), markdown: 'b' }]), {
      contents: { kind: 'markdown', value: '**a**\n\n---\n\nb' },
      range: range(2, 1, 4),
    });
  });
});
