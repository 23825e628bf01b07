import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeWav } from '../../../server/src/inputs/wav';
import { InputFileError } from '../../../server/src/inputs/inputFileError';
import { sharedDir } from '../../helpers/shared';
import { encodeWav, WavSampleFormat } from './wavEncoder';

describe('decodeWav', () => {
  it('reads the shared 16 kHz speech clip as Python’s wave module does', () => {
    const wav = decodeWav(new Uint8Array(readFileSync(join(sharedDir, 'data', 'yes_1000ms.wav'))));
    // python3 wave.open: nchannels 1, sampwidth 2, framerate 16000, nframes 16000; the int16 frames
    // at 0, 1, 100, 4000, 8000, 15999 are -7, -12, -62, -28, -876, 19; min -31238, max 21681 (at 8970).
    assert.equal(wav.sampleRate, 16000);
    assert.equal(wav.channels, 1);
    assert.equal(wav.bitsPerSample, 16);
    assert.equal(wav.encoding, 'pcm');
    assert.equal(wav.samples.length, 16000);
    const codes = [0, 1, 100, 4000, 8000, 15999].map((i) => wav.samples[i] * 32768);
    assert.deepEqual(codes, [-7, -12, -62, -28, -876, 19]);
    let min = 0;
    let argMax = 0;
    wav.samples.forEach((v, i) => {
      min = Math.min(min, v);
      if (v > wav.samples[argMax]) argMax = i;
    });
    assert.equal(min * 32768, -31238);
    assert.equal(argMax, 8970);
    assert.equal(wav.samples[argMax] * 32768, 21681);
  });

  // Codes k/128 for k in -128..127 are exact in every format, so all must decode identically.
  const ks = Array.from({ length: 256 }, (_, i) => i - 128);
  const expected = Float32Array.from(ks, (k) => k / 128);
  const codesFor: Record<WavSampleFormat, (k: number) => number> = {
    u8: (k) => k + 128,
    s16: (k) => k * 256,
    s24: (k) => k * 65536,
    s32: (k) => k * 16777216,
    f32: (k) => k / 128,
    f64: (k) => k / 128,
  };
  for (const format of Object.keys(codesFor) as WavSampleFormat[]) {
    for (const extensible of [false, true]) {
      it(`decodes ${format}${extensible ? ' (WAVE_FORMAT_EXTENSIBLE)' : ''} to the same values, channel 0 of a stereo clip`, () => {
        const left = ks.map(codesFor[format]);
        const right = [...left].reverse();
        const wav = decodeWav(encodeWav({ format, sampleRate: 8000, channels: [left, right], extensible, listChunkFirst: extensible }));
        assert.equal(wav.sampleRate, 8000);
        assert.equal(wav.channels, 2);
        assert.equal(wav.encoding, format.startsWith('f') ? 'float' : 'pcm');
        assert.deepEqual(wav.samples, expected);
      });
    }
  }

  it('maps full-scale PCM codes to -1 and just under 1', () => {
    assert.deepEqual(decodeWav(encodeWav({ format: 'u8', channels: [[0, 255]] })).samples, Float32Array.from([-1, 127 / 128]));
    assert.deepEqual(decodeWav(encodeWav({ format: 's24', channels: [[-8388608, 8388607]] })).samples, Float32Array.from([-1, 8388607 / 8388608]));
    assert.deepEqual(decodeWav(encodeWav({ format: 's32', channels: [[-2147483648, 2147483647]] })).samples, Float32Array.from([-1, 1 - 2 ** -24]));
  });

  describe('refuses bad files with a specific reason', () => {
    const clip = () => encodeWav({ format: 's16', channels: [ks] });
    const fails = (bytes: Uint8Array, message: RegExp) => assert.throws(() => decodeWav(bytes), (e: Error) => e instanceof InputFileError && message.test(e.message));

    it('no RIFF header', () => fails(new TextEncoder().encode('RIFX....WAVEfmt '), /not a WAV file \(no RIFF\/WAVE header\)/));
    it('truncated audio data', () => fails(clip().subarray(0, 44 + 502), /truncated: the data chunk declares 512 bytes, 502 are present/));
    it('a sample size the format does not have', () => {
      const bytes = clip();
      bytes[34] = 12; // bits per sample
      fails(bytes, /12-bit PCM is not supported/);
    });
    it('a compressed format', () => {
      const bytes = clip();
      bytes[20] = 2; // MS ADPCM
      fails(bytes, /format tag 0x2 is not supported/);
    });
    it('frames that do not match the channel count', () => {
      const bytes = clip();
      bytes[32] = 4; // block align of a stereo clip on a mono header
      fails(bytes, /block align 4 does not match 1 channel\(s\) of 16 bits/);
    });
    it('no fmt chunk', () => {
      const bytes = clip();
      bytes.set([0x6a, 0x75, 0x6e, 0x6b], 12); // rename 'fmt ' to 'junk'
      fails(bytes, /no fmt chunk/);
    });
  });
});
