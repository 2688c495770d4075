import type { z } from 'zod';
import { ConfigError } from '../../config';

/**
 * A messenger is on exactly when its `switchKey` variable is set. Any other variable with its
 * prefix without it is a half-done configuration and fails the start instead of silently leaving
 * the channel off; every missing or malformed one is named with what it should be.
 */
export function channelSettings<T extends z.ZodType>(environment: NodeJS.ProcessEnv, prefix: string, switchKey: string, schema: T): z.infer<T> | undefined {
  const present = Object.fromEntries(Object.entries(environment).filter(([key, value]) => key.startsWith(prefix) && value !== undefined && value !== ''));
  if (Object.keys(present).length === 0) return undefined;
  if (!present[switchKey]) {
    throw new ConfigError([`${switchKey}: required when other ${prefix}* settings are set (${Object.keys(present).join(', ')})`]);
  }
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = issue.path.join('.');
        return `${key}: ${present[key] === undefined ? `required when ${switchKey} is set` : issue.message}`;
      }),
    );
  }
  return parsed.data;
}
