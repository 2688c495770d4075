import Router from '@koa/router';
import type { DataSource } from 'typeorm';
import type { StateStore } from '../state/stateStore';

async function check(part: () => Promise<unknown>, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      part(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), timeoutMs))),
    ]);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * 200 when the database and the state store both answer; 503 naming the one that does not.
 * `warnings` are things an operator should see to that do not stop the bot (a missing holiday
 * calendar): listed beside the status, which they leave as it is.
 */
export function healthRoutes(db: DataSource, state: StateStore, warnings: () => Record<string, string> = () => ({})): Router {
  const router = new Router();
  router.get('/healthz', async (ctx) => {
    const [database, stateStore] = await Promise.all([
      check(() => db.query('SELECT 1'), 2000),
      check(() => state.ping(), 2000),
    ]);
    const failing = Object.entries({ database, stateStore }).filter(([, problem]) => problem !== undefined);
    ctx.status = failing.length === 0 ? 200 : 503;
    const warned = warnings();
    ctx.body = {
      ...(failing.length === 0 ? { status: 'ok' } : { status: 'unavailable', failing: Object.fromEntries(failing) }),
      ...(Object.keys(warned).length > 0 ? { warnings: warned } : {}),
    };
  });
  return router;
}
