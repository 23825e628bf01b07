// Serial ports: listing (with the boards each USB id belongs to), watching for plugged and
// unplugged devices by polling, and opening with line settings and DTR/RTS handling.
// Listing needs udev on Linux and never shows pseudo-terminals, so every caller must also
// accept a path typed by hand.

import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';
import { boardsByUsbId } from '../../../server/src/analysis/boards';

/** What serialport's list() reports for one port. */
export type PortInfo = Awaited<ReturnType<typeof SerialPort.list>>[number];

export interface PortBoard {
  id: string;
  name: string;
}

export interface PortEntry {
  path: string;
  /** Lower-case hex with 0x prefix, as in boards.json. */
  vendorId?: string;
  productId?: string;
  manufacturer?: string;
  serialNumber?: string;
  /** Boards that enumerate with this USB id (several boards share USB-UART bridges). */
  boards: PortBoard[];
}

export interface PortListing {
  ports: PortEntry[];
  /** Why the list is empty or incomplete; the user can still type a path. */
  error?: string;
}

export type ListFn = () => Promise<PortInfo[]>;

const hex16 = (v: string | undefined): string | undefined => {
  if (!v) return undefined;
  const n = parseInt(v.replace(/^0x/i, ''), 16);
  return Number.isFinite(n) ? `0x${n.toString(16).padStart(4, '0')}` : undefined;
};

export function toPortEntry(info: PortInfo): PortEntry {
  const vendorId = hex16(info.vendorId);
  const productId = hex16(info.productId);
  const boards = vendorId && productId ? boardsByUsbId(vendorId, productId).map((b) => ({ id: b.id, name: b.name })) : [];
  const entry: PortEntry = { path: info.path, boards };
  if (vendorId) entry.vendorId = vendorId;
  if (productId) entry.productId = productId;
  if (info.manufacturer) entry.manufacturer = info.manufacturer;
  if (info.serialNumber) entry.serialNumber = info.serialNumber;
  return entry;
}

/** Lists serial ports; never throws (a failure comes back as `error` with no ports). */
export async function listPorts(list: ListFn = () => SerialPort.list()): Promise<PortListing> {
  try {
    const infos = await list();
    return { ports: infos.map(toPortEntry).sort((a, b) => a.path.localeCompare(b.path)) };
  } catch (err) {
    return { ports: [], error: explainListError(err) };
  }
}

export function explainListError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/udevadm/.test(message) && /ENOENT/.test(message)) {
    return 'Serial ports cannot be listed here: udev is not available (udevadm not found, as in containers). Type the port path by hand, e.g. /dev/ttyACM0 or /dev/ttyUSB0.';
  }
  return `Serial ports could not be listed (${message}). Type the port path by hand.`;
}

export interface PortWatcherEvents {
  added: [PortEntry];
  removed: [PortEntry];
  /** The listing failed (or recovered: then `undefined`); reported when it changes. */
  error: [string | undefined];
}

/** Polls the port list; emits `added` for the ports present at start too. Call `stop()`. */
export class PortWatcher extends EventEmitter<PortWatcherEvents> {
  private known = new Map<string, PortEntry>();
  private timer: NodeJS.Timeout | undefined;
  private lastError: string | undefined;
  private polling = false;

  constructor(
    private readonly intervalMs: number,
    private readonly list?: ListFn,
  ) {
    super();
  }

  start(): this {
    if (!this.timer) {
      void this.poll();
      this.timer = setInterval(() => void this.poll(), this.intervalMs);
    }
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  current(): PortEntry[] {
    return [...this.known.values()];
  }

  /** One poll; exposed so tests and a "refresh" button need not wait for the timer. */
  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const { ports, error } = await listPorts(this.list);
      if (error !== this.lastError) {
        this.lastError = error;
        this.emit('error', error);
      }
      // A failed listing says nothing about which ports are gone: keep the known ones.
      if (error !== undefined) return;
      const seen = new Map(ports.map((p) => [p.path, p]));
      for (const [path, entry] of this.known) {
        if (!seen.has(path)) {
          this.known.delete(path);
          this.emit('removed', entry);
        }
      }
      for (const [path, entry] of seen) {
        if (!this.known.has(path)) {
          this.known.set(path, entry);
          this.emit('added', entry);
        }
      }
    } finally {
      this.polling = false;
    }
  }
}

export function watchPorts(intervalMs: number, list?: ListFn): PortWatcher {
  return new PortWatcher(intervalMs, list).start();
}

export type Parity = 'none' | 'even' | 'odd' | 'mark' | 'space';

export interface PortSettings {
  path: string;
  baudRate: number;
  dataBits?: 5 | 6 | 7 | 8;
  parity?: Parity;
  stopBits?: 1 | 1.5 | 2;
  /** Hardware flow control. */
  rtscts?: boolean;
  /** Software flow control. */
  xon?: boolean;
  xoff?: boolean;
  /** Levels to hold after opening (both default to asserted, the OS default). */
  dtr?: boolean;
  rts?: boolean;
  /**
   * Reset the board on open: 'dtr' pulses DTR (Arduino AVR/SAMD auto-reset), 'rts' pulses RTS
   * with DTR released (ESP32 EN through the DevKit's auto-reset transistors).
   */
  resetOnOpen?: 'none' | 'dtr' | 'rts';
}

export interface OpenedPort {
  port: SerialPort;
  /** Things that did not work but do not stop the session (no modem lines on a pty). */
  warnings: string[];
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Opens a port with the settings, applies DTR/RTS and the reset pulse. */
export async function openPort(s: PortSettings): Promise<OpenedPort> {
  const port = new SerialPort({
    path: s.path,
    baudRate: s.baudRate,
    dataBits: s.dataBits ?? 8,
    parity: s.parity ?? 'none',
    stopBits: s.stopBits ?? 1,
    rtscts: s.rtscts ?? false,
    xon: s.xon ?? false,
    xoff: s.xoff ?? false,
    autoOpen: false,
    // Bigger reads at 921600 baud: fewer chunks, fewer events.
    highWaterMark: 256 * 1024,
  });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  const warnings: string[] = [];
  const dtr = s.dtr ?? true;
  const rts = s.rts ?? true;
  // serialport sets every flag on each call (unspecified ones to their defaults), so always
  // pass both lines.
  const set = async (flags: { dtr: boolean; rts: boolean }) => {
    try {
      await new Promise<void>((resolve, reject) => port.set(flags, (err) => (err ? reject(err) : resolve())));
      return true;
    } catch (err) {
      warnings.push(`DTR/RTS could not be set on ${s.path} (${err instanceof Error ? err.message : String(err)}); pseudo-terminals and some adapters have no modem lines.`);
      return false;
    }
  };
  if (s.resetOnOpen === 'dtr') {
    if (await set({ dtr: false, rts })) {
      await delay(50);
      await set({ dtr: true, rts });
    }
  } else if (s.resetOnOpen === 'rts') {
    if (await set({ dtr: false, rts: true })) {
      await delay(100);
      await set({ dtr: false, rts: false });
    }
  } else if (s.dtr !== undefined || s.rts !== undefined) {
    await set({ dtr, rts });
  }
  return { port, warnings };
}

/** Pulses DTR low then high on an open port (manual reset button). */
export async function pulseDtr(port: SerialPort, ms = 50): Promise<void> {
  const set = (dtr: boolean) => new Promise<void>((resolve, reject) => port.set({ dtr, rts: true }, (err) => (err ? reject(err) : resolve())));
  await set(false);
  await delay(ms);
  await set(true);
}
