// A small RIFF/WAVE writer for tests, written from the format's description rather than from the
// reader: it stores the sample codes it is given, one array per channel.

export type WavSampleFormat = 'u8' | 's16' | 's24' | 's32' | 'f32' | 'f64';

export interface WavSpec {
  format: WavSampleFormat;
  sampleRate?: number;
  /** Stored codes per channel: integers for PCM (0..255 for u8), floats for f32/f64. */
  channels: readonly (readonly number[])[];
  /** Write WAVE_FORMAT_EXTENSIBLE (0xFFFE) with the PCM or float sub-format GUID. */
  extensible?: boolean;
  /** Put an odd-sized LIST chunk (padded to even) before fmt, as some editors do. */
  listChunkFirst?: boolean;
}

const BITS: Record<WavSampleFormat, number> = { u8: 8, s16: 16, s24: 24, s32: 32, f32: 32, f64: 64 };

function chunk(id: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + body.length + (body.length & 1));
  out.set([...id].map((c) => c.charCodeAt(0)));
  new DataView(out.buffer).setUint32(4, body.length, true);
  out.set(body, 8);
  return out;
}

export function encodeWav(spec: WavSpec): Uint8Array {
  const bits = BITS[spec.format];
  const float = spec.format === 'f32' || spec.format === 'f64';
  const nch = spec.channels.length;
  const frames = spec.channels[0].length;
  const blockAlign = (nch * bits) / 8;
  const rate = spec.sampleRate ?? 16000;

  const fmt = new Uint8Array(spec.extensible ? 40 : 16);
  const f = new DataView(fmt.buffer);
  f.setUint16(0, spec.extensible ? 0xfffe : float ? 3 : 1, true);
  f.setUint16(2, nch, true);
  f.setUint32(4, rate, true);
  f.setUint32(8, rate * blockAlign, true);
  f.setUint16(12, blockAlign, true);
  f.setUint16(14, bits, true);
  if (spec.extensible) {
    f.setUint16(16, 22, true); // cbSize
    f.setUint16(18, bits, true); // valid bits
    f.setUint32(20, nch === 1 ? 0x4 : 0x3, true); // channel mask
    // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: {0000000X-0000-0010-8000-00AA00389B71}
    fmt.set([float ? 3 : 1, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71], 24);
  }

  const data = new Uint8Array(frames * blockAlign);
  const d = new DataView(data.buffer);
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < nch; c++) {
      const p = i * blockAlign + (c * bits) / 8;
      const v = spec.channels[c][i];
      if (spec.format === 'u8') d.setUint8(p, v);
      else if (spec.format === 's16') d.setInt16(p, v, true);
      else if (spec.format === 's24') data.set([v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff], p);
      else if (spec.format === 's32') d.setInt32(p, v, true);
      else if (spec.format === 'f32') d.setFloat32(p, v, true);
      else d.setFloat64(p, v, true);
    }
  }

  const parts = [
    ...(spec.listChunkFirst ? [chunk('LIST', new Uint8Array([0x49, 0x4e, 0x46, 0x4f, 0x41]))] : []),
    chunk('fmt ', fmt),
    chunk('data', data),
  ];
  const body = parts.reduce((n, p) => n + p.length, 4);
  const out = new Uint8Array(8 + body);
  out.set([0x52, 0x49, 0x46, 0x46]); // RIFF
  new DataView(out.buffer).setUint32(4, body, true);
  out.set([0x57, 0x41, 0x56, 0x45], 8); // WAVE
  let at = 12;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
