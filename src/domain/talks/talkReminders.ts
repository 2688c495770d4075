import type { Card, OutboundMessage } from '../../channels/port';
import { zoneDate, type Clock } from '../../clock';
import { nextMorning } from '../../scheduling/recurrence';
import type { JobHandler, JobSpec } from '../../scheduling/scheduler';
import { partyAffairsAdminIds } from '../../roster/partyAffairsAdmins';
import type { Notifier } from '../notifier';
import { BASIS_ADJUSTED, BASIS_ANNUAL, progressByTalker, zoneSummary, type Talkee } from './progress';
import type { TalkQuotas } from './quotas';
import { talkReminderKind, type ReminderKind } from './reminderCalendar';

export const TALK_REMINDERS = 'talk-reminders';
export const TALK_REMINDER_SEND = 'talk-reminder.send';

/** Platforms show a handful of buttons per card; more people go on further cards. */
const BUTTONS_PER_CARD = 6;
const MAX_CARDS = 5;

interface LeaderPayload {
  reminder: ReminderKind;
  date: string;
  to: number;
  done: number;
  owed: Talkee[];
}

interface AdminPayload {
  reminder: ReminderKind;
  date: string;
  to: number;
  summary: string;
}

function title(reminder: ReminderKind, date: string): string {
  if (reminder === 'final') return `${date.slice(0, 4)}年谈心谈话最后提醒`;
  if (reminder === 'weekly') return '谈心谈话每周提醒（第四季度）';
  return `${Number(date.slice(5, 7))}月谈心谈话提醒`;
}

/** One card per six people still owed, each button starting 记录谈话 prefilled with that person. */
export function reminderMessages(jobId: number, p: LeaderPayload): OutboundMessage[] {
  const due = p.done + p.owed.length;
  const urge = p.reminder === 'final' ? '本年度即将结束，请抓紧完成。' : '';
  const shown = p.owed.slice(0, BUTTONS_PER_CARD * MAX_CARDS);
  const cards: Card[] = [];
  for (let i = 0; i < shown.length; i += BUTTONS_PER_CARD) {
    const chunk = shown.slice(i, i + BUTTONS_PER_CARD);
    const pages = Math.ceil(shown.length / BUTTONS_PER_CARD);
    cards.push({
      cardId: `talk-rem-${jobId}-${cards.length + 1}`,
      title: pages > 1 ? `${title(p.reminder, p.date)}（${cards.length + 1}/${pages}）` : title(p.reminder, p.date),
      description:
        `${BASIS_ANNUAL}${chunk.some((t) => t.adjusted) ? `、${BASIS_ADJUSTED}` : ''}：本年度应谈 ${due} 人，已谈 ${p.done} 人，还差 ${p.owed.length} 人。${urge}` +
        '以下人员尚未谈话，谈过后点击姓名即可登记。',
      buttons: chunk.map((t) => ({ key: `talk:${t.personId}:${t.adjusted ? 'adjusted' : 'annual'}`, label: `记录 ${t.name}` })),
    });
  }
  const messages: OutboundMessage[] = cards.map((card) => ({ kind: 'card', card }));
  if (p.owed.length > shown.length) messages.push({ kind: 'text', text: `另有 ${p.owed.length - shown.length} 人未列在卡片中，发送“我的谈话进度”查看全部。` });
  return messages;
}

/**
 * The talk reminders: on each reminder day (see reminderCalendar) one job computes the quotas once
 * and fans out one send job per leader still owing and per 党群工作部 admin, keyed by occurrence
 * and person, so a rerun after a crash re-creates none that exist and each sends once.
 */
export function talkReminderJobs(deps: { quotas: TalkQuotas; notifier: Notifier; clock: Clock }): JobHandler[] {
  return [
    {
      kind: TALK_REMINDERS,
      next: (after) => nextMorning(after, (date) => talkReminderKind(date) !== undefined),
      async run(job, tx, scheduler) {
        const date = zoneDate(job.runAt);
        const reminder = talkReminderKind(date);
        if (!reminder) return;
        const report = await deps.quotas.compute(Number(date.slice(0, 4)), date, tx);
        const runAt = deps.clock.now();
        const specs: JobSpec[] = [];
        for (const p of progressByTalker(report).values()) {
          if (p.owed.length === 0) continue;
          const payload: LeaderPayload = { reminder, date, to: p.talkerId, done: p.done.length, owed: p.owed };
          specs.push({ kind: TALK_REMINDER_SEND, uniqueKey: `${job.uniqueKey}:leader:${p.talkerId}`, runAt, payload: { ...payload } });
        }
        const summary = zoneSummary(report);
        for (const adminId of await partyAffairsAdminIds(tx)) {
          const payload: AdminPayload = { reminder, date, to: adminId, summary };
          specs.push({ kind: TALK_REMINDER_SEND, uniqueKey: `${job.uniqueKey}:admin:${adminId}`, runAt, payload: { ...payload } });
        }
        await scheduler.scheduleMany(tx, specs);
      },
    },
    {
      kind: TALK_REMINDER_SEND,
      async run(job, tx) {
        const payload = job.payload as unknown as LeaderPayload | AdminPayload;
        const messages: OutboundMessage[] = 'summary' in payload ? [{ kind: 'text', text: payload.summary }] : reminderMessages(job.id, payload);
        for (const message of messages) await deps.notifier.notify(tx, payload.to, message);
      },
    },
  ];
}
