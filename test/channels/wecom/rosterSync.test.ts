import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createWecomChannel } from '../../../src/channels/wecom';
import { loadWecomConfig } from '../../../src/channels/wecom/config';
import { fetchDirectory, formatSyncReport, syncRoster } from '../../../src/channels/wecom/rosterSync';
import { createLogger } from '../../../src/logger';
import { MemoryStateStore } from '../../../src/state/memoryStateStore';
import { insert } from '../../../src/storage/sql';
import { databaseBackends, testClock } from '../../support/backends';
import { FakeWecom } from '../../support/fakeWecom';
import { AGENT_ID, SAMPLE, SECRET, wecomEnv } from './callbacks';

const at = '2026-01-01T00:00:00.000Z';

async function seedRoster(db: DataSource): Promise<void> {
  await insert(db, 'units', [
    { code: 'JF', name: '经济发展局', kind: '机关部门', parent_id: null, created_at: at, updated_at: at },
    { code: 'DQ', name: '党群工作部', kind: '机关部门', parent_id: null, created_at: at, updated_at: at },
  ]);
  const units: { id: number; code: string }[] = await db.query('SELECT id, code FROM units');
  const unit = (code: string) => units.find((u) => u.code === code)!.id;
  const person = (code: string, name: string, unitCode: string, wecom: string | null) => ({
    code, name, post: '科员', nature: '行政', unit_id: unit(unitCode), city_managed: 0, wecom_user_id: wecom,
    dingtalk_user_id: null, joined_on: null, left_on: null, created_at: at, updated_at: at,
  });
  await insert(db, 'people', [
    person('P1', '张三', 'JF', null),
    person('P2', '李四', 'JF', 'lisi'),
    person('P3', '王芳', 'JF', null),
    person('P4', '王芳', 'DQ', null),
    person('P5', '赵六', 'DQ', null),
    person('P6', '钱七', 'JF', 'qianqi-old'),
    person('P7', '周九', 'JF', null),
  ]);
  const [p2]: { id: number }[] = await db.query(`SELECT id FROM people WHERE code = 'P2'`);
  await insert(db, 'role_assignments', { person_id: p2.id, role: 'partySecretary', unit_id: unit('JF'), created_at: at });
}

describe.each(databaseBackends)('the WeCom roster sync on $name', (backend) => {
  let db: DataSource;
  let dispose: () => Promise<void>;
  let fake: FakeWecom;

  const wecomIds = async () =>
    Object.fromEntries(
      (await db.query('SELECT code, wecom_user_id FROM people ORDER BY code')).map((r: { code: string; wecom_user_id: string | null }) => [r.code, r.wecom_user_id]),
    );
  const sync = async (dryRun = false) => {
    const clock = testClock();
    const { api } = createWecomChannel(loadWecomConfig(wecomEnv(fake))!, { state: new MemoryStateStore(clock), clock, logger: createLogger('silent') });
    return syncRoster(db, await fetchDirectory(api), clock, { dryRun });
  };

  beforeEach(async () => {
    ({ db, dispose } = await backend.open());
    await seedRoster(db);
    fake = await new FakeWecom(SAMPLE.corpId, SECRET, AGENT_ID).start();
    fake.departments = [
      { id: 1, name: '澄港开发区', parentid: 0 },
      { id: 2, name: '经济发展局', parentid: 1 },
      { id: 3, name: '党群工作部', parentid: 1 },
    ];
    fake.members = [
      { userid: 'zhangsan', name: '张三', department: [2] },
      { userid: 'lisi', name: '李四', department: [2] },
      { userid: 'wangfang01', name: '王芳', department: [2] },
      { userid: 'wangfang02', name: '王芳', department: [3] },
      { userid: 'zhang3', name: '张三', department: [3] },
      { userid: 'sunba', name: '孙八', department: [2] },
      { userid: 'zhoujiu', name: '周九', department: [2] },
      { userid: 'zhoujiu2', name: '周九', department: [1, 2] },
    ];
  });
  afterEach(async () => {
    await fake.close();
    await dispose();
  });

  it('links by name and department, keeps explicit ids, reports the rest, and deletes nothing', async () => {
    const report = await sync();

    expect(report.linked).toEqual([
      { code: 'P1', name: '张三', userid: 'zhangsan' },
      { code: 'P3', name: '王芳', userid: 'wangfang01' },
      { code: 'P4', name: '王芳', userid: 'wangfang02' },
    ]);
    expect(report.alreadyLinked).toBe(1);
    expect(report.unmatched.map((u) => [u.userid, u.reason])).toEqual([
      ['sunba', '名册中没有尚未关联企业微信的同名人员'],
      ['zhang3', '名册中有同名人员，但所在单位与企业微信部门不符'],
      ['zhoujiu', '企业微信中有多名同名同部门成员，请在名册“企业微信ID”列中指定'],
      ['zhoujiu2', '企业微信中有多名同名同部门成员，请在名册“企业微信ID”列中指定'],
    ]);
    expect(report.notInDirectory).toEqual([{ code: 'P6', name: '钱七', userid: 'qianqi-old' }]);
    expect(report.stillUnlinked).toEqual([
      { code: 'P5', name: '赵六' },
      { code: 'P7', name: '周九' },
    ]);

    expect(await wecomIds()).toEqual({ P1: 'zhangsan', P2: 'lisi', P3: 'wangfang01', P4: 'wangfang02', P5: null, P6: 'qianqi-old', P7: null });
    expect(Number((await db.query('SELECT COUNT(*) AS n FROM people'))[0].n)).toBe(7);
    expect(Number((await db.query('SELECT COUNT(*) AS n FROM role_assignments'))[0].n)).toBe(1);
    const audit: { action: string; subject: string }[] = await db.query('SELECT action, subject FROM audit_log ORDER BY id');
    expect(audit).toEqual(['P1', 'P3', 'P4'].map((code) => ({ action: 'roster.wecom_linked', subject: `person:${code}` })));

    const text = formatSyncReport(report);
    expect(text).toContain('新关联 3 人，原已关联 1 人，未能匹配的企业微信成员 4 人');
    expect(text).toContain('钱七 → qianqi-old');
    expect(fake.tokenRequests()).toBe(1);
    expect(fake.calls('/cgi-bin/user/list').map((r) => r.query.department_id)).toEqual(['1', '2', '3']);
  });

  it('is idempotent: a second run links nothing new', async () => {
    await sync();
    const again = await sync();
    expect(again.linked).toEqual([]);
    expect(again.alreadyLinked).toBe(4);
  });

  it('writes nothing on a dry run', async () => {
    const report = await sync(true);
    expect(report.linked).toHaveLength(3);
    expect(formatSyncReport(report, true)).toMatch(/^（试运行/);
    expect(await wecomIds()).toMatchObject({ P1: null, P3: null, P4: null });
    expect(Number((await db.query('SELECT COUNT(*) AS n FROM audit_log'))[0].n)).toBe(0);
  });
});
