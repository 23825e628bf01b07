// RIFF/WAVE reader for calibration audio: PCM 8-bit unsigned, 16/24/32-bit signed and IEEE float
// (32 or 64-bit), plain or WAVE_FORMAT_EXTENSIBLE. Only channel 0 is kept: TinyML audio models
// take one channel.

import { InputFileError } from './inputFileError';

export interface DecodedWav {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  encoding: 'pcm' | 'float';
  /** Channel 0; PCM scaled to [-1, 1), float as stored. */
  samples: Float32Array;
}

const LARGEST_BELOW_ONE = 1 - 2 ** -24; // in float32
const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** The KSDATAFORMAT_SUBTYPE GUIDs differ from the base GUID only in their first two bytes. */
const SUBFORMAT_GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

function fourCC(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}

interface Format {
  tag: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bits: number;
}

function readFormat(view: DataView, at: number, size: number): Format {
  if (size < 16) throw new InputFileError(`WAV: fmt chunk of ${size} bytes is too short (16 needed)`);
  let tag = view.getUint16(at, true);
  const format: Format = {
    tag,
    channels: view.getUint16(at + 2, true),
    sampleRate: view.getUint32(at + 4, true),
    blockAlign: view.getUint16(at + 12, true),
    bits: view.getUint16(at + 14, true),
  };
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (size < 40) throw new InputFileError(`WAV: WAVE_FORMAT_EXTENSIBLE fmt chunk of ${size} bytes is too short (40 needed)`);
    const guid = at + 24;
    tag = view.getUint16(guid, true);
    if (SUBFORMAT_GUID_TAIL.some((b, i) => view.getUint8(guid + 2 + i) !== b)) {
      throw new InputFileError('WAV: WAVE_FORMAT_EXTENSIBLE with a sub-format that is not PCM or IEEE float');
    }
    format.tag = tag;
  }
  return format;
}

export function decodeWav(bytes: Uint8Array): DecodedWav {
  if (bytes.length < 12 || fourCC(bytes, 0) !== 'RIFF' || fourCC(bytes, 8) !== 'WAVE') {
    throw new InputFileError('not a WAV file (no RIFF/WAVE header)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let format: Format | undefined;
  let data: { at: number; size: number } | undefined;
  for (let at = 12; at + 8 <= bytes.length && !data; ) {
    const id = fourCC(bytes, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (body + size > bytes.length) throw new InputFileError('WAV: truncated fmt chunk');
      format = readFormat(view, body, size);
    } else if (id === 'data') {
      data = { at: body, size };
    }
    at = body + size + (size & 1); // chunks are padded to an even length
  }
  if (!format) throw new InputFileError('WAV: no fmt chunk before the audio data');
  if (!data) throw new InputFileError('WAV: no data chunk');

  const { tag, channels, bits, blockAlign, sampleRate } = format;
  const pcm = tag === WAVE_FORMAT_PCM && (bits === 8 || bits === 16 || bits === 24 || bits === 32);
  const float = tag === WAVE_FORMAT_IEEE_FLOAT && (bits === 32 || bits === 64);
  if (!pcm && !float) {
    const kind = tag === WAVE_FORMAT_PCM ? 'PCM' : tag === WAVE_FORMAT_IEEE_FLOAT ? 'IEEE float' : `format tag 0x${tag.toString(16)}`;
    throw new InputFileError(`WAV: ${bits}-bit ${kind} is not supported (PCM 8/16/24/32-bit or float 32/64-bit)`);
  }
  if (channels < 1) throw new InputFileError('WAV: fmt chunk declares 0 channels');
  const sampleBytes = bits / 8;
  if (blockAlign !== channels * sampleBytes) {
    throw new InputFileError(`WAV: block align ${blockAlign} does not match ${channels} channel(s) of ${bits} bits`);
  }
  const available = bytes.length - data.at;
  if (data.size > available) throw new InputFileError(`WAV: truncated: the data chunk declares ${data.size} bytes, ${available} are present`);
  if (data.size % blockAlign !== 0) throw new InputFileError(`WAV: data chunk of ${data.size} bytes ends inside a frame of ${blockAlign} bytes`);

  const frames = data.size / blockAlign;
  const samples = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    const p = data.at + i * blockAlign;
    samples[i] = float ? (bits === 32 ? view.getFloat32(p, true) : view.getFloat64(p, true)) : pcmSample(view, p, bits);
  }
  return { sampleRate, channels, bitsPerSample: bits, encoding: float ? 'float' : 'pcm', samples };
}

/** One PCM sample scaled so that full scale is [-1, 1): 8-bit is unsigned with 128 as zero. */
function pcmSample(view: DataView, p: number, bits: number): number {
  switch (bits) {
    case 8:
      return (view.getUint8(p) - 128) / 128;
    case 16:
      return view.getInt16(p, true) / 32768;
    case 24: {
      const v = view.getUint8(p) | (view.getUint8(p + 1) << 8) | (view.getInt8(p + 2) << 16);
      return v / 8388608;
    }
    default:
      // float32 rounds codes near full scale up to 1; keep the range half-open.
      return Math.min(view.getInt32(p, true) / 2147483648, LARGEST_BELOW_ONE);
  }
}
