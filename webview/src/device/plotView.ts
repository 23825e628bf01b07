// A live time-series plot on a canvas: devicePixelRatio-aware, drawn at most 60 times a second in
// requestAnimationFrame, min/max decimation per pixel column, auto-scaled y with nice ticks, a
// legend whose buttons toggle series, pause, zoom (wheel, drag, keys) and reset, a hover
// crosshair with each series' value, a window length, and CSV export of the buffered data.

import { el } from './dom';
import { formatTick, niceTicks } from './niceTicks';
import { seriesColor, themePalette } from './palette';
import type { PlotData, Series } from './plotData';

export interface PlotViewOptions {
  /** For ids and labels: `plot`, `scores`. */
  id: string;
  title: string;
  /** Window lengths offered, in samples (0 = everything buffered). */
  windows: number[];
  window: number;
  onHiddenChange?: (hidden: string[]) => void;
  onWindowChange?: (window: number) => void;
  onExport?: (csv: string) => void;
  /** Fixed y range instead of auto-scale (class scores: 0..1). */
  yRange?: [number, number];
}

const MIN_FRAME_MS = 1000 / 60 - 1;
const MARGIN = { left: 56, right: 12, top: 10, bottom: 24 };

export class PlotView {
  readonly root: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly legend: HTMLElement;
  private readonly readout: HTMLElement;
  private readonly pauseButton: HTMLButtonElement;
  private frame = 0;
  private lastDraw = 0;
  private paused = false;
  /** The newest sample shown while paused. */
  private frozenAt = 0;
  private zoom: [number, number] | undefined;
  private hoverX: number | undefined;
  private drag: { from: number; to: number } | undefined;
  private palette: string[] = [];
  private windowLength: number;
  /** The x range drawn last, for mapping the mouse back to samples. */
  private view: [number, number] = [0, 1];
  private legendKey = '';

  constructor(
    private readonly data: PlotData,
    private readonly options: PlotViewOptions,
  ) {
    this.windowLength = options.window;
    this.canvas = el('canvas', { class: 'plot-canvas', tabindex: '0', role: 'img', 'aria-label': `${options.title}: use + and - to zoom, arrows to pan, 0 to reset, space to pause` });
    this.legend = el('div', { class: 'legend', role: 'group', 'aria-label': `${options.title} series` });
    this.readout = el('div', { class: 'readout', 'aria-live': 'off' });
    this.pauseButton = el('button', { type: 'button', class: 'pause', title: 'Pause the plot (Space on the plot)' }, 'Pause');
    this.pauseButton.addEventListener('click', () => this.setPaused(!this.paused));
    const reset = el('button', { type: 'button', class: 'reset-zoom', title: 'Follow the newest samples (0 or double-click on the plot)' }, 'Reset zoom');
    reset.addEventListener('click', () => this.resetZoom());
    const windowSelect = el('select', { class: 'window', title: 'Window length in samples', 'aria-label': 'Window length' });
    for (const w of options.windows) windowSelect.append(el('option', { value: String(w) }, w === 0 ? 'all buffered' : `${w} samples`));
    windowSelect.value = String(this.windowLength);
    windowSelect.addEventListener('change', () => {
      this.windowLength = Number(windowSelect.value);
      this.zoom = undefined;
      options.onWindowChange?.(this.windowLength);
      this.requestDraw();
    });
    const toolbar = el('div', { class: 'toolbar plot-toolbar' }, el('span', { class: 'pane-title' }, options.title), this.pauseButton, reset, windowSelect);
    if (options.onExport) {
      const exportButton = el('button', { type: 'button', class: 'export-csv', title: 'Save the buffered samples as CSV' }, 'Export CSV');
      exportButton.addEventListener('click', () => options.onExport?.(this.data.toCsv()));
      toolbar.append(exportButton);
    }
    const wrap = el('div', { class: 'plot-wrap' }, this.canvas, this.readout);
    this.root = el('section', { class: `plot plot-${options.id}`, 'aria-label': options.title }, toolbar, wrap, this.legend);
    this.wireMouse();
    this.wireKeys();
    new ResizeObserver(() => this.requestDraw()).observe(wrap);
    // VS Code swaps the body's theme class on a theme change: re-read the palette then.
    new MutationObserver(() => {
      this.palette = [];
      this.requestDraw();
    }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  }

  get isPaused(): boolean {
    return this.paused;
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    this.frozenAt = this.data.latest;
    this.pauseButton.textContent = paused ? 'Resume' : 'Pause';
    this.pauseButton.setAttribute('aria-pressed', String(paused));
    this.requestDraw();
  }

  resetZoom(): void {
    this.zoom = undefined;
    this.requestDraw();
  }

  /** Schedules one draw in the next animation frame, no more often than 60 times a second. */
  requestDraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame((now) => {
      this.frame = 0;
      if (now - this.lastDraw < MIN_FRAME_MS) {
        this.requestDraw();
        return;
      }
      this.lastDraw = now;
      this.draw();
    });
  }

  /** The x range to draw: the zoom, else the window ending at the newest (or frozen) sample. */
  xRange(): [number, number] {
    if (this.zoom) return this.zoom;
    const end = Math.max(this.paused ? this.frozenAt : this.data.latest, 0);
    const start = this.windowLength > 0 ? end - this.windowLength + 1 : this.data.earliest;
    return [Math.max(start, this.data.earliest), Math.max(end, start + 1)];
  }

  private draw(): void {
    const dpr = window.devicePixelRatio || 1;
    const w = this.canvas.clientWidth;
    const h = this.canvas.clientHeight;
    if (w === 0 || h === 0) return;
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(h * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(h * dpr);
    }
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const style = getComputedStyle(document.body);
    if (this.palette.length === 0) this.palette = themePalette((n) => style.getPropertyValue(n));
    const fg = style.getPropertyValue('--vscode-foreground').trim() || 'currentColor';
    const grid = style.getPropertyValue('--vscode-editorWidget-border').trim() || style.getPropertyValue('--vscode-panel-border').trim() || fg;
    const font = `11px ${style.getPropertyValue('--vscode-editor-font-family').trim() || 'monospace'}`;

    const [x0, x1] = this.xRange();
    this.view = [x0, x1];
    const extent = this.options.yRange ?? this.data.yExtent(x0, x1) ?? [0, 1];
    const ticks = niceTicks(extent[0], extent[1], Math.max(3, Math.floor((h - MARGIN.top - MARGIN.bottom) / 40)));
    const plotW = w - MARGIN.left - MARGIN.right;
    const plotH = h - MARGIN.top - MARGIN.bottom;
    const px = (x: number) => MARGIN.left + ((x - x0) / (x1 - x0 || 1)) * plotW;
    const py = (y: number) => MARGIN.top + (1 - (y - ticks.min) / (ticks.max - ticks.min || 1)) * plotH;

    ctx.font = font;
    ctx.lineWidth = 1;
    ctx.strokeStyle = grid;
    ctx.fillStyle = fg;
    ctx.globalAlpha = 0.35;
    ctx.beginPath();
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const v of ticks.values) {
      const y = Math.round(py(v)) + 0.5;
      ctx.moveTo(MARGIN.left, y);
      ctx.lineTo(w - MARGIN.right, y);
    }
    ctx.stroke();
    ctx.globalAlpha = 1;
    for (const v of ticks.values) ctx.fillText(formatTick(v, ticks.step), MARGIN.left - 6, py(v));
    const xTicks = niceTicks(x0, x1, Math.max(2, Math.floor(plotW / 90)));
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const v of xTicks.values) if (v >= x0 && v <= x1) ctx.fillText(formatTick(v, xTicks.step), px(v), h - MARGIN.bottom + 6);

    ctx.save();
    ctx.beginPath();
    ctx.rect(MARGIN.left, MARGIN.top, plotW, plotH);
    ctx.clip();
    ctx.lineWidth = 1.5;
    let drawn = 0;
    for (const s of this.data.visibleSeries()) drawn += this.drawSeries(ctx, s, x0, x1, px, py, plotW);
    if (this.drag) {
      ctx.fillStyle = style.getPropertyValue('--vscode-editor-selectionBackground').trim() || fg;
      ctx.globalAlpha = 0.3;
      const a = px(Math.min(this.drag.from, this.drag.to));
      const b = px(Math.max(this.drag.from, this.drag.to));
      ctx.fillRect(a, MARGIN.top, b - a, plotH);
      ctx.globalAlpha = 1;
    }
    if (this.hoverX !== undefined) {
      ctx.strokeStyle = fg;
      ctx.globalAlpha = 0.6;
      ctx.setLineDash([3, 3]);
      ctx.beginPath();
      const x = Math.round(px(this.hoverX)) + 0.5;
      ctx.moveTo(x, MARGIN.top);
      ctx.lineTo(x, MARGIN.top + plotH);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.globalAlpha = 1;
    }
    ctx.restore();
    this.canvas.dataset.points = String(drawn);
    this.canvas.dataset.xRange = `${x0},${x1}`;
    this.canvas.dataset.yRange = `${ticks.min},${ticks.max}`;
    this.updateLegend();
    this.updateReadout();
  }

  /** Lines through the samples; beyond two a pixel column, one min-max bar per column. Returns samples drawn. */
  private drawSeries(ctx: CanvasRenderingContext2D, s: Series, x0: number, x1: number, px: (x: number) => number, py: (y: number) => number, plotW: number): number {
    const b = s.buffer;
    const from = Math.max(0, b.lowerBound(x0) - 1);
    const to = Math.min(b.length, b.lowerBound(x1) + 1);
    if (to - from <= 0) return 0;
    ctx.strokeStyle = seriesColor(this.palette, s.color);
    ctx.beginPath();
    if (to - from <= plotW * 2) {
      let pen = false;
      for (let i = from; i < to; i++) {
        const y = b.y(i);
        if (!Number.isFinite(y)) {
          pen = false;
          continue;
        }
        const X = px(b.x(i));
        const Y = py(y);
        if (pen) ctx.lineTo(X, Y);
        else ctx.moveTo(X, Y);
        pen = true;
      }
    } else {
      let column = -1;
      let lo = 0;
      let hi = 0;
      const flush = () => {
        if (column < 0) return;
        ctx.lineTo(column + 0.5, py(lo));
        ctx.lineTo(column + 0.5, py(hi));
      };
      for (let i = from; i < to; i++) {
        const y = b.y(i);
        if (!Number.isFinite(y)) continue;
        const c = Math.floor(px(b.x(i)));
        if (c !== column) {
          flush();
          if (column < 0) ctx.moveTo(c + 0.5, py(y));
          column = c;
          lo = hi = y;
        } else {
          if (y < lo) lo = y;
          if (y > hi) hi = y;
        }
      }
      flush();
    }
    ctx.stroke();
    return to - from;
  }

  private updateLegend(): void {
    const series = [...this.data.series.values()];
    // Rebuilt only when series come or go, so a focused legend button keeps its focus.
    const key = series.map((s) => s.name).join('|');
    if (key !== this.legendKey) {
      this.legendKey = key;
      this.legend.replaceChildren(
        ...series.map((s) => {
          const button = el('button', { type: 'button', class: 'series', 'data-series': s.name, 'aria-pressed': String(s.visible), title: `Show or hide ${s.name}` });
          const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
          swatch.style.background = seriesColor(this.palette, s.color);
          button.append(swatch, el('span', { class: 'name' }, s.name), el('span', { class: 'value' }));
          button.addEventListener('click', () => {
            const current = this.data.series.get(s.name);
            if (!current) return;
            this.data.setVisible(s.name, !current.visible);
            button.setAttribute('aria-pressed', String(current.visible));
            this.options.onHiddenChange?.(this.data.hiddenNames());
            this.requestDraw();
          });
          return button;
        }),
      );
    }
    // The newest value beside each name.
    for (const button of this.legend.querySelectorAll<HTMLElement>('button.series')) {
      const s = this.data.series.get(button.dataset.series ?? '');
      if (!s) continue;
      button.setAttribute('aria-pressed', String(s.visible));
      if (s.buffer.length === 0) continue;
      const v = s.buffer.y(s.buffer.length - 1);
      button.querySelector('.value')!.textContent = formatValue(v);
      button.dataset.count = String(s.buffer.length);
    }
  }

  private updateReadout(): void {
    if (this.hoverX === undefined) {
      this.readout.hidden = true;
      return;
    }
    const x = Math.round(this.hoverX);
    const parts: string[] = [];
    for (const s of this.data.visibleSeries()) {
      const i = s.buffer.lowerBound(x);
      if (i < s.buffer.length && s.buffer.x(i) === x) parts.push(`${s.name} ${formatValue(s.buffer.y(i))}`);
    }
    const t = this.data.timeOf(x);
    this.readout.hidden = false;
    this.readout.textContent = `#${x}${t !== undefined ? ` ${new Date(t).toISOString().slice(11, 23)}` : ''}  ${parts.join('  ')}`;
  }

  private sampleAt(clientX: number): number {
    const r = this.canvas.getBoundingClientRect();
    const f = (clientX - r.left - MARGIN.left) / Math.max(1, r.width - MARGIN.left - MARGIN.right);
    return this.view[0] + Math.min(1, Math.max(0, f)) * (this.view[1] - this.view[0]);
  }

  private zoomBy(factor: number, center: number): void {
    const [a, b] = this.xRange();
    const width = Math.max(4, (b - a) * factor);
    const f = (center - a) / (b - a || 1);
    this.zoom = [center - f * width, center + (1 - f) * width];
    this.requestDraw();
  }

  private wireMouse(): void {
    this.canvas.addEventListener('wheel', (e) => {
      e.preventDefault();
      this.zoomBy(e.deltaY > 0 ? 1.25 : 0.8, this.sampleAt(e.clientX));
    }, { passive: false });
    this.canvas.addEventListener('mousedown', (e) => {
      const x = this.sampleAt(e.clientX);
      this.drag = { from: x, to: x };
    });
    this.canvas.addEventListener('mousemove', (e) => {
      this.hoverX = this.sampleAt(e.clientX);
      if (this.drag) this.drag.to = this.hoverX;
      this.requestDraw();
    });
    this.canvas.addEventListener('mouseleave', () => {
      this.hoverX = undefined;
      this.requestDraw();
    });
    window.addEventListener('mouseup', () => {
      if (!this.drag) return;
      const { from, to } = this.drag;
      this.drag = undefined;
      if (Math.abs(to - from) >= 2) this.zoom = [Math.min(from, to), Math.max(from, to)];
      this.requestDraw();
    });
    this.canvas.addEventListener('dblclick', () => this.resetZoom());
  }

  private wireKeys(): void {
    this.canvas.addEventListener('keydown', (e) => {
      const [a, b] = this.xRange();
      const mid = (a + b) / 2;
      const pan = (b - a) * 0.2;
      switch (e.key) {
        case '+':
        case '=':
          this.zoomBy(0.8, mid);
          break;
        case '-':
          this.zoomBy(1.25, mid);
          break;
        case '0':
          this.resetZoom();
          break;
        case 'ArrowLeft':
          this.zoom = [a - pan, b - pan];
          break;
        case 'ArrowRight':
          this.zoom = [a + pan, b + pan];
          break;
        case ' ':
          this.setPaused(!this.paused);
          break;
        default:
          return;
      }
      e.preventDefault();
      this.requestDraw();
    });
  }
}

export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a >= 1000 || a < 1e-3 ? v.toPrecision(4) : v.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
}
