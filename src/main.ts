import type { Server } from 'node:http';
import { ConfigError, loadConfig } from './config';
import { createBot } from './container';
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
  }

  bot.worker.start();
  const server: Server = bot.app.listen(config.port, config.host);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url: base, database: config.database.kind, state: config.redisUrl ? 'redis' : 'memory' }, 'dandang is listening');
  console.log(`\n  担当 is running at ${base}  (health: ${base}/healthz)`);
  console.log(`  管理控制台 (console): ${base}/console/${bot.transcript ? `  (开发登录: ${base}/auth/dev)` : ''}`);
  if (bot.transcript) console.log(`  本地聊天模拟器 (local chat simulator): ${base}/simulator\n`);

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
    server.close(() => {
      bot
        .close()
        .then(() => process.exit(0))
        .catch((error: unknown) => {
          logger.error({ err: error }, 'error while closing');
          process.exit(1);
        });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
