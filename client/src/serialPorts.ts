// The USB ids of the serial ports plugged in, for board detection in the board picker. Listing is
// the device backend's (client/src/device/ports.ts), loaded lazily so that activation never
// loads serialport's native binding. Where udev is absent, or only pseudo-terminals exist,
// nothing is detected and nothing is pre-selected.

import type { PortIds } from './boardChoice';

export async function listSerialPorts(log: (line: string) => void, timeoutMs = 3000): Promise<PortIds[]> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const { listPorts } = await import('./device/ports');
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs)));
    const listing = await Promise.race([listPorts(), timeout]);
    if (listing.error) log(`[boards] no board detected: ${listing.error}`);
    return listing.ports.map((p) => ({ path: p.path, ...(p.vendorId ? { vendorId: p.vendorId } : {}), ...(p.productId ? { productId: p.productId } : {}) }));
  } catch (error) {
    log(`[boards] serial ports not listed, no board detected: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  } finally {
    clearTimeout(timer);
  }
}
