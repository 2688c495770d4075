import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * An error as it may be logged: its kind, code, message and stack. Database errors carry more
 * (TypeORM's `query` and `parameters`, the driver's `sql` with the values filled in), and a
 * person's message travels in those parameters; pino's own serializer copies every property.
 */
export function errorForLog(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: error.message.slice(0, 500),
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    stack: error.stack,
  };
}

/**
 * Structured logs. Message texts, decrypted payloads and secrets must never be passed in: the
 * redaction list is a second line of defence, not the first.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'dandang' },
      serializers: { err: errorForLog },
      redact: {
        paths: ['*.secret', '*.token', '*.aesKey', '*.text', '*.content', '*.access_token', 'req.headers.authorization'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
