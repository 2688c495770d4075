import type { DataSource, EntityManager } from 'typeorm';

/** What a statement runs on: the database itself or the manager of a transaction in progress. */
export type Executor = DataSource | EntityManager;

export function isDataSource(ex: Executor): ex is DataSource {
  return 'createQueryRunner' in ex && !('queryRunner' in ex);
}
