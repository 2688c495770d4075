import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * A message without the values a database quotes in it ("Incorrect integer value: '…' for column",
 * "Duplicate entry '…' for key"): what a person typed may be one of them. The names of columns,
 * keys and tables stay, as they say what went wrong.
 */
export function withoutQuotedValues(message: string): string {
  return message.replace(/(?<!(?:column|key|table|database|index|constraint)\s)'(?:[^'\\]|\\.)*'/gi, "'…'");
}

/** An error's message as it may go into a log line or an error column. */
export function reasonOf(error: unknown): string {
  return withoutQuotedValues(error instanceof Error ? error.message : String(error)).slice(0, 500);
}

/**
 * An error as it may be logged: its kind, code, message and stack. Database errors carry more
 * (TypeORM's `query` and `parameters`, the driver's `sql` with the values filled in), and a
 * person's message travels in those parameters; pino's own serializer copies every property. The
 * message, also the stack's first line, loses any value the database quoted.
 */
export function errorForLog(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  const stack = error.stack?.split('\n');
  return {
    type: error.name,
    message: reasonOf(error),
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    stack: stack && [`${error.name}: ${reasonOf(error)}`, ...stack.filter((line) => /^\s+at /.test(line))].join('\n'),
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
