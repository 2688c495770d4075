import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs. Message texts, decrypted payloads and secrets must never be passed in: the
 * redaction list is a second line of defence, not the first.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'dandang' },
      redact: {
        paths: ['*.secret', '*.token', '*.aesKey', '*.text', '*.content', '*.access_token', 'req.headers.authorization'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
