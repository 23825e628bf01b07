import assert from 'node:assert/strict';
import { budgetHtml, makeNonce } from '../../../client/src/budget/budgetHtml';

describe('budget view HTML shell', () => {
  const html = budgetHtml({ cspSource: 'https://x.vscode-cdn.net', nonce: 'abc123', scriptUri: 'https://x/main.js', styleUri: 'https://x/main.css', title: 'a<b>.tflite' });

  it('has a strict CSP: nothing by default, scripts only with the nonce, no inline styles', () => {
    assert.match(html, /<meta property="csp-nonce" content="abc123">/);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    assert.equal(csp, "default-src 'none'; img-src https://x.vscode-cdn.net data:; style-src https://x.vscode-cdn.net 'nonce-abc123'; font-src https://x.vscode-cdn.net; script-src 'nonce-abc123'");
    assert.ok(!html.includes('unsafe-inline'));
    assert.ok(!/<style/.test(html) && !/ style=/.test(html));
    assert.match(html, /<script type="module" nonce="abc123" src="https:\/\/x\/main.js"><\/script>/);
  });

  it('escapes the title', () => {
    assert.match(html, /<title>a&lt;b>.tflite<\/title>/);
  });

  it('nonces are 128 bits in base64', () => {
    assert.equal(makeNonce((n) => new Uint8Array(n).fill(255)), '/////////////////////w==');
  });
});
