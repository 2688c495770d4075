import { userInfo } from 'node:os';
import { systemClock } from '../clock';
import { AuditLog } from '../domain/audit';
import { runImportCli } from '../imports/cli';
import { RosterRepository } from '../roster/rosterRepository';
import { openDatabase } from '../storage/dataSource';
import { readCalendarFile } from './calendarFile';
import { formatCalendarReport } from './report';
import { WorkingCalendar } from './workingCalendar';

/** The operator, for the audit line: the command runs on the server, outside any chat identity. */
function operator(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/**
 * `npm run calendar:import FILE`: a year's holidays and make-up working days from YAML or Excel;
 * exit codes as in src/imports/cli.ts. Running bots pick the change up at their next pass.
 */
runImportCli({
  usage: '用法：npm run calendar:import -- 节假日安排文件（.xlsx、.yaml 或 .yml）',
  read: readCalendarFile,
  async run(file, config) {
    const db = await openDatabase(config.database, true);
    try {
      const calendar = new WorkingCalendar(db, { audit: new AuditLog(systemClock), clock: systemClock, roster: new RosterRepository(db) });
      const reports = await calendar.load(file.arrangements, { actor: null, channel: 'import', source: `${file.source}（${operator()}）` });
      return formatCalendarReport(reports);
    } finally {
      await db.destroy();
    }
  },
});
