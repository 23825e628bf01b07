// The serial monitor: a virtualized list of the newest rows (only the visible ones are in the
// DOM, rendered once per animation frame however fast lines come), timestamps, pause/resume,
// clear, search with highlight and next/previous, hex mode, save/open the complete on-disk log,
// and a send box with a line ending. Follows the newest line unless the user scrolled up.

import { el } from './dom';
import type { LineEnding, MonitorLine, MonitorMode } from './messages';
import { formatTime, MonitorStore, stepMatch, type Match } from './monitorStore';

export interface MonitorCallbacks {
  send(text: string, ending: LineEnding): void;
  setMode(mode: MonitorMode): void;
  saveLog(): void;
  openLog(): void;
  stateChanged(): void;
}

const OVERSCAN = 10;

export class MonitorView {
  readonly root: HTMLElement;
  readonly store: MonitorStore;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly layer: HTMLElement;
  private readonly pauseButton: HTMLButtonElement;
  private readonly searchInput: HTMLInputElement;
  private readonly counter: HTMLElement;
  private readonly status: HTMLElement;
  private readonly logPath: HTMLButtonElement;
  private readonly draftInput: HTMLInputElement;
  private readonly endingSelect: HTMLSelectElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly hexBox: HTMLInputElement;
  private readonly timeBox: HTMLInputElement;
  private frame = 0;
  private rowHeight = 0;
  private follow = true;
  private matches: Match[] = [];
  private matchesStale = true;
  private current = -1;

  constructor(private readonly cb: MonitorCallbacks, capacity: number) {
    this.store = new MonitorStore(capacity);
    this.pauseButton = el('button', { type: 'button', class: 'monitor-pause', title: 'Pause the monitor; lines keep arriving and are shown on resume (Alt+P)', 'aria-keyshortcuts': 'Alt+P' }, 'Pause');
    this.pauseButton.addEventListener('click', () => this.togglePause());
    const clear = el('button', { type: 'button', class: 'monitor-clear', title: 'Clear the view; the log file keeps everything (Alt+L)', 'aria-keyshortcuts': 'Alt+L' }, 'Clear');
    clear.addEventListener('click', () => this.clear());
    this.timeBox = el('input', { type: 'checkbox', class: 'show-time', checked: '' });
    this.timeBox.addEventListener('change', () => {
      this.root.classList.toggle('no-time', !this.timeBox.checked);
      cb.stateChanged();
    });
    this.hexBox = el('input', { type: 'checkbox', class: 'hex-mode' });
    this.hexBox.addEventListener('change', () => cb.setMode(this.hexBox.checked ? 'hex' : 'text'));
    this.searchInput = el('input', { type: 'search', class: 'search', placeholder: 'Search (Ctrl+F)', 'aria-label': 'Search the monitor', 'aria-keyshortcuts': 'Control+F' });
    this.searchInput.addEventListener('input', () => {
      this.matchesStale = true;
      this.current = -1;
      this.schedule();
      cb.stateChanged();
    });
    this.searchInput.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === 'F3') {
        e.preventDefault();
        this.step(e.shiftKey ? -1 : 1);
      } else if (e.key === 'Escape') {
        this.searchInput.value = '';
        this.searchInput.dispatchEvent(new Event('input'));
      }
    });
    const prev = el('button', { type: 'button', class: 'search-prev', title: 'Previous match (Shift+Enter)', 'aria-label': 'Previous match' }, '↑');
    prev.addEventListener('click', () => this.step(-1));
    const next = el('button', { type: 'button', class: 'search-next', title: 'Next match (Enter)', 'aria-label': 'Next match' }, '↓');
    next.addEventListener('click', () => this.step(1));
    this.counter = el('span', { class: 'match-count', 'aria-live': 'polite' });
    const save = el('button', { type: 'button', class: 'save-log', title: 'Save a copy of the complete log (every line received, also those no longer shown)' }, 'Save log…');
    save.addEventListener('click', () => cb.saveLog());
    this.logPath = el('button', { type: 'button', class: 'log-path link', title: 'Open the log file' });
    this.logPath.addEventListener('click', () => cb.openLog());
    this.status = el('span', { class: 'monitor-status' });

    this.viewport = el('div', { class: 'monitor-viewport', tabindex: '0', role: 'log', 'aria-label': 'Serial monitor lines', 'aria-live': 'off' });
    this.spacer = el('div', { class: 'monitor-spacer' });
    this.layer = el('div', { class: 'monitor-rows' });
    this.viewport.append(this.spacer, this.layer);
    this.viewport.addEventListener('scroll', () => {
      const atBottom = this.viewport.scrollTop + this.viewport.clientHeight >= this.viewport.scrollHeight - this.rowHeight;
      this.follow = atBottom;
      this.schedule();
    });
    new ResizeObserver(() => this.schedule()).observe(this.viewport);

    this.draftInput = el('input', { type: 'text', class: 'send-text', placeholder: 'Send to the device (Enter)', 'aria-label': 'Text to send' });
    this.draftInput.addEventListener('input', () => cb.stateChanged());
    this.draftInput.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        this.send();
      }
    });
    this.endingSelect = el('select', { class: 'line-ending', 'aria-label': 'Line ending' });
    for (const [v, label] of [['none', 'No line ending'], ['lf', 'LF (\\n)'], ['cr', 'CR (\\r)'], ['crlf', 'CR LF (\\r\\n)']] as const) this.endingSelect.append(el('option', { value: v }, label));
    this.endingSelect.value = 'lf';
    this.endingSelect.addEventListener('change', () => cb.stateChanged());
    this.sendButton = el('button', { type: 'button', class: 'send', title: 'Send (Enter)' }, 'Send');
    this.sendButton.addEventListener('click', () => this.send());

    this.root = el(
      'section',
      { class: 'monitor', 'aria-label': 'Serial monitor' },
      el(
        'div',
        { class: 'toolbar monitor-toolbar' },
        el('span', { class: 'pane-title' }, 'Monitor'),
        this.pauseButton,
        clear,
        el('label', {}, this.timeBox, ' Time'),
        el('label', { title: 'Show received bytes as a hex dump' }, this.hexBox, ' Hex'),
        this.searchInput,
        prev,
        next,
        this.counter,
        save,
      ),
      this.viewport,
      el('div', { class: 'toolbar send-bar' }, this.draftInput, this.endingSelect, this.sendButton),
      el('div', { class: 'monitor-footer' }, this.status, el('span', { class: 'log-label' }, 'Log: '), this.logPath),
    );
    this.root.addEventListener('keydown', (e) => this.shortcut(e));
  }

  add(lines: readonly MonitorLine[], dropped = 0): void {
    this.store.dropped += dropped;
    if (this.store.add(lines)) {
      this.matchesStale = true;
      this.schedule();
    } else this.updateStatus();
  }

  /** Replaces everything shown (re-sync from the host). */
  reset(lines: readonly MonitorLine[]): void {
    this.store.clear();
    this.store.first = 0;
    this.store.add(lines);
    this.matchesStale = true;
    this.follow = true;
    this.schedule();
  }

  clear(): void {
    this.store.clear();
    this.matchesStale = true;
    this.current = -1;
    this.schedule();
  }

  togglePause(): void {
    this.store.setPaused(!this.store.paused);
    this.pauseButton.textContent = this.store.paused ? 'Resume' : 'Pause';
    this.pauseButton.setAttribute('aria-pressed', String(this.store.paused));
    this.matchesStale = true;
    this.schedule();
  }

  setLogFile(path: string | undefined): void {
    this.logPath.textContent = path ?? 'none yet (opens with the port)';
    this.logPath.disabled = !path;
  }

  setConnected(connected: boolean): void {
    this.sendButton.disabled = !connected;
  }

  setMode(mode: MonitorMode): void {
    this.hexBox.checked = mode === 'hex';
  }

  get state(): { draft: string; search: string; lineEnding: LineEnding; showTime: boolean } {
    return { draft: this.draftInput.value, search: this.searchInput.value, lineEnding: this.endingSelect.value as LineEnding, showTime: this.timeBox.checked };
  }

  restore(s: { draft: string; search: string; lineEnding: LineEnding }): void {
    this.draftInput.value = s.draft;
    this.searchInput.value = s.search;
    this.endingSelect.value = s.lineEnding;
    this.matchesStale = true;
  }

  focusSearch(): void {
    this.searchInput.focus();
    this.searchInput.select();
  }

  private send(): void {
    const text = this.draftInput.value;
    if (this.sendButton.disabled) return;
    this.cb.send(text, this.endingSelect.value as LineEnding);
    this.draftInput.value = '';
    this.cb.stateChanged();
  }

  private shortcut(e: KeyboardEvent): void {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f') {
      e.preventDefault();
      this.focusSearch();
    } else if (e.altKey && e.key.toLowerCase() === 'p') {
      e.preventDefault();
      this.togglePause();
    } else if (e.altKey && e.key.toLowerCase() === 'l') {
      e.preventDefault();
      this.clear();
    } else if (e.key === 'F3') {
      e.preventDefault();
      this.step(e.shiftKey ? -1 : 1);
    }
  }

  private step(direction: 1 | -1): void {
    this.refreshMatches();
    this.current = stepMatch(this.matches.length, this.current, direction);
    if (this.current >= 0) {
      this.follow = false;
      this.ensureRowHeight();
      const row = this.matches[this.current].row - this.store.first;
      this.viewport.scrollTop = Math.max(0, row * this.rowHeight - this.viewport.clientHeight / 2);
    }
    this.schedule();
  }

  private refreshMatches(): void {
    if (!this.matchesStale) return;
    this.matchesStale = false;
    this.matches = this.store.search(this.searchInput.value);
    if (this.current >= this.matches.length) this.current = this.matches.length - 1;
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private ensureRowHeight(): void {
    if (this.rowHeight > 0) return;
    const probe = el('div', { class: 'row' }, 'X');
    this.layer.append(probe);
    this.rowHeight = probe.getBoundingClientRect().height || 18;
    probe.remove();
  }

  private render(): void {
    this.ensureRowHeight();
    this.refreshMatches();
    const total = this.store.length;
    this.spacer.style.height = `${total * this.rowHeight}px`;
    if (this.follow) this.viewport.scrollTop = this.viewport.scrollHeight;
    const top = this.viewport.scrollTop;
    const first = Math.max(0, Math.floor(top / this.rowHeight) - OVERSCAN);
    const last = Math.min(total, Math.ceil((top + this.viewport.clientHeight) / this.rowHeight) + OVERSCAN);
    this.layer.style.transform = `translateY(${first * this.rowHeight}px)`;
    const byRow = new Map<number, { m: Match; index: number }[]>();
    this.matches.forEach((m, index) => {
      const r = m.row - this.store.first;
      if (r < first || r >= last) return;
      const list = byRow.get(r) ?? [];
      list.push({ m, index });
      byRow.set(r, list);
    });
    const rows = this.store.all();
    const nodes: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const line = rows[i];
      const row = el('div', { class: `row ${line.kind}`, 'data-row': String(this.store.first + i), ...(line.kind === 'partial' ? { title: 'Incomplete: cut off when the port closed (not plotted)' } : {}) });
      row.append(el('span', { class: 'ts' }, formatTime(line.time)), this.text(line, byRow.get(i)));
      nodes.push(row);
    }
    this.layer.replaceChildren(...nodes);
    this.updateStatus();
  }

  private text(line: MonitorLine, matches: { m: Match; index: number }[] | undefined): HTMLElement {
    const prefix = line.kind === 'sent' ? '→ ' : line.kind === 'event' ? '— ' : '';
    const span = el('span', { class: 'text' }, prefix);
    if (!matches) {
      span.append(line.text);
      return span;
    }
    let at = 0;
    for (const { m, index } of matches) {
      span.append(line.text.slice(at, m.start));
      span.append(el('mark', index === this.current ? { class: 'current' } : {}, line.text.slice(m.start, m.end)));
      at = m.end;
    }
    span.append(line.text.slice(at));
    return span;
  }

  private updateStatus(): void {
    const parts = [`${this.store.length.toLocaleString('en-US')} lines`];
    if (this.store.heldCount > 0) parts.push(`${this.store.heldCount.toLocaleString('en-US')} held while paused`);
    if (this.store.trimmed > 0) parts.push(`${this.store.trimmed.toLocaleString('en-US')} older in the log only`);
    if (this.store.dropped > 0) parts.push(`${this.store.dropped.toLocaleString('en-US')} skipped by the view (in the log)`);
    this.status.textContent = parts.join(' · ');
    const q = this.searchInput.value;
    this.counter.textContent = q ? (this.matches.length === 0 ? 'no matches' : `${this.current + 1 > 0 ? this.current + 1 : '–'}/${this.matches.length}`) : '';
  }
}
