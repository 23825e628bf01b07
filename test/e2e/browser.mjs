// Debian's Chromium, driven by playwright-core (which ships no browser of its own here), with the
// flags that work headless as root in a container (shared/docs/TESTING-REAL-PARTS.md).
export const CHROMIUM_PATH = process.env.TINYML_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
