/**
 * A callback we will not act on. `expose` lets the error handler answer with the reason, which
 * names what was wrong and never carries decrypted content.
 */
export class CallbackRefused extends Error {
  readonly expose = true;
  constructor(
    readonly status: 400 | 401,
    message: string,
  ) {
    super(message);
    this.name = 'CallbackRefused';
  }
}
