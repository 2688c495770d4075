import { systemClock } from '../clock';
import { AuditLog } from '../domain/audit';
import { operatorName, runImportCli } from '../imports/cli';
import { RosterRepository } from '../roster/rosterRepository';
import { openConfiguredDatabase } from '../storage/dataSource';
import { readCalendarFile } from './calendarFile';
import { formatCalendarReport } from './report';
import { WorkingCalendar } from './workingCalendar';

/**
 * `npm run calendar:import FILE`: a year's holidays and make-up working days from YAML or Excel;
 * exit codes as in src/imports/cli.ts. Running bots pick the change up at their next pass.
 */
runImportCli({
  usage: '用法：npm run calendar:import -- 节假日安排文件（.xlsx、.yaml 或 .yml）',
  read: readCalendarFile,
  async run(file, config) {
    const db = await openConfiguredDatabase(config, true);
    try {
      const calendar = new WorkingCalendar(db, { audit: new AuditLog(systemClock), clock: systemClock, roster: new RosterRepository(db) });
      const reports = await calendar.load(file.arrangements, { actor: null, channel: 'import', source: `${file.source}，${operatorName()}` });
      return formatCalendarReport(reports);
    } finally {
      await db.destroy();
    }
  },
});
