import type Router from '@koa/router';
import Koa from 'koa';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { errorHandler, refuseUnknownMethods, requestContext } from './middleware';

/** A Koa app with the middleware every listener has (request ids, errors, methods) and these routes. */
export function webApp(logger: Logger, routers: Router[], metrics?: Metrics): Koa {
  const app = new Koa({ proxy: false });
  // What reaches Koa past the error handler is a connection failing (a client gone mid-body, a
  // broken chunk): logged here, message only, instead of Koa printing its stack to stderr.
  app.on('error', (error: Error) => logger.warn({ reason: error.message }, 'connection failed'));
  app.use(requestContext(logger));
  if (metrics) app.use(metrics.middleware());
  app.use(errorHandler());
  app.use(refuseUnknownMethods());
  for (const router of routers) app.use(router.routes()).use(router.allowedMethods());
  return app;
}
