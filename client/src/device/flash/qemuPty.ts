// When QEMU's UART pty is safe to write to. QEMU's pty backend (chardev/char-pty.c) notices that
// a program opened the pty only on its reconnect poll, once a second. Until that poll, guest output
// that does not fit the pty's buffer is discarded instead of holding the CPU back (no
// backpressure): a monitor that stalls for a moment in its first second (a busy extension host)
// gets lines with bytes cut out of them, e.g. `x:3.6` + `x:0.1257,...`. QEMU reports the poll
// nowhere (not in `info chardev`, not over QMP), so the only signal is the clock: one poll period
// after the pty was opened, the poll has seen it and the backend applies backpressure from then on.

/** QEMU's reconnect poll period for a pty nobody had open (char-pty.c: pty_chr_rearm_timer(chr, 1000)). */
export const QEMU_PTY_POLL_MS = 1000;
/** For the two clocks (ours and QEMU's main loop) not agreeing to the millisecond. */
const MARGIN_MS = 100;

/**
 * Resolves once QEMU's pty poll has run after `openedAt` (a `performance.now()` taken when the
 * monitor had the pty open), or at once when `signal` aborts.
 */
export async function qemuPtyPolled(openedAt: number, signal?: AbortSignal): Promise<void> {
  const due = openedAt + QEMU_PTY_POLL_MS + MARGIN_MS;
  // A timer can fire early by however stale the event loop's cached clock was: check the real one.
  while (!signal?.aborted && performance.now() < due) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, due - performance.now());
      signal?.addEventListener('abort', done, { once: true });
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
    });
  }
}
