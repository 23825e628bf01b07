// A file that cannot serve as model input (corrupt, truncated, unsupported variant, or not fitting
// the input). The folder loader turns it into a skip reason; anything else is a bug and propagates.

export class InputFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputFileError';
  }
}
