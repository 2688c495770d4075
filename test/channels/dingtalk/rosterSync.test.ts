import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { DingtalkApi } from '../../../src/channels/dingtalk/api';
import { loadDingtalkConfig } from '../../../src/channels/dingtalk/config';
import { DINGTALK_DIRECTORY, fetchDirectory } from '../../../src/channels/dingtalk/rosterSync';
import { formatSyncReport, syncRoster } from '../../../src/channels/shared/rosterLink';
import { createLogger } from '../../../src/logger';
import { MemoryStateStore } from '../../../src/state/memoryStateStore';
import { insert } from '../../../src/storage/sql';
import { databaseBackends, testClock } from '../../support/backends';
import { FakeDingtalk } from '../../support/fakeDingtalk';
import { APP_KEY, APP_SECRET, dingtalkEnv, ROBOT_CODE } from './callbacks';

const at = '2026-01-01T00:00:00.000Z';

async function seedRoster(db: DataSource): Promise<void> {
  await insert(db, 'units', [
    { code: 'KFQ', name: '澄港开发区', kind: '机关部门', parent_id: null, created_at: at, updated_at: at },
    { code: 'JF', name: '经济发展局', kind: '机关部门', parent_id: null, created_at: at, updated_at: at },
    { code: 'ZS', name: '招商服务中心', kind: '事业单位', parent_id: null, created_at: at, updated_at: at },
  ]);
  const units: { id: number; code: string }[] = await db.query('SELECT id, code FROM units');
  const person = (code: string, name: string, unitCode: string, dingtalk: string | null) => ({
    code, name, post: '科员', nature: '行政', unit_id: units.find((u) => u.code === unitCode)!.id, city_managed: 0, wecom_user_id: null,
    dingtalk_user_id: dingtalk, joined_on: null, left_on: null, created_at: at, updated_at: at,
  });
  await insert(db, 'people', [
    person('P1', '陈建国', 'KFQ', null),
    person('P2', '刘洋', 'JF', null),
    person('P3', '王芳', 'ZS', null),
    person('P4', '赵六', 'JF', '0167200099'),
    person('P5', '孙八', 'JF', null),
  ]);
}

describe.each(databaseBackends)('the DingTalk roster sync on $name', (backend) => {
  let db: DataSource;
  let dispose: () => Promise<void>;
  let fake: FakeDingtalk;
  const dingtalkIds = async () =>
    Object.fromEntries((await db.query('SELECT code, dingtalk_user_id FROM people ORDER BY code')).map((r: { code: string; dingtalk_user_id: string | null }) => [r.code, r.dingtalk_user_id]));
  const sync = async (dryRun = false) => {
    const clock = testClock();
    const api = new DingtalkApi(loadDingtalkConfig(dingtalkEnv(fake))!, new MemoryStateStore(clock), createLogger('silent'));
    return syncRoster(db, await fetchDirectory(api), clock, DINGTALK_DIRECTORY, { dryRun });
  };

  beforeEach(async () => {
    ({ db, dispose } = await backend.open());
    await seedRoster(db);
    fake = await new FakeDingtalk(APP_KEY, APP_SECRET, ROBOT_CODE).start();
    fake.departments = [
      { dept_id: 1, name: '澄港开发区', parent_id: 0 },
      { dept_id: 10, name: '经济发展局', parent_id: 1 },
      { dept_id: 20, name: '开发区直属事业单位', parent_id: 1 },
      { dept_id: 21, name: '招商服务中心', parent_id: 20 },
    ];
    fake.users = [
      { userid: '0167200001', name: '陈建国', dept_id_list: [1] },
      { userid: '0167200002', name: '刘洋', dept_id_list: [10] },
      { userid: '0167200003', name: '王芳', dept_id_list: [21] },
      { userid: '0167200004', name: '孙八', dept_id_list: [21] },
      { userid: '0167200005', name: '周九', dept_id_list: [10, 21] },
    ];
    fake.pageLimit = 1;
  });
  afterEach(async () => {
    await fake.close();
    await dispose();
  });

  it('walks the tree one level at a time, pages through members, links by name and department, and deletes nothing', async () => {
    const report = await sync();
    expect(fake.calls('/topapi/v2/department/listsub').map((r) => r.body.dept_id)).toEqual([1, 10, 20, 21]);
    expect(fake.calls('/topapi/v2/user/list').filter((r) => r.body.dept_id === 21).map((r) => r.body.cursor)).toEqual([0, 1, 2]);
    expect(report.linked).toEqual([
      { code: 'P1', name: '陈建国', userid: '0167200001' },
      { code: 'P2', name: '刘洋', userid: '0167200002' },
      { code: 'P3', name: '王芳', userid: '0167200003' },
    ]);
    expect(report.unmatched.map((u) => [u.userid, u.reason])).toEqual([
      ['0167200004', '名册中有同名人员，但所在单位与钉钉部门不符'],
      ['0167200005', '名册中没有尚未关联钉钉的同名人员'],
    ]);
    expect(report.notInDirectory).toEqual([{ code: 'P4', name: '赵六', userid: '0167200099' }]);
    expect(await dingtalkIds()).toEqual({ P1: '0167200001', P2: '0167200002', P3: '0167200003', P4: '0167200099', P5: null });
    const audit: { action: string; channel: string }[] = await db.query('SELECT action, channel FROM audit_log ORDER BY id');
    expect(audit).toEqual(Array(3).fill({ action: 'roster.dingtalk_linked', channel: 'dingtalk' }));
    expect(formatSyncReport(report, DINGTALK_DIRECTORY)).toContain('新关联 3 人，原已关联 0 人，未能匹配的钉钉成员 2 人');
    expect(fake.tokenRequests()).toBe(1);
  });

  it('links nothing new on a second run, and writes nothing on a dry run', async () => {
    expect((await sync(true)).linked).toHaveLength(3);
    expect(await dingtalkIds()).toMatchObject({ P1: null, P2: null, P3: null });
    await sync();
    const again = await sync();
    expect(again.linked).toEqual([]);
    expect(again.alreadyLinked).toBe(3);
  });
});
