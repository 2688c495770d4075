import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, stateBackends } from '../../support/backends';
import { openChat, type Chat } from '../../support/chat';
import { applyForTolerance } from '../../support/toleranceDialogue';

describe.each(databaseBackends)('two decisions racing on one stage ($name)', (database) => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await openChat(database, stateBackends[0]);
  });
  afterEach(async () => chat.close());

  it('when two instances record the same approver’s decision at once, then the case advances once', async () => {
    await applyForTolerance(chat.as('P014'));
    const [stage]: { id: number }[] = await chat.db.query(`SELECT id FROM case_stages WHERE status = 'pending'`);
    const [liuYang] = await chat.bot.roster.peopleNamed('刘洋');
    const decide = (opinion: string) =>
      chat.bot.services.workflow.decide({ stageId: Number(stage.id), actor: liuYang, entry: { kind: 'opinion', stance: 'agree', opinion }, channel: 'wecom' });
    const results = await Promise.allSettled([decide('同意（第一次）'), decide('同意（第二次）'), decide('同意（第三次）')]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
      expect(String(r.reason.message)).toMatch(/已处理|无需重复操作/);
    }
    const stages: { stage_key: string; status: string }[] = await chat.db.query('SELECT stage_key, status FROM case_stages ORDER BY seq');
    expect(stages).toEqual([
      { stage_key: 'unit', status: 'decided' },
      { stage_key: 'discipline', status: 'pending' },
    ]);
    const approvals = await chat.db.query(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'stage.approve'`);
    expect(Number(approvals[0].n)).toBe(1);
  });
});
