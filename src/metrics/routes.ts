import Router from '@koa/router';
import type { Context } from 'koa';
import type { Metrics } from './metrics';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const FORWARDED = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/**
 * Only a scraper on this host may read the metrics unless METRICS_PUBLIC=true. A request that a
 * reverse proxy on this host passed on also arrives from loopback, so one carrying a forwarding
 * header counts as from outside. Anyone else gets a plain 404: the endpoint is not advertised.
 */
export function fromLoopback(ctx: Context): boolean {
  const peer = ctx.req.socket.remoteAddress ?? '';
  return LOOPBACK.has(peer) && !FORWARDED.some((header) => ctx.get(header) !== '');
}

/** GET /metrics in Prometheus's text format. */
export function metricsRoutes(metrics: Metrics, options: { public: boolean }): Router {
  const router = new Router();
  router.get('/metrics', async (ctx) => {
    if (!options.public && !fromLoopback(ctx)) {
      ctx.status = 404;
      ctx.body = { error: 'not found' };
      return;
    }
    const { contentType, body } = await metrics.exposition();
    ctx.set('cache-control', 'no-store');
    ctx.type = contentType;
    ctx.body = body;
  });
  return router;
}
