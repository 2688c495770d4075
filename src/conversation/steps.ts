import type { Clock } from '../clock';
import type { Refusals } from '../domain/audit';
import { zoneDate } from '../clock';
import { UserFacingError } from '../errors';
import type { RosterRepository } from '../roster/rosterRepository';
import type { Services } from '../services';
import { applicableSteps, nextStep, type DialogueContext, type Step, type Values } from './dialogue';
import { DRAFT_FORMAT } from './draftStore';
import type { FieldContext, FieldInput } from './field';
import { parseIsoDate } from './parse/dates';
import { parseSmallNumber } from './parse/numbers';
import { answeredLabel, clarifyCard, editList, formatValue, question, SKIP_WORD, stuckCard, summaryCard } from './render';
import { newDraftId, type AnyDialogue, type Session } from './session';

export const MAX_FAILURES = 3;
/** Said after 上一步 or 修改 to keep the earlier answer. */
const KEEP_WORDS = ['不变', '保持', '保持不变', '不改', '不用改', '还是原来的'];

/** Walks a draft through its dialogue's steps: ask, check the answer, move on, confirm, submit. */
export class StepRunner {
  constructor(
    private readonly roster: RosterRepository,
    private readonly clock: Clock,
    private readonly services: Services,
    private readonly refusals?: Pick<Refusals, 'record'>,
  ) {}

  context(session: Session, values: Values): FieldContext {
    return { person: session.person, today: parseIsoDate(zoneDate(this.clock.now())), roster: this.roster, services: this.services, values };
  }

  dialogueContext(session: Session): DialogueContext<Services> {
    return {
      person: session.person,
      draftId: session.draft?.id ?? '',
      channel: session.turn.event.channel,
      now: this.clock.now(),
      services: this.services,
    };
  }

  /** `restart` says how to begin again after 取消 (再次点击卡片上的按钮, 发送“申请容错”). */
  async start(session: Session, dialogue: AnyDialogue, prefill: Values = {}, restart?: string): Promise<void> {
    const refusal = await dialogue.refuse?.(this.dialogueContext(session));
    if (refusal) {
      await this.refusals?.record({
        actorId: session.person.id,
        channel: session.turn.event.channel,
        action: 'dialogue.refused',
        subject: `dialogue:${dialogue.name}`,
        detail: { reason: refusal.slice(0, 200) },
      });
      session.say(refusal);
      return;
    }
    const now = this.clock.now().toISOString();
    session.begin({
      format: DRAFT_FORMAT,
      id: newDraftId(),
      dialogue: dialogue.name,
      dialogueVersion: dialogue.version,
      mode: { kind: 'confirm' },
      values: { ...prefill },
      history: [],
      failures: 0,
      cardsSent: 0,
      startedAt: now,
      expiresAt: now,
      restart,
    });
    if (dialogue.intro) session.say(typeof dialogue.intro === 'string' ? dialogue.intro : dialogue.intro(prefill));
    await this.advance(session, dialogue);
  }

  /** Asks the next unanswered step, or shows the summary when every step has its answer. */
  async advance(session: Session, dialogue: AnyDialogue, note?: string): Promise<void> {
    const draft = session.draft!;
    const pending = nextStep(dialogue, draft.values);
    if (pending) {
      draft.mode = { kind: 'ask', stepKey: pending.key };
      session.send(await question(session, dialogue, pending, this.context(session, draft.values), note));
      return;
    }
    draft.mode = { kind: 'confirm' };
    if (note) session.say(note);
    session.send(summaryCard(session, dialogue, draft.values));
  }

  async reask(session: Session, dialogue: AnyDialogue, note?: string): Promise<void> {
    const mode = session.draft!.mode;
    const step = mode.kind === 'ask' || mode.kind === 'stuck' ? dialogue.steps.find((s) => s.key === mode.stepKey) : undefined;
    if (!step) return this.advance(session, dialogue, note);
    session.draft!.mode = { kind: 'ask', stepKey: step.key };
    session.send(await question(session, dialogue, step, this.context(session, session.draft!.values), note));
  }

  /** An answer to the step being asked. */
  async answer(session: Session, dialogue: AnyDialogue, input: FieldInput): Promise<void> {
    const draft = session.draft!;
    const mode = draft.mode;
    if (mode.kind !== 'ask' && mode.kind !== 'stuck') return;
    const step = dialogue.steps.find((s) => s.key === mode.stepKey);
    if (!step) return this.advance(session, dialogue);

    const clarified = mode.kind === 'ask' ? this.clarifiedInput(mode.clarify, input) : undefined;
    const effective: FieldInput = clarified !== undefined ? { kind: 'text', text: clarified } : input;
    if (mode.kind === 'ask' && mode.kept && effective.kind === 'text' && KEEP_WORDS.includes(effective.text.trim())) {
      return this.accept(session, dialogue, step, mode.kept.value);
    }
    const skipped = step.field.optional && effective.kind === 'text' && effective.text.trim() === SKIP_WORD && !step.field.buttons;
    const parsed = skipped
      ? { ok: true as const, value: null }
      : await step.field.parse(effective, this.context(session, draft.values), mode.kind === 'ask' ? mode.partial : undefined);

    if (parsed.ok === 'partial') {
      draft.mode = { kind: 'ask', stepKey: step.key, partial: parsed.value };
      session.say(parsed.message);
      return;
    }
    if (parsed.ok === 'explain') {
      session.say(parsed.message);
      return;
    }
    if (parsed.ok === 'clarify') {
      draft.mode = { kind: 'ask', stepKey: step.key, clarify: parsed.options, partial: mode.kind === 'ask' ? mode.partial : undefined };
      session.send(clarifyCard(session, parsed.question, parsed.options));
      return;
    }
    if (parsed.ok === false) return this.refuse(session, step, parsed.error);
    await this.accept(session, dialogue, step, parsed.value);
  }

  private clarifiedInput(options: { input: string }[] | undefined, input: FieldInput): string | undefined {
    if (!options) return undefined;
    const index = input.kind === 'option' ? input.index : input.kind === 'text' ? (parseSmallNumber(input.text) ?? 0) - 1 : -1;
    return options[index]?.input;
  }

  private async accept(session: Session, dialogue: AnyDialogue, step: Step, value: unknown): Promise<void> {
    const draft = session.draft!;
    const closed = value === null ? undefined : (step.field.closedLabel as ((v: unknown) => string) | undefined)?.(value);
    session.closeOpenCard(closed ?? answeredLabel(step, value));
    draft.failures = 0;
    const stop = step.stopIf?.(value as never, draft.values);
    if (stop) {
      session.say(stop);
      session.end();
      return;
    }
    draft.values[step.key] = value;
    draft.history = [...draft.history.filter((k) => k !== step.key), step.key];
    // Answers that no longer apply (a changed yes/no hides later steps) are dropped, not kept hidden.
    const applicable = new Set(applicableSteps(dialogue, draft.values).map((s) => s.key));
    for (const s of dialogue.steps) if (!applicable.has(s.key)) delete draft.values[s.key];
    await this.advance(session, dialogue);
  }

  private refuse(session: Session, step: Step, error: string): void {
    const draft = session.draft!;
    draft.failures += 1;
    if (draft.failures >= MAX_FAILURES) {
      session.closeOpenCard('已停用');
      draft.mode = { kind: 'stuck', stepKey: step.key };
      session.send(stuckCard(session, step.label));
      return;
    }
    // A wrong answer loses nothing: files already sent and the answer 不变 would keep stay.
    const mode = draft.mode;
    draft.mode = mode.kind === 'ask' ? { kind: 'ask', stepKey: step.key, partial: mode.partial, kept: mode.kept } : { kind: 'ask', stepKey: step.key };
    session.say(`${error}\n${step.field.hint}`);
  }

  async showEditList(session: Session, dialogue: AnyDialogue): Promise<void> {
    session.closeOpenCard('修改中');
    session.draft!.mode = { kind: 'chooseEdit' };
    session.say(editList(dialogue, session.draft!));
  }

  /** Re-asks one answered step from the summary; once it is the only gap, the summary follows it. */
  async edit(session: Session, dialogue: AnyDialogue, position: number): Promise<void> {
    const draft = session.draft!;
    const step = applicableSteps(dialogue, draft.values)[position - 1];
    if (!step) {
      session.say(`没有第 ${position} 项。${editList(dialogue, draft)}`);
      return;
    }
    session.closeOpenCard('修改中');
    const previous = draft.values[step.key];
    delete draft.values[step.key];
    draft.mode = { kind: 'ask', stepKey: step.key, kept: { value: previous } };
    session.send(await question(session, dialogue, step, this.context(session, draft.values), `原来填写的是：${formatValue(step, previous)}（不改请回复“不变”）`));
  }

  /** 上一步: forget the last answer and ask that step again. */
  async back(session: Session, dialogue: AnyDialogue): Promise<void> {
    const draft = session.draft!;
    const previousKey = draft.history.at(-1);
    if (!previousKey) {
      session.say('已经是第一步了。');
      return this.reask(session, dialogue);
    }
    const step = dialogue.steps.find((s) => s.key === previousKey)!;
    session.closeOpenCard('已返回上一步');
    const previous = draft.values[previousKey];
    draft.history = draft.history.slice(0, -1);
    delete draft.values[previousKey];
    draft.failures = 0;
    draft.mode = { kind: 'ask', stepKey: step.key, kept: { value: previous } };
    session.send(await question(session, dialogue, step, this.context(session, draft.values), `上次填写的是：${formatValue(step, previous)}（不改请回复“不变”）`));
  }

  async submit(session: Session, dialogue: AnyDialogue): Promise<string | undefined> {
    const draft = session.draft!;
    // Prefilled values that no step asks (the case a decision is about) travel to submit as they are.
    const asked = new Set(dialogue.steps.map((s) => s.key));
    const given = Object.fromEntries(Object.entries(draft.values).filter(([key]) => !asked.has(key)));
    const values = { ...given, ...Object.fromEntries(applicableSteps(dialogue, draft.values).map((s) => [s.key, draft.values[s.key] ?? null])) };
    try {
      const { receipt, recordRef } = await dialogue.submit(values, this.dialogueContext(session));
      session.closeOpenCard('已提交');
      for (const message of receipt) session.send(message);
      session.end();
      return recordRef;
    } catch (error) {
      if (!(error instanceof UserFacingError)) throw error;
      session.say(error.message);
      return undefined;
    }
  }
}
