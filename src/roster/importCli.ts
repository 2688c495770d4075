import { existsSync } from 'node:fs';
import { systemClock } from '../clock';
import { ConfigError, loadConfig } from '../config';
import { openDatabase } from '../storage/dataSource';
import { formatReport, importRoster, RosterImportError } from './importRoster';
import { readRosterFile, rosterFormat } from './rosterFile';

const USAGE = '用法：npm run org:import -- 花名册文件（.xlsx、.yaml 或 .yml）';

/**
 * `npm run org:import FILE`: exit 0 when imported, 1 when the file or configuration is wrong (each
 * problem listed, nothing written), 2 when the command itself is misused.
 */
async function main(args: string[]): Promise<number> {
  const [path, ...extra] = args;
  if (!path || extra.length > 0) {
    console.error(USAGE);
    return 2;
  }
  if (!rosterFormat(path)) {
    console.error(`不支持的文件类型：${path}\n${USAGE}`);
    return 2;
  }
  if (!existsSync(path)) {
    console.error(`找不到文件：${path}`);
    return 2;
  }
  try {
    // The file is read before the database is opened, so a bad file is reported without one.
    const roster = await readRosterFile(path);
    const db = await openDatabase(loadConfig().database, true);
    try {
      console.log(formatReport(await importRoster(db, roster, systemClock)));
    } finally {
      await db.destroy();
    }
    return 0;
  } catch (error) {
    if (error instanceof RosterImportError || error instanceof ConfigError) {
      console.error(error.message);
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
