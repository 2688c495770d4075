import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearanceWorkflow } from '../../../src/domain/clearance/definition';
import { filingWorkflow } from '../../../src/domain/filing/definition';
import { toleranceWorkflow } from '../../../src/domain/tolerance/definition';
import { SIX_LOOKS } from '../../../src/domain/tolerance/policy';
import { stagesOf } from '../../../src/domain/workflow/chain';
import type { StageEntry } from '../../../src/domain/workflow/record';
import type { CaseRecord } from '../../../src/domain/workflow/types';
import { databaseBackends } from '../../support/backends';
import { openSampleZone, RecordingNotifier, type SampleZone } from '../../support/sampleZone';
import { selectOpened } from '../../../src/storage/confidential';

const looks = SIX_LOOKS.map((l) => ({ key: l.key, title: l.title, finding: '经核实无问题。' }));
const grant: StageEntry = { kind: 'finding', verdict: 'grant', opinion: '予以容错免责。', outcomes: [0, 2], criteria: looks };

describe('the chains as declared', () => {
  it('give every approval a finding before it, on every path, and every path known stages', () => {
    for (const def of [toleranceWorkflow, filingWorkflow, clearanceWorkflow]) {
      for (const path of def.paths) {
        const stages = stagesOf(def, { path: path.key });
        expect(stages.map((s) => s.key), `${def.kind}/${path.key}`).toEqual(path.stages);
        for (const [i, s] of stages.entries()) {
          if (s.kind === 'approval' || s.kind === 'meeting') expect(stages.slice(0, i).some((x) => x.kind === 'finding'), `${def.kind}/${path.key}/${s.key}`).toBe(true);
        }
        const last = stages.at(-1)!;
        expect(['approval', 'answer'], `${def.kind}/${path.key} ends with a decision`).toContain(last.kind);
      }
      expect(new Set(def.verdicts.map((v) => v.key)).size).toBe(def.verdicts.length);
      expect(def.verdicts.some((v) => v.grants) && def.verdicts.some((v) => !v.grants)).toBe(true);
    }
  });
});

describe.each(databaseBackends)('a stage records only what its kind records ($name)', (backend) => {
  let zone: SampleZone;
  let notifier: RecordingNotifier;
  let c: CaseRecord;

  const pending = async () => Number((await zone.db.query(`SELECT id FROM case_stages WHERE case_id = ? AND status = 'pending'`, [c.id]))[0].id);
  const decide = async (code: string, entry: StageEntry) => zone.services.workflow.decide({ stageId: await pending(), actor: await zone.person(code), entry, channel: 'test' });
  const snapshot = async () => ({
    cases: await zone.db.query('SELECT status, outcome FROM cases'),
    stages: await selectOpened(zone.db, 'case_stages', 'SELECT stage_key, status, decision, opinion, findings FROM case_stages ORDER BY id'),
    audit: await zone.db.query('SELECT action FROM audit_log ORDER BY id'),
    sent: notifier.sent.length,
  });
  /** Each of these is refused with a reason the person can act on, and leaves everything as it was. */
  const refusedAll = async (code: string, tries: [StageEntry, RegExp][]) => {
    for (const [entry, said] of tries) {
      const before = await snapshot();
      await expect(decide(code, entry), JSON.stringify(entry)).rejects.toMatchObject({ name: 'UserFacingError', message: expect.stringMatching(said) });
      expect(await snapshot()).toEqual(before);
    }
  };

  beforeEach(async () => {
    notifier = new RecordingNotifier();
    zone = await openSampleZone(backend, { notifier, deadlines: { reportToCity: 10, execution: 20, admonition: 20, rectification: 40, rootCause: 60, evaluation: 20, clearance: 20 } });
    c = (
      await zone.services.tolerance.apply({
        draftKey: 'kinds-1', applicant: await zone.person('P014'), matterId: null, matterText: '滨江项目征地补偿问题', reason: '为赶工期先行签订补偿协议。',
        situations: [1], otherSituation: null, handedDown: false, involvesCityCadre: false, integrated: false, filingId: null, attachments: [], channel: 'test',
      })
    ).record;
  });
  afterEach(async () => zone.dispose());

  it('refuses entries of another kind, unknown verdicts and outcomes, and incomplete findings, changing nothing', async () => {
    await refusedAll('P012', [
      [grant, /“所在单位党组织意见”环节不能这样办理/],
      [{ kind: 'opinion', stance: 'agree', opinion: '   ' }, /意见不能为空/],
      [{ kind: 'return', question: ' ' }, /请写明需要补充的内容/],
    ]);
    await decide('P012', { kind: 'opinion', stance: 'disagree', opinion: '不属于第五条情形。' });
    await refusedAll('P009', [
      [{ ...grant, verdict: 'maybe' }, /认定结论不在可选范围内/],
      [{ ...grant, outcomes: [4] }, /处理方式不在可选范围内/],
      [{ ...grant, outcomes: [] }, /须至少选择一项处理（《容错细则》第七条）/],
      [{ ...grant, verdict: 'refuse' }, /“不予容错免责”不应再选择处理方式/],
      [{ ...grant, verdict: 'partial' }, /请说明哪些部分予以容错免责/],
      [{ ...grant, criteria: looks.slice(0, 5) }, /请逐项填写核实情况/],
    ]);
    await decide('P009', { ...grant, verdict: 'refuse', outcomes: [] });
    await refusedAll('P001', [
      [{ kind: 'approval', stance: 'agree', opinion: '同意，调整。', outcomes: [1] }, /认定结论为不予的，不能调整处理方式/],
      [{ kind: 'approval', stance: 'disagree', opinion: '不同意。', outcomes: [1] }, /不同意时不能调整处理方式/],
      [{ kind: 'meeting', heldOn: '2026-11-27', attendees: ['陈建国'], verdict: 'grant', outcomes: [0], opinion: '同意。', minutes: [] }, /不能这样办理/],
    ]);
  });

  it('counts a task’s suggested date from the zone’s setting, and says it is the zone’s', async () => {
    await decide('P012', { kind: 'opinion', stance: 'agree', opinion: '同意。' });
    await decide('P009', grant);
    await decide('P001', { kind: 'approval', stance: 'agree', opinion: '同意。' });
    const [task] = await zone.db.query(`SELECT due_on FROM case_tasks WHERE kind = 'report-city'`);
    expect(task.due_on).toBe('2026-12-07');
    const told = notifier.sent.flatMap((s) => (s.message.kind === 'text' ? [s.message.text] : [])).find((t) => t.includes('报备市纪委监委'))!;
    // One 【待办】 message for the 纪工委's tasks of this moment, a line each.
    expect(told).toMatch(new RegExp(`^【待办】${c.number} 有 \\d 项工作待您办理：\n`));
    expect(told).toMatch(/\n\d\. 报备市纪委监委纳入统计，依据《容错细则》第六条（一）4，建议于 2026-12-07 前完成（本区设置）[；。]\n/);
  });
});
