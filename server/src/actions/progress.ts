// Progress and cancellation of a model action. The action is split into weighted phases; the
// fraction reported is the share of the whole action done (0..1, never decreasing), so that an
// editor progress bar moves evenly. Cancellation is polled between samples and between phases.

import { ActionCancelled } from './errors';

export interface ActionHooks {
  /** `message` like "Calibrating 12/100"; `fraction` the share of the whole action done, 0..1. */
  progress?(message: string, fraction?: number): void;
  /** Polled between samples and phases; true stops the action with ActionCancelled. */
  cancelled?(): boolean;
}

export interface Phase {
  label: string;
  /** Relative share of the action's time. */
  weight: number;
}

export class PhaseProgress {
  private readonly total: number;
  private done = 0;
  private current: { start: number; weight: number; label: string } | undefined;

  constructor(private readonly hooks: ActionHooks | undefined, phases: readonly Phase[]) {
    this.total = phases.reduce((a, p) => a + p.weight, 0) || 1;
  }

  /** Starts a phase (ending the one before); checks for cancellation first. */
  begin(phase: Phase): void {
    this.checkCancelled();
    if (this.current) this.done = this.current.start + this.current.weight;
    this.current = { start: this.done, weight: phase.weight, label: phase.label };
    this.hooks?.progress?.(phase.label, this.done / this.total);
  }

  /** `done` of `total` steps of the current phase are finished; checks for cancellation. */
  step(done: number, total: number): void {
    const c = this.current;
    if (c) this.hooks?.progress?.(`${c.label} ${done}/${total}`, (c.start + (total > 0 ? (c.weight * done) / total : 0)) / this.total);
    this.checkCancelled();
  }

  /** The whole action is done. */
  finish(): void {
    this.hooks?.progress?.('Done', 1);
  }

  checkCancelled(): void {
    if (this.hooks?.cancelled?.()) throw new ActionCancelled();
  }
}
