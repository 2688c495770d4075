import type { Server } from 'node:http';
import type Koa from 'koa';
import { ConfigError, loadConfig } from './config';
import { createBot } from './container';
import { importSampleLedger } from './domain/assessment/sampleLedger';
import { importRosterFile } from './roster/importRoster';
import { RosterRepository } from './roster/rosterRepository';
import { SAMPLE_ROSTER_PATH } from './roster/sampleRoster';

async function main(): Promise<void> {
  const config = loadConfig();
  const bot = await createBot(config);
  const { logger } = bot;

  if (config.loadSampleRoster && (await new RosterRepository(bot.db).counts()).people === 0) {
    await importRosterFile(bot.db, SAMPLE_ROSTER_PATH, bot.clock);
    const counts = await new RosterRepository(bot.db).counts();
    console.log(`  已载入示例名册 (sample roster loaded): ${counts.units} 个单位, ${counts.people} 人, ${counts.roles} 个角色`);
    const ledger = await importSampleLedger(bot.db, bot.clock);
    console.log(`  已载入示例考核结果 (sample 考核 ledger loaded): ${ledger.map((r) => r.year).join('、')} 年度`);
  }

  bot.worker.start();
  const main = await listen(bot.app, config.port, config.host);
  const admin = await listen(bot.adminApp, config.admin.port, config.admin.host);
  logger.info({ url: main.base, admin: admin.base, database: config.database.kind, state: config.redis ? `redis (${config.redis.kind})` : 'memory' }, 'dandang is listening');
  console.log(`\n  担当 is running at ${main.base}  (health: ${main.base}/healthz)`);
  console.log(`  管理控制台 (console): ${main.base}/console/${bot.transcript && config.env !== 'production' ? `  (开发登录: ${admin.base}/auth/dev)` : ''}`);
  console.log(`  管理端口 (admin: metrics, simulator) on this host: ${admin.base}/metrics`);
  if (bot.transcript) console.log(`  本地聊天模拟器 (local chat simulator): ${admin.base}/simulator\n`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new requests, finishing work in flight');
    const force = setTimeout(() => {
      logger.error('graceful shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownGraceMs);
    force.unref();
    admin.server.close();
    admin.server.closeIdleConnections();
    main.server.close(() => {
      bot
        .close()
        .then(() => process.exit(0))
        .catch((error: unknown) => {
          logger.error({ err: error }, 'error while closing');
          process.exit(1);
        });
    });
    main.server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

async function listen(app: Koa, port: number, host: string): Promise<{ server: Server; base: string }> {
  const server: Server = app.listen(port, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return { server, base: `http://${host.includes(':') ? `[${host}]` : host}:${bound}` };
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
