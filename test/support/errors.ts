import { expect } from 'vitest';
import { CallbackRefused } from '../../src/channels/shared/callbackRefused';
import { PlatformApiError } from '../../src/errors';

/** The CallbackRefused that `run` throws; fails the test when it throws nothing or something else. */
export function refusal(run: () => unknown): CallbackRefused {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CallbackRefused);
    return error as CallbackRefused;
  }
  throw new Error('expected a refusal');
}

/** The PlatformApiError `promise` rejects with; fails the test when it resolves or rejects otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<PlatformApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PlatformApiError);
  return error as PlatformApiError;
}
