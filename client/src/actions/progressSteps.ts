// LSP work-done progress (begin, report, end, with percentages from 0 to 100) as VS Code's
// window.withProgress wants it: a message and an increment since the last report. Percentages
// never go backwards on screen. Pure.

export interface WorkDoneValue {
  kind: 'begin' | 'report' | 'end';
  message?: string;
  percentage?: number;
}

export interface ProgressStep {
  message?: string;
  increment?: number;
}

export class ProgressSteps {
  private shown = 0;

  next(value: WorkDoneValue): ProgressStep | undefined {
    if (value.kind === 'end') return undefined;
    const step: ProgressStep = {};
    if (value.message !== undefined) step.message = value.message;
    if (value.percentage !== undefined && Number.isFinite(value.percentage)) {
      const percent = Math.min(100, Math.max(0, value.percentage));
      if (percent > this.shown) {
        step.increment = percent - this.shown;
        this.shown = percent;
      }
    }
    return step.message !== undefined || step.increment !== undefined ? step : undefined;
  }
}
