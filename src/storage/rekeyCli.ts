import { parseArgs } from 'node:util';
import { systemClock } from '../clock';
import { loadConfig } from '../config';
import { AuditLog } from '../domain/audit';
import { openConfiguredDatabase } from './dataSource';
import { rekey } from './rekey';

/**
 * `npm run data:rekey [-- --batch 200]`: reseals every confidential value with the current key
 * (the first of DATA_ENCRYPTION_KEYS) and writes one audit line. Safe to stop and run again.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { batch: { type: 'string', default: '200' } } });
  const batchSize = Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new Error('--batch 应为 1 到 10000 的整数 (rows per transaction)');
  const db = await openConfiguredDatabase(loadConfig(), true);
  try {
    const report = await rekey(db, new AuditLog(systemClock), {
      batchSize,
      progress: (table, lastKey, resealed) => console.log(`  ${table}: up to ${lastKey}, ${resealed} resealed`),
    });
    console.log(`已用密钥 ${report.keyId} 重新加密 (resealed with key ${report.keyId}):`);
    for (const [table, { rows, values }] of Object.entries(report.tables)) console.log(`  ${table}: ${rows} rows, ${values} values resealed`);
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
