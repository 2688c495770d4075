import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { Clock } from '../../clock';
import { AuditLog } from '../audit';
import { importLedgerFile, type LedgerReport } from './importLedger';

/** The fictional 考核结果 of the sample roster's people, 2024–2026, shipped for the quick start and the tests. */
export const SAMPLE_LEDGER: readonly { year: number; path: string }[] = [
  { year: 2024, path: join(__dirname, 'samples', '2024.yaml') },
  { year: 2025, path: join(__dirname, 'samples', '2025.yaml') },
  { year: 2026, path: join(__dirname, 'samples', '2026.xlsx') },
];

export async function importSampleLedger(db: DataSource, clock: Clock): Promise<LedgerReport[]> {
  const reports: LedgerReport[] = [];
  for (const { year, path } of SAMPLE_LEDGER) reports.push(await importLedgerFile(db, year, path, { clock, audit: new AuditLog(clock) }));
  return reports;
}
