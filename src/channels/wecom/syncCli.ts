import { systemClock } from '../../clock';
import { ConfigError, loadConfig } from '../../config';
import { PlatformApiError } from '../../errors';
import { createLogger } from '../../logger';
import { createStateStore } from '../../state';
import { openDatabase } from '../../storage/dataSource';
import { WecomApi } from './api';
import { fetchDirectory, formatSyncReport, syncRoster } from './rosterSync';

const USAGE = '用法：npm run org:sync-wecom [-- --dry-run]';

/**
 * `npm run org:sync-wecom`: links roster people to WeCom members. Exit 0 when done, 1 when WeCom
 * or the configuration is wrong (nothing written), 2 when the command itself is misused.
 */
async function main(args: string[]): Promise<number> {
  const dryRun = args.includes('--dry-run');
  if (args.some((a) => a !== '--dry-run')) {
    console.error(USAGE);
    return 2;
  }
  try {
    const config = loadConfig();
    if (!config.wecom) {
      console.error('未配置企业微信：请先设置 WECOM_CORP_ID、WECOM_AGENT_ID、WECOM_SECRET 等（见 .env.example）。');
      return 1;
    }
    const state = createStateStore(config.redisUrl, systemClock);
    try {
      // The directory is read before the database is opened, so a WeCom problem changes nothing.
      const directory = await fetchDirectory(new WecomApi(config.wecom, state, createLogger('warn')));
      const db = await openDatabase(config.database, true);
      try {
        console.log(formatSyncReport(await syncRoster(db, directory, systemClock, { dryRun }), dryRun));
      } finally {
        await db.destroy();
      }
    } finally {
      await state.close();
    }
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    if (error instanceof PlatformApiError) {
      console.error(`读取企业微信通讯录失败：${error.message}\n请确认应用的可见范围包含要同步的部门，且服务器 IP 在企业可信 IP 中。`);
      return 1;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
