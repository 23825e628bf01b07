// Which boards the board picker lists first: those whose USB vendor/product id matches a serial
// port that is plugged in. Pure: the board list and the port list are handed in.

import type { Board } from '../../server/src/analysis/boards';
import { formatBytes } from '../../server/src/analysis/units';

/** The fields of serialport's PortInfo this needs (hex strings without 0x, any case, e.g. '2341'). */
export interface PortIds {
  path: string;
  vendorId?: string;
  productId?: string;
}

export interface DetectedBoard {
  board: Board;
  port: string;
}

function normalizeHex(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const n = parseInt(value.replace(/^0x/i, ''), 16);
  return Number.isFinite(n) ? `0x${n.toString(16).padStart(4, '0')}` : undefined;
}

/** Boards matching a port's USB ids, in board-list order, each once (with the first port that matched). */
export function detectBoards(boards: readonly Board[], ports: readonly PortIds[]): DetectedBoard[] {
  const detected: DetectedBoard[] = [];
  for (const board of boards) {
    for (const port of ports) {
      const vid = normalizeHex(port.vendorId);
      const pid = normalizeHex(port.productId);
      if (vid && pid && board.usb.some((u) => u.vid === vid && u.pid === pid)) {
        detected.push({ board, port: port.path });
        break;
      }
    }
  }
  return detected;
}

export interface BoardPick {
  id: string;
  label: string;
  description: string;
  detail: string;
  /** Set for boards seen on a port: listed first. */
  port?: string;
  current: boolean;
}

/**
 * The picker's entries: detected boards first (the section the picker pre-selects), then every
 * other board in list order. `active` is the entry to pre-select: the first detected board, else
 * the current one.
 */
export function boardPicks(boards: readonly Board[], ports: readonly PortIds[], currentId: string | undefined): { detected: BoardPick[]; others: BoardPick[]; active?: string } {
  const detected = detectBoards(boards, ports);
  const seen = new Set(detected.map((d) => d.board.id));
  const pick = (board: Board, port?: string): BoardPick => ({
    id: board.id,
    label: board.name,
    description: `${board.core} @ ${board.clockMhz} MHz · ${formatBytes(board.ramBytes)} RAM · ${formatBytes(board.flashBytes)} flash`,
    detail: port ? `${board.mcu} · detected on ${port}` : board.mcu,
    ...(port ? { port } : {}),
    current: board.id === currentId,
  });
  const detectedPicks = detected.map((d) => pick(d.board, d.port));
  const others = boards.filter((b) => !seen.has(b.id)).map((b) => pick(b));
  const active = detectedPicks[0]?.id ?? (boards.some((b) => b.id === currentId) ? currentId : undefined);
  return { detected: detectedPicks, others, ...(active ? { active } : {}) };
}

/** Where the chosen board is stored: the folder's settings in a multi-root workspace, else the workspace's. */
export function boardSettingTarget(workspaceFolderCount: number, resourceHasFolder: boolean): 'workspaceFolder' | 'workspace' | 'global' {
  if (workspaceFolderCount === 0) return 'global';
  return workspaceFolderCount > 1 && resourceHasFolder ? 'workspaceFolder' : 'workspace';
}

/** The status bar text for a board id: its short name (e.g. `NUCLEO-L4R5ZI`), or the id when unknown. */
export function boardStatusText(board: Board | undefined, id: string): string {
  if (!board) return `$(warning) ${id}`;
  return `$(circuit-board) ${shortName(board)}`;
}

/** A name short enough for the status bar: "STM32 NUCLEO-L4R5ZI" → "NUCLEO-L4R5ZI", "ESP32-DevKitC (ESP32-WROOM-32E)" → "ESP32-DevKitC". */
export function shortName(board: Board): string {
  return board.name.replace(/\s*\(.*\)\s*$/, '').replace(/^STM32 (?=NUCLEO)/, '');
}
