// When the language server crashes: restart it up to `maxRestarts` times within `windowMs`, then
// stop and let the user read the output. Pure (the clock is injected) so the decisions are tested.

export interface RestartPolicyOptions {
  maxRestarts?: number;
  windowMs?: number;
  now?: () => number;
}

export type RestartDecision = { action: 'restart'; attempt: number } | { action: 'stop'; crashes: number };

export class RestartPolicy {
  readonly maxRestarts: number;
  readonly windowMs: number;
  private readonly now: () => number;
  private restarts: number[] = [];

  constructor(options: RestartPolicyOptions = {}) {
    this.maxRestarts = options.maxRestarts ?? 4;
    this.windowMs = options.windowMs ?? 3 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The server's connection closed unexpectedly: restart or give up? */
  onClosed(): RestartDecision {
    const t = this.now();
    this.restarts = this.restarts.filter((at) => t - at < this.windowMs);
    if (this.restarts.length >= this.maxRestarts) return { action: 'stop', crashes: this.restarts.length + 1 };
    this.restarts.push(t);
    return { action: 'restart', attempt: this.restarts.length };
  }

  /** A deliberate restart (the user's command) starts the count afresh. */
  reset(): void {
    this.restarts = [];
  }
}
