import Router from '@koa/router';
import type { Metrics } from './metrics';

/**
 * GET /metrics in Prometheus's text format. It is served on the admin listener only (ADMIN_PORT,
 * bound to this host unless ADMIN_HOST says otherwise), never on the port a reverse proxy forwards.
 */
export function metricsRoutes(metrics: Metrics): Router {
  const router = new Router();
  router.get('/metrics', async (ctx) => {
    const { contentType, body } = await metrics.exposition();
    ctx.set('cache-control', 'no-store');
    ctx.type = contentType;
    ctx.body = body;
  });
  return router;
}
