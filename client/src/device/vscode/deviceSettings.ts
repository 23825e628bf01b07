// The `tinyml.device.*` settings, read in one place and checked as read (a hand-edited
// settings.json may hold anything), cached and cleared when they change.

import * as vscode from 'vscode';
import type { DeviceSettings } from '../../panels/device/deviceHost';

let cached: DeviceSettings | undefined;

const ENDINGS = ['none', 'lf', 'cr', 'crlf'] as const;

export function deviceSettings(): DeviceSettings {
  if (cached) return cached;
  const c = vscode.workspace.getConfiguration('tinyml');
  const str = (key: string, d = ''): string => {
    const v = c.get<unknown>(key);
    return typeof v === 'string' ? v.trim() : d;
  };
  const int = (key: string, d: number, min: number, max: number): number => {
    const v = c.get<unknown>(key);
    return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : d;
  };
  const build = c.get<unknown>('device.buildCommand');
  const ending = str('device.lineEnding', 'lf');
  const board = str('board');
  cached = {
    board: board || String(c.inspect('board')?.defaultValue ?? ''),
    baudRate: int('device.baudRate', 115200, 50, 20_000_000),
    lineEnding: (ENDINGS as readonly string[]).includes(ending) ? (ending as DeviceSettings['lineEnding']) : 'lf',
    buildCommand: Array.isArray(build) && build.every((x) => typeof x === 'string') ? (build as string[]) : [],
    sketchDirectory: str('device.sketchDirectory'),
    artifact: str('device.artifact'),
    flashMethod: str('device.flashMethod'),
    port: str('device.port'),
    logDirectory: str('device.logDirectory'),
    historyLines: int('device.historyLines', 5000, 100, 100_000),
  };
  return cached;
}

export function registerDeviceSettingsCache(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('tinyml')) cached = undefined;
    }),
  );
}
