import type { DataSource } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bot } from '../../src/container';
import { importRosterFile } from '../../src/roster/importRoster';
import { SAMPLE_ROSTER_PATH } from '../../src/roster/sampleRoster';
import { isWorkingDay } from '../../src/scheduling/workdays';
import { openDatabase } from '../../src/storage/dataSource';
import { testCipher } from '../support/fieldKeys';
import { databaseBackends, testClock } from '../support/backends';
import { runScript, sharedDatabase } from '../support/cli';
import { createTestBot } from '../support/fixtures';
import { scratchFolder, tablesOf } from '../support/importFiles';

const CLI = 'src/calendar/importCli.ts';
const SAMPLE = 'src/calendar/sampleCalendar.yaml';

/**
 * `npm run calendar:import` is another process writing the database a running bot reads: the bot
 * sees the new year at its next pass, by the calendar's version, without a restart.
 */
describe.each(databaseBackends)('npm run calendar:import beside a running bot, on $name', (backend) => {
  let shared: Awaited<ReturnType<typeof sharedDatabase>>;
  let db: DataSource;
  let bot: Bot;
  let files: ReturnType<typeof scratchFolder>;

  beforeEach(async () => {
    shared = await sharedDatabase(backend);
    db = await openDatabase(shared.config, true, testCipher);
    const clock = testClock('2026-12-17T03:00:00.000Z');
    await importRosterFile(db, SAMPLE_ROSTER_PATH, clock);
    bot = await createTestBot({ db, clock });
    files = scratchFolder('calendar-cli-');
  });
  afterEach(async () => {
    await bot.close();
    await shared.drop();
    files.remove();
  });

  const tables = () => tablesOf(db, ['calendar_loads', 'calendar_days', 'audit_log']);

  it('loads the file, prints what it did, and the running bot computes with it from its next pass on', async () => {
    await bot.scheduler.runDue();
    expect(isWorkingDay('2027-02-08')).toBe(true);

    const run = await runScript(CLI, [SAMPLE], shared.url);

    expect(run).toMatchObject({ code: 0, stdout: '2027 年：已载入放假 29 天、调休上班 5 天，代替仅按周一至周五计算。\n' });
    // This process has not looked yet; its next pass does, and moves January's talk reminder off 元旦.
    expect(isWorkingDay('2027-02-08')).toBe(true);
    await bot.scheduler.runDue();
    expect(isWorkingDay('2027-02-08')).toBe(false);
    expect(await db.query(`SELECT unique_key FROM scheduled_jobs WHERE kind = 'talk-reminders' AND status = 'pending'`)).toEqual([{ unique_key: 'talk-reminders:2027-01-04' }]);
    const [line] = await db.query(`SELECT actor_id, channel, detail FROM audit_log WHERE action = 'calendar.loaded'`);
    expect(line).toMatchObject({ actor_id: null, channel: 'import' });
    expect(JSON.parse(line.detail).source).toMatch(/^sampleCalendar\.yaml，服务器用户 .+$/);
  });

  it('exits 1 naming each bad row, and 2 when misused, writing nothing either way', async () => {
    const before = await tables();
    const bad = files.yaml('bad.yaml', 'days', [{ 年度: 2027, 节日: '春节', 类型: '放假', 日期: '2027-02-30' }]);

    const refused = await runScript(CLI, [bad], shared.url);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('节假日安排有 1 处问题，未导入任何数据：\n  days 第1条：日期“2027-02-30”不是有效日期');

    const misuse = await runScript(CLI, [], shared.url);
    expect(misuse.code).toBe(2);
    expect(misuse.stderr).toContain('用法：npm run calendar:import -- 节假日安排文件（.xlsx、.yaml 或 .yml）');
    expect(await tables()).toBe(before);
  });
});
