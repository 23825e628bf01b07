// Framing for live inference: which serial lines become model inputs. One frame per line (the
// line's numbers, or chosen fields), a window with a stride over a numeric stream (flattened
// samples x channels), or a whole tensor per line as JSON/hex/base64. Pure: lines in, frames out.

import { PlotterParser } from '../parsers/plotterLine';
import { decodeTensorLine, elementsToBytes, mapValues, type TensorEncoding, type TensorInfo, type ValueMapping } from './tensorCodec';

export type FrameSource =
  /** The numbers of one line are one frame. */
  | { kind: 'perLine'; fields?: string[] }
  /** Each line is one sample (its numbers, or the fields, are the channels); `length` samples make a frame, the next starts `stride` samples later. */
  | { kind: 'window'; length: number; stride: number; fields?: string[] }
  /** One line holds the whole tensor; `prefix` (e.g. `tensor:`) marks such lines when set. */
  | { kind: 'tensor'; encoding: TensorEncoding; prefix?: string };

export interface FrameSpec {
  source: FrameSource;
  mapping: ValueMapping;
}

export interface Frame {
  /** Increasing from 1 within one framer. */
  seq: number;
  /** Time of the line that completed the frame. */
  time: number;
  /** The input bytes, little-endian in the input's type. */
  bytes: Uint8Array;
}

export type FramePush = { frames: Frame[]; error?: string };

export class Framer {
  private readonly parser = new PlotterParser();
  private stream: number[] = [];
  private sinceLast = 0;
  private seq = 0;
  private channels: number | undefined;

  constructor(
    readonly spec: FrameSpec,
    readonly input: TensorInfo,
  ) {
    const s = spec.source;
    if (s.kind === 'window') {
      if (!(Number.isInteger(s.length) && s.length > 0)) throw new Error('the window length must be a positive whole number');
      if (!(Number.isInteger(s.stride) && s.stride > 0)) throw new Error('the stride must be a positive whole number');
    }
  }

  /** Frames completed by this line; `error` when the line matched but could not become an input. */
  push(text: string, time: number): FramePush {
    const s = this.spec.source;
    if (s.kind === 'tensor') {
      let body = text;
      if (s.prefix) {
        const at = text.indexOf(s.prefix);
        if (at < 0) return { frames: [] };
        body = text.slice(at + s.prefix.length);
      } else if (s.encoding === 'json' ? !/^\s*\[/.test(text) : text.trim().length === 0) return { frames: [] };
      try {
        return { frames: [this.frame(decodeTensorLine(body, s.encoding, this.input), time)] };
      } catch (err) {
        return { frames: [], error: err instanceof Error ? err.message : String(err) };
      }
    }
    const values = this.pick(text, s.fields);
    if (!values) return { frames: [] };
    if (s.kind === 'perLine') {
      if (values.length !== this.input.elementCount) {
        return { frames: [], error: `a line gave ${values.length} values, the input ${this.input.name} takes ${this.input.elementCount}` };
      }
      return { frames: [this.frame(this.encode(values), time)] };
    }
    // Window: every sample must have the same number of channels, and samples x channels = input size.
    if (this.channels === undefined) this.channels = values.length;
    if (values.length !== this.channels) return { frames: [], error: `a sample has ${values.length} values, earlier ones ${this.channels}` };
    const need = s.length * this.channels;
    if (need !== this.input.elementCount) {
      return { frames: [], error: `${s.length} samples x ${this.channels} values = ${need}, the input ${this.input.name} takes ${this.input.elementCount}` };
    }
    this.stream.push(...values);
    this.sinceLast++;
    const frames: Frame[] = [];
    if (this.stream.length > need) this.stream.splice(0, this.stream.length - need);
    // The first frame once the window is full, then one every `stride` samples.
    if (this.stream.length === need && (this.seq === 0 ? true : this.sinceLast >= s.stride)) {
      frames.push(this.frame(this.encode(this.stream), time));
      this.sinceLast = 0;
    }
    return { frames };
  }

  reset(): void {
    this.stream = [];
    this.sinceLast = 0;
    this.channels = undefined;
    this.parser.reset();
  }

  private pick(text: string, fields: string[] | undefined): number[] | undefined {
    const sample = this.parser.parse(text);
    if (!sample) return undefined;
    if (!fields || fields.length === 0) return sample.values;
    const out: number[] = [];
    for (const f of fields) {
      const i = sample.names.indexOf(f);
      if (i < 0) return undefined;
      out.push(sample.values[i]);
    }
    return out;
  }

  private encode(values: readonly number[]): Uint8Array {
    return elementsToBytes(mapValues(values, this.input, this.spec.mapping), this.input.dtype);
  }

  private frame(bytes: Uint8Array, time: number): Frame {
    return { seq: ++this.seq, time, bytes };
  }
}
