// Progress from a busy computation, thinned out: at most one report every `intervalMs` (the core
// reports every sample, "Calibrating 12/100"), but always the first one and the final one, so the
// worker does not flood the language server and the client with notifications.

export type ProgressSink = (message: string, fraction?: number) => void;

export function progressThrottle(sink: ProgressSink, intervalMs = 100, now: () => number = Date.now): ProgressSink {
  let lastAt = -Infinity;
  return (message, fraction) => {
    const at = now();
    if (at - lastAt < intervalMs && fraction !== 1) return;
    lastAt = at;
    sink(message, fraction);
  };
}
