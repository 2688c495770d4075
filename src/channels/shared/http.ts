import { PlatformApiError } from '../../errors';

/**
 * One HTTP exchange with a platform, failing as a retryable PlatformApiError when the network or
 * the platform does not answer in time. `label` names the call in messages: never the URL, whose
 * query may carry a token or secret.
 */
export async function platformFetch(platform: string, label: string, url: URL, init: RequestInit, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const e = error as { name?: string; cause?: { code?: string }; message?: string };
    const reason = e.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : (e.cause?.code ?? e.message ?? 'network error');
    throw new PlatformApiError(platform, `${label}: ${reason}`);
  }
}

/** The answer's JSON body; an answer that is not JSON is the network path's doing, so retryable. */
export async function platformJson(platform: string, label: string, response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    throw new PlatformApiError(platform, `${label}: answer is not JSON (HTTP ${response.status})`, response.status);
  }
}
