import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { Clock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import { createBot, type Bot, type Overrides } from '../../src/container';
import { createLogger } from '../../src/logger';
import type { Person } from '../../src/roster/types';
import { RosterRepository } from '../../src/roster/rosterRepository';
import { insert } from '../../src/storage/sql';
import { TEST_DATA_KEYS } from './fieldKeys';

/** A two-person roster written directly, for tests about plumbing rather than the org chart. */
export async function seedTwoPeople(db: DataSource): Promise<{ alice: Person; bob: Person }> {
  const now = '2026-01-01T00:00:00.000Z';
  await insert(db, 'units', { code: 'U1', name: '经济发展局', kind: '机关部门', parent_id: null, created_at: now, updated_at: now });
  const [unit]: { id: number }[] = await db.query(`SELECT id FROM units WHERE code = 'U1'`);
  const person = (code: string, name: string, wecom: string) => ({
    code, name, post: '科员', nature: '行政', unit_id: unit.id, city_managed: 0, wecom_user_id: wecom, dingtalk_user_id: null,
    joined_on: null, left_on: null, created_at: now, updated_at: now,
  });
  await insert(db, 'people', [person('A1', '张三', 'zhangsan'), person('B1', '李四', 'lisi')]);
  const roster = new RosterRepository(db);
  const alice = await roster.personByIdentity({ channel: 'simulator', channelUserId: 'A1' });
  const bob = await roster.personByIdentity({ channel: 'simulator', channelUserId: 'B1' });
  return { alice: alice!, bob: bob! };
}

/** Received files of test bots: content-addressed, so tests sharing the directory never clash. */
export const TEST_FILES_DIR = join(tmpdir(), 'dandang-test-files');

export function testConfig(extra: NodeJS.ProcessEnv = {}) {
  return loadConfig({ NODE_ENV: 'test', SIMULATOR_ENABLED: 'true', LOG_LEVEL: 'silent', FILES_DIR: TEST_FILES_DIR, DATA_ENCRYPTION_KEYS: TEST_DATA_KEYS, ...extra });
}

export async function createTestBot(overrides: Overrides & { db: DataSource; clock: Clock }, env: NodeJS.ProcessEnv = {}): Promise<Bot> {
  return createBot(testConfig(env), { logger: createLogger('silent'), ...overrides });
}
