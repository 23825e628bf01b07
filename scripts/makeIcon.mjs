// Renders the Marketplace icon, media/icon.png (128x128), from the SVG below with headless
// Chromium: a microcontroller with a small neural network on its die, seen through a lens.
// Run by hand when the design changes: `node scripts/makeIcon.mjs`; the PNG is committed.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/e2e/browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const pins = [];
for (let i = 0; i < 5; i++) {
  const p = 34 + i * 12;
  pins.push(`<rect x="${p}" y="10" width="5" height="12" rx="1.5"/>`, `<rect x="${p}" y="98" width="5" height="12" rx="1.5"/>`);
  pins.push(`<rect x="10" y="${p}" width="12" height="5" rx="1.5"/>`, `<rect x="98" y="${p}" width="12" height="5" rx="1.5"/>`);
}
const layers = [[44, 52, 60, 68, 76], [48, 60, 72], [56, 64]];
const xs = [40, 60, 80];
const nodes = layers.flatMap((ys, l) => ys.map((y) => [xs[l], y]));
const edges = [];
for (let l = 0; l + 1 < layers.length; l++) {
  for (const a of layers[l]) for (const b of layers[l + 1]) edges.push(`<line x1="${xs[l]}" y1="${a}" x2="${xs[l + 1]}" y2="${b}"/>`);
}

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <defs>
    <linearGradient id="die" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#1f6f5c"/><stop offset="1" stop-color="#0d3b4f"/>
    </linearGradient>
    <linearGradient id="glass" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#ffffff" stop-opacity="0.35"/><stop offset="1" stop-color="#ffffff" stop-opacity="0.05"/>
    </linearGradient>
  </defs>
  <g fill="#9aa5ad">${pins.join('')}</g>
  <rect x="20" y="20" width="80" height="80" rx="9" fill="url(#die)" stroke="#0a2a38" stroke-width="2"/>
  <circle cx="29" cy="29" r="3" fill="#5fd3b3" opacity="0.7"/>
  <g stroke="#7fe0c4" stroke-width="1.4" opacity="0.75">${edges.join('')}</g>
  <g fill="#ffd166" stroke="#0a2a38" stroke-width="1">${nodes.map(([x, y]) => `<circle cx="${x}" cy="${y}" r="3.6"/>`).join('')}</g>
  <circle cx="84" cy="82" r="22" fill="url(#glass)" stroke="#f4f7f9" stroke-width="6"/>
  <line x1="100" y1="98" x2="118" y2="116" stroke="#f4f7f9" stroke-width="10" stroke-linecap="round"/>
  <line x1="100" y1="98" x2="118" y2="116" stroke="#c9d3da" stroke-width="4" stroke-linecap="round"/>
</svg>`;

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  const png = await page.locator('svg').screenshot({ omitBackground: true });
  const out = join(root, 'media', 'icon.png');
  writeFileSync(out, png);
  console.log(`${out}: ${png.length} bytes`);
} finally {
  await browser.close();
}
