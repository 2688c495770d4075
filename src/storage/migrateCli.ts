import { loadConfig } from '../config';
import { createDataSource } from './dataSource';

/** `npm run migrate`: applies pending migrations to the configured database and lists them. */
async function main(): Promise<void> {
  const db = createDataSource(loadConfig().database);
  await db.initialize();
  try {
    const applied = await db.runMigrations();
    console.log(applied.length === 0 ? '数据库已是最新 (nothing to migrate)' : applied.map((m) => `applied ${m.name}`).join('\n'));
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
