import { systemClock } from '../../clock';
import { createBot } from '../../container';
import { runImportCli } from '../../imports/cli';
import { openConfiguredDatabase } from '../../storage/dataSource';
import { formatMattersReport, importMatters, readMattersFile } from './mattersImport';

/**
 * `npm run matters:import FILE`: 问责事项 from YAML or Excel; exit codes as in src/imports/cli.ts.
 * The bot is built as it runs, so each subject's notice is queued for the channel it would use;
 * the running bot's outbox sends them.
 */
runImportCli({
  usage: '用法：npm run matters:import -- 问责事项文件（.xlsx、.yaml 或 .yml）',
  read: readMattersFile,
  async run(file, config) {
    const db = await openConfiguredDatabase(config, true);
    const bot = await createBot(config, { clock: systemClock, db }).catch(async (error: unknown) => {
      await db.destroy();
      throw error;
    });
    try {
      return formatMattersReport(await importMatters(bot.db, file, bot.clock, { matters: bot.services.matters }));
    } finally {
      await bot.close();
    }
  },
});
