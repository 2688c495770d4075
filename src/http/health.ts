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
 * 200 when the database and the state store both answer; 503 naming the one that does not. A 200
 * carries `warnings` when something works but needs an operator: Redis not set up for production
 * (no append-only file, or allowed to evict keys), a missing holiday calendar. Worth an alert, not
 * a failover; they leave the status as it is.
 */
export function healthRoutes(db: DataSource, state: StateStore, warnings: () => Record<string, string> = () => ({})): Router {
  const router = new Router();
  router.get('/healthz', async (ctx) => {
    let stateWarnings: string[] = [];
    const [database, stateStore] = await Promise.all([
      check(() => db.query('SELECT 1'), 2000),
      check(async () => {
        await state.ping();
        stateWarnings = await state.durabilityWarnings();
      }, 2000),
    ]);
    const failing = Object.entries({ database, stateStore }).filter(([, problem]) => problem !== undefined);
    ctx.status = failing.length === 0 ? 200 : 503;
    const warned = { ...warnings(), ...(stateWarnings.length > 0 ? { stateStore: stateWarnings } : {}) };
    ctx.body = {
      ...(failing.length === 0 ? { status: 'ok' } : { status: 'unavailable', failing: Object.fromEntries(failing) }),
      ...(Object.keys(warned).length > 0 ? { warnings: warned } : {}),
    };
  });
  return router;
}
