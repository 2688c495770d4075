import { systemClock } from '../../clock';
import { ConfigError, loadConfig, type Config } from '../../config';
import { PlatformApiError } from '../../errors';
import { createStateStore } from '../../state';
import type { StateStore } from '../../state/stateStore';
import { openConfiguredDatabase } from '../../storage/dataSource';
import { formatSyncReport, syncRoster, type Directory, type DirectoryChannel } from './rosterLink';

export interface SyncCommand {
  usage: string;
  target: DirectoryChannel;
  /** Printed when the messenger's settings are missing. */
  notConfigured: string;
  /** Printed after a platform error: what an administrator usually has to fix. */
  platformAdvice: string;
  /** Reads the directory; undefined when the messenger is not configured. */
  directory(config: Config, state: StateStore): Promise<Directory> | undefined;
}

/**
 * `npm run org:sync-<messenger>`: links roster people to directory members. Exit 0 when done, 1
 * when the messenger or the configuration is wrong (nothing written), 2 when the command itself is
 * misused.
 */
async function run(command: SyncCommand, args: string[]): Promise<number> {
  const dryRun = args.includes('--dry-run');
  if (args.some((a) => a !== '--dry-run')) {
    console.error(command.usage);
    return 2;
  }
  try {
    const config = loadConfig();
    const state = createStateStore(config.redis, systemClock);
    try {
      // The directory is read before the database is opened, so a platform problem changes nothing.
      const reading = command.directory(config, state);
      if (!reading) {
        console.error(command.notConfigured);
        return 1;
      }
      const directory = await reading;
      const db = await openConfiguredDatabase(config, true);
      try {
        console.log(formatSyncReport(await syncRoster(db, directory, systemClock, command.target, { dryRun }), command.target, dryRun));
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
      console.error(`读取${command.target.label}通讯录失败：${error.message}\n${command.platformAdvice}`);
      return 1;
    }
    throw error;
  }
}

export function runSyncCommand(command: SyncCommand, args = process.argv.slice(2)): void {
  run(command, args).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
