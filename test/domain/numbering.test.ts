import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseKind } from '../../src/domain/workflow/types';
import { databaseBackends, stateBackends } from '../support/backends';
import { testCipher } from '../support/fieldKeys';
import { openChat, type Chat } from '../support/chat';
import { applyForTolerance } from '../support/toleranceDialogue';

/**
 * Each register (RC 容错免责申请, FB 备案, QM 澄清正名, PF 批复, WZ 问责事项 …) counts on its own,
 * from 1 each year, with no gaps and no number given twice, however many people submit at once.
 */
describe.each(databaseBackends)('numbers of each register ($name)', (database) => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await openChat(database, stateBackends[0]);
  });
  afterEach(async () => chat.close());

  const numbers = async (prefix: string): Promise<string[]> =>
    ((await chat.db.query('SELECT number FROM cases WHERE number LIKE ? ORDER BY number', [`${prefix}%`])) as { number: string }[]).map((r) => r.number);

  it('when twelve cadres submit at the same moment, then they get RC2026-0001 … 0012, and a filing still starts at FB2026-0001', async () => {
    const yangFan = chat.as('P014');
    await applyForTolerance(yangFan);
    const [first] = (await chat.db.query('SELECT * FROM cases')) as { form: string; unit_id: number; applicant_id: number }[];
    const applicant = (await chat.bot.roster.person(Number(first.applicant_id)))!;
    const submit = (i: number, kind: CaseKind = 'tolerance') =>
      chat.bot.services.workflow.submit(kind, {
        applicant, draftKey: `concurrent-${kind}-${i}`, unitId: Number(first.unit_id), matterId: null, integrated: false,
        path: 'ordinary', form: JSON.parse(testCipher.open(first.form, 'cases.form')), channel: 'simulator',
      });
    const filed = await Promise.all(Array.from({ length: 11 }, (_, i) => submit(i)));

    const expected = Array.from({ length: 12 }, (_, i) => `RC2026-${String(i + 1).padStart(4, '0')}`);
    expect(await numbers('RC')).toEqual(expected);
    expect(new Set(filed.map((c) => c.number)).size).toBe(11);

    const filing = await chat.bot.services.workflow.submit('filing', {
      applicant, draftKey: 'a-filing', unitId: Number(first.unit_id), matterId: null, integrated: false, path: 'ordinary', form: JSON.parse(testCipher.open(first.form, 'cases.form')), channel: 'simulator',
    });
    expect(filing.number).toBe('FB2026-0001');
    // A repeated submit of a draft keeps its number and takes none.
    expect((await submit(3)).number).toBe(filed[3].number);
    expect((await submit(11)).number).toBe('RC2026-0013');
  });

  it('when twelve talks are recorded at the same moment, then they are TH2026-00001 … 00012, and a talk of another year starts that year at 00001', async () => {
    const [talker, talkee] = [(await chat.bot.roster.personByCode('P012'))!, (await chat.bot.roster.personByCode('P014'))!];
    const record = (i: number, talkedOn = '2026-11-20') =>
      chat.bot.services.talks.record({
        draftKey: `talk-${talkedOn}-${i}`, talkerId: talker.id, talkeeIds: [talkee.id], talkedOn, kind: '年度谈心谈话', place: '局长办公室',
        topics: ['工作'], summary: '交流了年度工作安排。', issuesRaised: null, followUps: null, channel: 'simulator',
      });
    const recorded = await Promise.all(Array.from({ length: 12 }, (_, i) => record(i)));
    expect(recorded.map((t) => t.number).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `TH2026-${String(i + 1).padStart(5, '0')}`));
    // The register is the talk's year's, and a case's numbers are not shared with it.
    expect((await record(0, '2027-01-05')).number).toBe('TH2027-00001');
    await applyForTolerance(chat.as('P014'));
    expect(await numbers('RC')).toEqual(['RC2026-0001']);
    // A repeated submit of a draft keeps its number and takes none.
    expect((await record(5)).number).toBe(recorded[5].number);
    expect((await record(12)).number).toBe('TH2026-00013');
  });

  it('when a submit fails after taking a number, then the number is given back and the next case has it', async () => {
    const yangFan = chat.as('P014');
    await applyForTolerance(yangFan);
    const [first] = (await chat.db.query('SELECT * FROM cases')) as { form: string; unit_id: number; applicant_id: number }[];
    const applicant = (await chat.bot.roster.person(Number(first.applicant_id)))!;
    const input = { applicant, unitId: Number(first.unit_id), matterId: null, integrated: false, form: JSON.parse(testCipher.open(first.form, 'cases.form')), channel: 'simulator' };
    await expect(chat.bot.services.workflow.submit('tolerance', { ...input, draftKey: 'bad-path', path: 'no-such-path' })).rejects.toThrow();
    const failing = chat.bot.services.workflow.submit('tolerance', { ...input, draftKey: 'rolled-back', path: 'ordinary' }, async () => {
      throw new Error('the other record could not be changed');
    });
    await expect(failing).rejects.toThrow('the other record could not be changed');
    const next = await chat.bot.services.workflow.submit('tolerance', { ...input, draftKey: 'after', path: 'ordinary' });
    expect(next.number).toBe('RC2026-0002');
  });
});
