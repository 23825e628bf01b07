// What one input file yields for one model input: zero or more samples, and remarks the folder
// loader gathers into its warnings (worded without the file's name so that equal ones merge).

export interface FileSamples {
  /** One Float32Array per sample, each with the input's element count. */
  values: Float32Array[];
  warnings: string[];
  /** Set for audio, so the loader can tell when clips of different rates are mixed. */
  sampleRate?: number;
  /** Set for images fed at another size: "WxH -> WxH". */
  resized?: string;
}
