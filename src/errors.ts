/**
 * The small error vocabulary. Like Koa's `expose`, each kind says whether its message may be shown
 * to the person on the other end; everything else is a bug and is shown only as a generic apology.
 */
export class UserFacingError extends Error {
  readonly expose = true;
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'UserFacingError';
  }
}

/** The actor may not do this. The message is shown; the refusal is worth an audit line. */
export class NotAllowedError extends Error {
  readonly expose = true;
  readonly status = 403;
  constructor(message: string) {
    super(message);
    this.name = 'NotAllowedError';
  }
}

/** WeCom or DingTalk answered with an error: retryable unless `permanent`, never shown to users. */
export class PlatformApiError extends Error {
  readonly expose = false;
  constructor(
    readonly platform: string,
    message: string,
    readonly code?: number | string,
    readonly permanent = false,
  ) {
    super(`${platform}: ${message}${code === undefined ? '' : ` (code ${code})`}`);
    this.name = 'PlatformApiError';
  }
}

/**
 * A send the platform would take but not now (a per-member limit is reached): it is put off until
 * `retryAt`, and that is no failed attempt.
 */
export class SendDeferredError extends PlatformApiError {
  constructor(
    platform: string,
    message: string,
    readonly retryAt: Date,
  ) {
    super(platform, message, 'rate-limited');
    this.name = 'SendDeferredError';
  }
}

export function isExposed(error: unknown): error is Error & { expose: true; status?: number } {
  return error instanceof Error && (error as { expose?: unknown }).expose === true;
}

export const GENERIC_APOLOGY = '抱歉，系统出了点问题，您的输入已保存，请稍后再试；如仍有问题请联系党群工作部。';
