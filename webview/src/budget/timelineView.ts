// The arena timeline as SVG: a rect per planned buffer over its lifetime, the high-water mark
// drawn as a line, the step with the most live bytes shaded; hover or focus names the tensor.

import type { TflmArena, TflmArenaBuffer } from '../../../server/src/analysis/arena/tflmArena';
import { h, s } from './dom';
import { formatBytes, formatExactBytes } from './format';
import { byteTicks, layoutTimeline, stepLabel, type TimelineBuffer } from './timeline';

const BOX = { width: 860, height: 280, margin: { left: 64, right: 16, top: 22, bottom: 34 } };

export function bufferLabel(buffer: TflmArenaBuffer, tensorNames: readonly string[][]): string {
  if (buffer.tensorIndex === null) return `scratch buffer of op ${buffer.opIndex ?? '?'}`;
  return tensorNames[buffer.subgraphIndex]?.[buffer.tensorIndex] || `tensor ${buffer.tensorIndex}`;
}

export function timelineBuffers(arena: TflmArena, tensorNames: readonly string[][]): TimelineBuffer[] {
  return arena.buffers.map((b) => ({ offset: b.offset, bytes: b.bytes, firstUse: b.firstUse, lastUse: b.lastUse, label: bufferLabel(b, tensorNames) }));
}

export function timelineView(arena: TflmArena, tensorNames: readonly string[][], opCount: number): HTMLElement {
  const buffers = timelineBuffers(arena, tensorNames);
  const layout = layoutTimeline(buffers, opCount + 1, BOX);
  const { plot } = layout;
  const info = h('p', { class: 'timeline-info', 'aria-live': 'polite' });
  const peakText = layout.peak
    ? `Peak: ${formatBytes(layout.peak.highWaterBytes)} planned (${formatExactBytes(layout.peak.highWaterBytes)}); most live at ${stepLabel(layout.peak.step)}: ${formatBytes(layout.peak.liveBytes)}. Hover or focus a buffer for its tensor.`
    : 'No planned buffers: every tensor of this model is constant or persistent.';
  info.textContent = peakText;

  const svg = s('svg', {
    viewBox: `0 0 ${BOX.width} ${BOX.height}`,
    class: 'timeline',
    role: 'group',
    'aria-label': `Arena timeline: ${buffers.length} planned buffers over ${layout.steps} steps`,
  });

  if (layout.peak) {
    svg.append(s('rect', { class: 'peak-step', x: layout.peak.x, y: plot.top, width: layout.peak.width, height: plot.height }));
  }
  // y axis: offsets, growing upwards.
  const top = layout.peak?.highWaterBytes ?? 0;
  for (const tick of byteTicks(top)) {
    const y = plot.top + plot.height - (top > 0 ? (tick / top) * plot.height : 0);
    svg.append(s('line', { class: 'grid', x1: plot.left, x2: plot.left + plot.width, y1: y, y2: y }));
    svg.append(s('text', { class: 'tick', x: plot.left - 6, y: y + 4, 'text-anchor': 'end' }, formatBytes(tick)));
  }
  // x axis: allocation steps, labelled sparsely enough to stay legible.
  const every = Math.max(1, Math.ceil(layout.steps / 14));
  for (let step = 0; step < layout.steps; step += every) {
    svg.append(s('text', { class: 'tick', x: plot.left + (step + 0.5) * layout.columnWidth, y: plot.top + plot.height + 16, 'text-anchor': 'middle' }, step === 0 ? 'in' : step - 1));
  }
  svg.append(s('text', { class: 'axis', x: plot.left + plot.width / 2, y: BOX.height - 3, 'text-anchor': 'middle' }, 'operator (in = model input)'));
  svg.append(s('text', { class: 'axis', x: 12, y: plot.top + plot.height / 2, 'text-anchor': 'middle', transform: `rotate(-90 12 ${plot.top + plot.height / 2})` }, 'arena offset'));

  layout.rects.forEach((r) => {
    const b = buffers[r.buffer];
    const raw = arena.buffers[r.buffer];
    const describe = `${b.label}: ${formatBytes(b.bytes)} (${formatExactBytes(b.bytes)}) at offset ${b.offset}, live ${stepLabel(b.firstUse)} to ${stepLabel(b.lastUse)}`;
    const isPeak = layout.peak?.buffer === r.buffer;
    const rect = s(
      'rect',
      {
        class: `buf c${r.buffer % 6}${raw.tensorIndex === null ? ' scratch' : ''}${isPeak ? ' peak' : ''}`,
        x: r.x + 0.5,
        y: r.y + 0.5,
        width: Math.max(1, r.width - 1),
        height: Math.max(1, r.height - 1),
        tabindex: 0,
        role: 'img',
        'aria-label': describe,
        'data-buffer': r.buffer,
      },
      s('title', {}, describe),
    );
    const show = () => (info.textContent = describe);
    rect.addEventListener('mouseenter', show);
    rect.addEventListener('focus', show);
    rect.addEventListener('mouseleave', () => (info.textContent = peakText));
    rect.addEventListener('blur', () => (info.textContent = peakText));
    svg.append(rect);
  });

  if (layout.peak) {
    const y = layout.peak.y;
    svg.append(s('line', { class: 'peak-line', x1: plot.left, x2: plot.left + plot.width, y1: y, y2: y }));
    svg.append(s('text', { class: 'peak-label', x: plot.left + plot.width, y: y - 6, 'text-anchor': 'end' }, `peak ${formatBytes(layout.peak.highWaterBytes)}`));
  }

  return h('div', { class: 'timeline-wrap' }, svg, info);
}
