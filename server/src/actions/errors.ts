// The two ways a model action stops early, told apart so that the edges can answer each properly:
// the user cancelled (no file, no error), or the input cannot be acted on (a message to show).

export class ActionCancelled extends Error {
  constructor(message = 'the model action was cancelled') {
    super(message);
    this.name = 'ActionCancelled';
  }
}

/** Bad input: an unreadable or already quantized model, an unsupported op, a wrong target format, bad options. */
export class ActionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionError';
  }
}
