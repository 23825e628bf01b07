// Plotter line parsing: the formats Arduino's Serial Plotter reads (`v1 v2 v3` separated by
// spaces, tabs or commas; `a:1,b:2` / `label:value` pairs; a header line of names) plus JSON
// objects, into named numeric samples. Pure: the webview plots with it, the host frames with it.

export interface PlotSample {
  /** Series names in the order the line gave them. */
  names: string[];
  values: number[];
}

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const SPECIAL: Record<string, number> = { nan: NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity };

/** A number as firmware prints it (also `nan`/`inf` from printf), else undefined. */
export function parseNumber(token: string): number | undefined {
  if (NUMBER.test(token)) return Number(token);
  const special = SPECIAL[token.toLowerCase()];
  return special;
}

/** Arduino names values that carry no label by their position: `value 1`, `value 2`... */
export function positionalName(index: number): string {
  return `value ${index + 1}`;
}

/**
 * Stateful because of Arduino's header line (`temp humidity` before `21.5 40`): later unlabelled
 * values take the header's names. Everything else is per line.
 */
export class PlotterParser {
  private header: string[] | undefined;

  /** A sample for a line that holds numbers, else undefined (plain text, banners, prompts). */
  parse(line: string): PlotSample | undefined {
    const text = line.trim();
    if (text.length === 0) return undefined;
    if (text.startsWith('{')) return parseJsonSample(text);
    const tokens = splitTokens(text);
    if (tokens.length === 0) return undefined;
    const names: string[] = [];
    const values: number[] = [];
    let labelled = 0;
    let position = 0;
    for (const token of tokens) {
      const colon = labelSplit(token);
      if (colon) {
        const v = parseNumber(colon.value);
        if (v === undefined) return this.maybeHeader(tokens);
        names.push(colon.label);
        values.push(v);
        labelled++;
      } else {
        const v = parseNumber(token);
        if (v === undefined) return this.maybeHeader(tokens);
        names.push(this.header?.[position] ?? positionalName(position));
        values.push(v);
      }
      position++;
    }
    if (labelled === tokens.length) this.header = undefined;
    return { names, values };
  }

  reset(): void {
    this.header = undefined;
  }

  /** A line of names only is a header; any other non-numeric line is text and not plotted. */
  private maybeHeader(tokens: string[]): undefined {
    if (tokens.length <= 16 && tokens.every((t) => /^[A-Za-z_][\w.\-/%()]*$/.test(t))) this.header = tokens;
    return undefined;
  }
}

/** Tokens separated by commas, spaces or tabs; `label: value` keeps its value (Arduino allows the space). */
function splitTokens(text: string): string[] {
  const raw = text.split(/[,\t ]+/).filter((t) => t.length > 0);
  const tokens: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i];
    if (t.endsWith(':') && t.length > 1 && i + 1 < raw.length && !raw[i + 1].includes(':')) {
      tokens.push(t + raw[i + 1]);
      i++;
    } else tokens.push(t);
  }
  return tokens;
}

function labelSplit(token: string): { label: string; value: string } | undefined {
  // The last ':' or '=' separates, so labels like `a:b:1` keep their colon.
  const i = Math.max(token.lastIndexOf(':'), token.lastIndexOf('='));
  if (i <= 0) return undefined;
  return { label: token.slice(0, i), value: token.slice(i + 1) };
}

/** Numeric fields of a JSON object line, nested objects flattened with dots, arrays as `name[i]`. */
export function parseJsonSample(text: string): PlotSample | undefined {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!o || typeof o !== 'object' || Array.isArray(o)) return undefined;
  const names: string[] = [];
  const values: number[] = [];
  const walk = (v: unknown, name: string, depth: number) => {
    if (typeof v === 'number') {
      names.push(name);
      values.push(v);
    } else if (typeof v === 'boolean') {
      names.push(name);
      values.push(v ? 1 : 0);
    } else if (depth < 3 && Array.isArray(v)) {
      v.slice(0, 64).forEach((x, i) => walk(x, `${name}[${i}]`, depth + 1));
    } else if (depth < 3 && v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) walk(x, name ? `${name}.${k}` : k, depth + 1);
    }
  };
  walk(o, '', 0);
  return names.length > 0 ? { names, values } : undefined;
}

/** One-shot parse without header state (tests, the host's framing of single lines). */
export function parsePlotterLine(line: string): PlotSample | undefined {
  return new PlotterParser().parse(line);
}
