// Series colours from the theme: VS Code's chart colours (--vscode-charts-*), which themes tune
// for contrast, then terminal ANSI colours. Read from the CSS variables, never hard-coded.

const VARIABLES = [
  '--vscode-charts-blue',
  '--vscode-charts-orange',
  '--vscode-charts-green',
  '--vscode-charts-purple',
  '--vscode-charts-red',
  '--vscode-charts-yellow',
  '--vscode-terminal-ansiCyan',
  '--vscode-terminal-ansiMagenta',
  '--vscode-terminal-ansiBrightBlue',
  '--vscode-terminal-ansiBrightGreen',
  '--vscode-terminal-ansiBrightRed',
  '--vscode-terminal-ansiBrightYellow',
];

/** The palette as the theme defines it now; `read` is getComputedStyle(...).getPropertyValue. */
export function themePalette(read: (name: string) => string): string[] {
  const colors = VARIABLES.map((v) => read(v).trim()).filter((c) => c.length > 0);
  return colors.length > 0 ? colors : [read('--vscode-foreground').trim() || 'currentColor'];
}

export function seriesColor(palette: readonly string[], index: number): string {
  return palette[index % palette.length];
}
