import { describe, expect, it } from 'vitest';
import { talkLog } from '../../../conversations/talkLog';
import type { FieldContext } from '../../../src/conversation/field';
import { parseIsoDate } from '../../../src/conversation/parse/dates';
import { toleranceWorkflow } from '../../../src/domain/tolerance/definition';
import type { CaseRecord } from '../../../src/domain/workflow/types';

const talkedOn = talkLog.steps.find((s) => s.key === 'talkedOn')!.field;
const context = (values: Record<string, unknown>): FieldContext => ({
  person: { id: 1 } as FieldContext['person'],
  today: parseIsoDate('2026-11-27'),
  roster: undefined as never,
  services: undefined as never,
  values,
});

describe('a 约谈提醒 is held after the grant it follows (《容错细则》第八条（一）)', () => {
  it('the task carries the grant’s date to the talk it starts', () => {
    const admonition = toleranceWorkflow.onGranted.find((t) => t.kind === 'admonition')!;
    const granted = { applicantId: 7, form: { applicantName: '杨帆' }, outcome: { verdict: 'grant', outcomes: [0], by: 'zone', decidedAt: '2026-11-24T17:30:00.000Z' } };
    // 17:30 UTC is the next morning in the zone.
    expect(admonition.prefill!(granted as unknown as CaseRecord)).toMatchObject({ kind: '约谈提醒', grantedOn: '2026-11-25' });
  });

  it('a talk dated before the grant is refused, one on or after it taken', async () => {
    expect(await talkedOn.parse({ kind: 'text', text: '11月24日' }, context({ grantedOn: '2026-11-25' }), undefined)).toEqual({
      ok: false,
      error: '2026-11-24 早于批复日期（2026-11-25），请输入 2026-11-25 或以后的日期。',
    });
    expect(await talkedOn.parse({ kind: 'text', text: '11月25日' }, context({ grantedOn: '2026-11-25' }), undefined)).toEqual({ ok: true, value: '2026-11-25' });
    expect(await talkedOn.parse({ kind: 'text', text: '11月24日' }, context({}), undefined)).toEqual({ ok: true, value: '2026-11-24' });
  });
});
