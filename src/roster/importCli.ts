import { systemClock } from '../clock';
import { runImportCli } from '../imports/cli';
import { openConfiguredDatabase } from '../storage/dataSource';
import { formatReport, importRoster } from './importRoster';
import { readRosterFile } from './rosterFile';

/** `npm run org:import FILE`: the roster from YAML or Excel; exit codes as in src/imports/cli.ts. */
runImportCli({
  usage: '用法：npm run org:import -- 花名册文件（.xlsx、.yaml 或 .yml）',
  read: readRosterFile,
  async run(roster, config) {
    const db = await openConfiguredDatabase(config, true);
    try {
      return formatReport(await importRoster(db, roster, systemClock));
    } finally {
      await db.destroy();
    }
  },
});
