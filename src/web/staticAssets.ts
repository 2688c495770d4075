import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import Router from '@koa/router';
import type { Context } from 'koa';
import { readCookie } from './cookies';
import { contentSecurityPolicy, newNonce } from './securityHeaders';
import type { WebDeps } from './webDeps';

/**
 * Where `npm run web:build` (Vite) writes the console: dist/web beside src/, whether this runs from
 * src/ (tsx) or from the compiled dist/src/.
 */
export const WEB_ASSETS = [resolve(__dirname, '../../dist/web'), resolve(__dirname, '../../web')].find((dir) => existsSync(join(dir, 'console', 'index.html'))) ?? resolve(__dirname, '../../dist/web');

const TYPES: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * The console's files. Hashed assets are cached for a year and sent precompressed (the build
 * writes .br and .gz beside each); the page itself is never cached, needs a session (else
 * /login), and carries the console's CSP (scripts of this origin only).
 */
export function consoleRoutes(deps: WebDeps, root = WEB_ASSETS): Router {
  const router = new Router();
  const assets = join(root, 'console', 'assets');

  router.get('/console/assets/{*file}', async (ctx) => {
    const name = normalize(String(ctx.params.file ?? ''));
    const path = join(assets, name);
    if (!path.startsWith(assets + sep) || !TYPES[extname(path)]) return notFound(ctx);
    const encodings = ctx.acceptsEncodings('br', 'gzip', 'identity');
    for (const [encoding, suffix] of [['br', '.br'], ['gzip', '.gz']] as const) {
      if (encodings === encoding && (await exists(path + suffix))) {
        ctx.set('content-encoding', encoding);
        return send(ctx, path + suffix, extname(path));
      }
    }
    if (!(await exists(path))) return notFound(ctx);
    await send(ctx, path, extname(path));
  });

  router.get(['/console', '/console/{*page}'], async (ctx) => {
    const session = await deps.sessions.get(readCookie(ctx, deps.cookies, 'session'));
    if (!session) return ctx.redirect(`/login?next=${encodeURIComponent(ctx.path)}`);
    let html: string;
    try {
      html = await readFile(join(root, 'console', 'index.html'), 'utf8');
    } catch {
      ctx.status = 503;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = '控制台页面尚未构建：请运行 npm run web:build。';
      return;
    }
    ctx.set('content-security-policy', contentSecurityPolicy(newNonce(), { inlineStyles: true }));
    ctx.set('cache-control', 'no-store');
    ctx.type = 'html';
    ctx.body = html;
  });
  return router;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

async function send(ctx: Context, path: string, ext: string): Promise<void> {
  ctx.type = TYPES[ext];
  ctx.set('cache-control', 'public, max-age=31536000, immutable');
  ctx.vary('accept-encoding');
  ctx.body = await readFile(path);
}

function notFound(ctx: Context): void {
  ctx.status = 404;
  ctx.body = { error: 'not found' };
}
