// Assertions shared by the tool-based flash method tests.

import assert from 'node:assert/strict';

/** Progress reported during a run: increasing, from the expected set, ending at 1. */
export function assertProgress(fractions: number[], allowed: number[], minSteps: number): void {
  const rounded = fractions.map((f) => Math.round(f * 1000) / 1000);
  assert.equal(rounded.at(-1), 1, `ends at 1: ${rounded.join(', ')}`);
  for (let i = 1; i < rounded.length; i++) assert.ok(rounded[i] >= rounded[i - 1], `never goes back: ${rounded.join(', ')}`);
  for (const f of rounded) assert.ok(allowed.includes(f), `${f} is one of ${allowed.join(', ')}`);
  assert.ok(new Set(rounded).size >= minSteps, `at least ${minSteps} distinct steps: ${rounded.join(', ')}`);
}

/** Feeds lines (and partial texts) to a parser and collects its fractions. */
export function feed(parse: (text: string, partial: boolean) => { fraction: number } | undefined, inputs: [string, boolean?][]): number[] {
  const out: number[] = [];
  for (const [text, partial] of inputs) {
    const p = parse(text, partial ?? false);
    if (p) out.push(Math.round(p.fraction * 1000) / 1000);
  }
  return out;
}
