import { systemClock } from '../../clock';
import { importMain } from '../../imports/cli';
import { openConfiguredDatabase } from '../../storage/dataSource';
import { AuditLog } from '../audit';
import { formatLedgerReport, importLedger } from './importLedger';
import { readLedgerFile } from './ledgerFile';

const USAGE = '用法：npm run assessment:import -- 考核年度 考核结果表（.xlsx、.yaml 或 .yml），例如：npm run assessment:import -- 2026 考核结果2026.xlsx';

/** `npm run assessment:import -- 2026 FILE`: one year's 考核结果; exit codes as in src/imports/cli.ts. */
export async function assessmentImportMain(args: string[]): Promise<number> {
  const [yearText, ...rest] = args;
  if (!/^\d{4}$/.test(yearText ?? '')) {
    console.error(USAGE);
    return 2;
  }
  const year = Number(yearText);
  return importMain(
    {
      usage: USAGE,
      read: readLedgerFile,
      async run(file, config) {
        const db = await openConfiguredDatabase(config, true);
        try {
          return formatLedgerReport(await importLedger(db, year, file, { clock: systemClock, audit: new AuditLog(systemClock) }));
        } finally {
          await db.destroy();
        }
      },
    },
    rest,
  );
}

if (require.main === module) {
  assessmentImportMain(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
