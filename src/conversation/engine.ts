import { randomBytes } from 'node:crypto';
import type { Turn } from '../bot/turn';
import type { OutboundMessage } from '../channels/port';
import type { Clock } from '../clock';
import type { Refusals } from '../domain/audit';
import { isExposed } from '../errors';
import type { RosterRepository } from '../roster/rosterRepository';
import type { Services } from '../services';
import type { Person } from '../roster/types';
import type { StateStore } from '../state/stateStore';
import type { Values } from './dialogue';
import type { Draft, DraftStore } from './draftStore';
import type { FieldInput } from './field';
import { parseSmallNumber } from './parse/numbers';
import { GREETINGS, interpret, nearestCommands, normalize } from './intent';
import { lateArrivalNotice } from './lateArrival';
import { confirmCancelCard, menuCard } from './render';
import { Session, type AnyDialogue } from './session';
import { StepRunner } from './steps';

/** What a workflow contributes to 我的申请 and 我的待办. */
export interface Inquiry {
  mine?(person: Person): Promise<string[]>;
  todo?(person: Person): Promise<string[]>;
}

/** What a button or command outside any dialogue led to: words, cards, or a dialogue to start. */
export interface ActionResult {
  say?: string;
  send?: OutboundMessage[];
  start?: { dialogue: string; prefill: Values };
}

/**
 * A button family (by the key's prefix, e.g. `wfs` for `wfs:12:approve`) or a typed command
 * (by pattern, e.g. /^撤回\s*(\S+)$/) that a workflow answers. Its errors marked `expose` are
 * said to the person; nothing else about the conversation changes.
 */
export interface Action {
  prefix?: string;
  pattern?: RegExp;
  run(turn: Turn, args: string[]): Promise<ActionResult>;
}

export interface EngineDeps {
  dialogues: AnyDialogue[];
  /** The dialogues the menu offers; the others start from a card or a role's command. */
  menu: AnyDialogue[];
  drafts: DraftStore;
  state: StateStore;
  roster: RosterRepository;
  clock: Clock;
  services: Services;
  inquiries: Inquiry[];
  actions: Action[];
  /** Where a dialogue's refusal to start (a role it needs, 第二条 for 市管干部) is written down. */
  refusals?: Pick<Refusals, 'record'>;
}

const COMMANDS: Record<string, 'cancel' | 'back' | 'help' | 'menu' | 'resume' | 'mine' | 'todo'> = {
  取消: 'cancel', 退出: 'cancel',
  上一步: 'back', 返回上一步: 'back',
  帮助: 'help', '?': 'help', '？': 'help',
  菜单: 'menu', 主菜单: 'menu',
  继续: 'resume',
  我的申请: 'mine',
  我的待办: 'todo',
};

const OFFER_TTL_MS = 30 * 24 * 3600 * 1000;
/** The most any step takes (申请事由 and the other narratives); a longer text answers nothing. */
export const LONGEST_ANSWER = 3000;

/** What the person has answered themself: prefilled values (the case a card is about) are not theirs. */
export function answeredCount(draft: Draft): number {
  const partial = draft.mode.kind === 'ask' && draft.mode.partial !== undefined ? 1 : 0;
  return draft.history.filter((key) => key in draft.values).length + partial;
}

/**
 * Routes each event of a known person: global commands first, then the active dialogue, then
 * a dialogue's trigger words, then the menu. One file per dialogue in conversations/ says what
 * is asked; this says how a conversation moves.
 */
export class ConversationEngine {
  private readonly steps: StepRunner;
  private readonly byName: Map<string, AnyDialogue>;

  constructor(private readonly deps: EngineDeps) {
    this.steps = new StepRunner(deps.roster, deps.clock, deps.services, deps.refusals);
    this.byName = new Map(deps.dialogues.map((d) => [d.name, d]));
  }

  readonly handle = async (turn: Turn): Promise<void> => {
    const loaded = await this.deps.drafts.load(turn.person.id, (name) => this.byName.get(name)?.version);
    const session = new Session(turn, turn.eventId, this.deps.drafts, loaded.kind === 'active' ? loaded.draft : undefined, loaded.revision);
    const lastTurn = loaded.kind === 'active' ? loaded.draft.lastTurn : loaded.kind === 'none' ? loaded.lastTurn : undefined;
    if (lastTurn?.key === session.eventKey) {
      for (const reply of lastTurn.replies) turn.reply(reply);
      turn.alsoOnCompletion(this.deps.drafts.copied(turn.person.id, loaded));
      return;
    }
    // A click names its card and is checked against that card's state; typed words and files only
    // answer whatever is asked, so one overtaken by a later message is never applied.
    if (turn.arrivedLate && turn.event.kind !== 'click') {
      session.say(lateArrivalNotice(session, session.draft && this.byName.get(session.draft.dialogue)));
      await session.commit();
      return;
    }
    if (loaded.kind === 'expired' || loaded.kind === 'outdated') {
      const title = this.byName.get(loaded.dialogue)?.title ?? '表单';
      session.say(
        loaded.kind === 'expired'
          ? `您之前填写的“${title}”长时间未继续，草稿已失效，请重新开始。`
          : `系统已升级，您之前填写的“${title}”需要重新开始，给您带来不便，敬请谅解。`,
      );
      session.end();
    }
    await this.route(session);
    await session.commit();
  };

  /** A card that asks whether to start a dialogue now, prefilled; sent from the bot's side. */
  async offer(dialogueName: string, title: string, prefill: Values): Promise<OutboundMessage> {
    const offerId = `o${randomBytes(8).toString('hex')}`;
    await this.deps.state.set(`offer:${offerId}`, JSON.stringify({ dialogue: dialogueName, prefill }), OFFER_TTL_MS);
    return {
      kind: 'card',
      card: {
        cardId: offerId,
        title,
        buttons: [
          { key: `offer:${offerId}:yes`, label: '现在记录', style: 'primary' },
          { key: `offer:${offerId}:no`, label: '稍后再说' },
        ],
      },
    };
  }

  private async route(session: Session): Promise<void> {
    const { event } = session.turn;
    if (event.kind === 'click') return this.click(session, event.cardId, event.action);
    if (event.kind === 'attachment') {
      const attachment = { channel: event.channel, mediaKind: event.mediaKind, mediaId: event.mediaId, fileName: event.fileName, receivedAt: event.sentAt };
      return this.withDraft(session, (dialogue) => this.steps.answer(session, dialogue, { kind: 'attachment', attachment }));
    }
    const text = event.text.trim();
    const length = [...text].length;
    if (length > LONGEST_ANSWER) {
      session.say(`您发送的内容有 ${length} 字，超过了 ${LONGEST_ANSWER} 字的上限，没有填入。请精简后重新发送，或分几条发送。`);
      return;
    }
    return this.routeText(session, text);
  }

  /** A command, an action's words, an answer to the draft, a dialogue's trigger; else what it most likely means. */
  private async routeText(session: Session, text: string, original?: string): Promise<void> {
    const command = COMMANDS[text];
    if (command) return this.command(session, command);
    for (const action of this.deps.actions) {
      const match = action.pattern?.exec(text);
      if (match) return this.runAction(session, action, match.slice(1));
    }
    const draft = session.draft;
    if (draft) return this.withDraft(session, (dialogue) => this.typed(session, dialogue, text));
    const started = this.deps.dialogues.find((d) => d.triggers.includes(text));
    if (started) return this.steps.start(session, started, {}, `需要时发送“${text}”重新开始。`);
    if (GREETINGS.includes(normalize(text))) return this.menu(session);
    const meant = original === undefined ? interpret(text, this.deps.menu, this.deps.dialogues) : undefined;
    if (meant) return this.routeText(session, meant, text);
    this.notUnderstood(session, original ?? text);
  }

  /** Not the greeting again: what was not understood, and the commands nearest to it. */
  private notUnderstood(session: Session, text: string): void {
    const commands = [...this.deps.menu.flatMap((d) => d.triggers.slice(0, 1)), '我的申请', '我的待办', '谈话进度', '帮助'];
    const nearest = nearestCommands(text, [...commands, ...this.deps.menu.flatMap((d) => d.triggers)], commands);
    const shown = [...text].length > 20 ? `${[...text].slice(0, 20).join('')}…` : text;
    session.say(`没听懂“${shown}”。您是不是想：${nearest.map((c) => `“${c}”`).join('、')}？发送“菜单”查看可办理的全部事项。`);
  }

  private async typed(session: Session, dialogue: AnyDialogue, text: string): Promise<void> {
    const mode = session.draft!.mode;
    const input: FieldInput = { kind: 'text', text };
    switch (mode.kind) {
      case 'ask':
      case 'stuck':
        return this.steps.answer(session, dialogue, input);
      case 'confirm': {
        if (['提交', '确认', '确认提交'].includes(text)) return this.submit(session, dialogue);
        const edit = /^(?:修改|改)\s*(.*)$/.exec(text);
        if (edit && edit[1] === '') return this.steps.showEditList(session, dialogue);
        const position = parseSmallNumber(edit ? edit[1] : text);
        if (position !== undefined) return this.steps.edit(session, dialogue, position);
        session.say('请回复“提交”确认，或回复“修改”加序号（如“修改2”）更改某一项。');
        return;
      }
      case 'chooseEdit': {
        if (text === '返回') return this.steps.advance(session, dialogue);
        const position = parseSmallNumber(text.replace(/^(?:修改|改)/, ''));
        if (position !== undefined) return this.steps.edit(session, dialogue, position);
        session.say('请回复要修改的序号，或回复“返回”回到确认。');
        return;
      }
      case 'confirmCancel':
        if (['是', '确定', '确定取消'].includes(text)) return this.cancelNow(session);
        return this.resumeAfterCancel(session, dialogue);
    }
  }

  private async click(session: Session, cardId: string, action: string): Promise<void> {
    const [kind, id, op, arg] = action.split(':');
    if (kind === 'menu') return this.menuClick(session, id);
    if (kind === 'offer') return this.offerClick(session, id, op);
    if (kind !== 'dlg') {
      const action = this.deps.actions.find((a) => a.prefix === kind);
      if (action) return this.runAction(session, action, [id, op, arg]);
      session.say('这个按钮已失效，请发送“菜单”重新开始。');
      return;
    }
    const draft = session.draft;
    if (!draft || draft.id !== id) {
      const submitted = await this.deps.drafts.submittedAs(id);
      session.say(submitted ? `这份表单已经提交（编号 ${submitted}），无需重复提交。` : '这张卡片已失效，请以最新的消息为准。');
      return;
    }
    if (draft.openCardId !== cardId) {
      session.say('这张卡片上的按钮已经用过了，请以最新的消息为准。');
      return;
    }
    await this.withDraft(session, async (dialogue) => {
      switch (op) {
        case 'opt':
          if (draft.mode.kind === 'confirmCancel') return;
          return this.steps.answer(session, dialogue, { kind: 'option', index: Number(arg) });
        case 'submit':
          return draft.mode.kind === 'confirm' ? this.submit(session, dialogue) : session.say('请先完成当前这一步。');
        case 'edit':
          return this.steps.showEditList(session, dialogue);
        case 'cancel':
          return this.command(session, 'cancel');
        case 'cancelYes':
          return this.cancelNow(session);
        case 'cancelNo':
          return this.resumeAfterCancel(session, dialogue);
        case 'retry':
          draft.failures = 0;
          session.closeOpenCard('重新填写');
          return this.steps.reask(session, dialogue);
        case 'contact':
          return this.contactAdmins(session, dialogue);
        default:
          session.say('这个按钮已失效。');
      }
    });
  }

  private async command(session: Session, command: (typeof COMMANDS)[string]): Promise<void> {
    const draft = session.draft;
    switch (command) {
      case 'mine':
      case 'todo':
        return this.inquire(session, command);
      case 'menu':
        if (draft) session.say(`您正在填写“${this.byName.get(draft.dialogue)?.title}”，发送“继续”回到当前问题，发送“取消”放弃。`);
        return this.menu(session);
    }
    if (!draft) {
      if (command === 'help') return this.menu(session);
      session.say('您当前没有正在填写的内容。');
      return this.menu(session);
    }
    return this.withDraft(session, async (dialogue) => {
      if (command === 'back') return this.steps.back(session, dialogue);
      if (command === 'resume') return this.steps.reask(session, dialogue);
      if (command === 'help') return this.help(session, dialogue);
      // Every dialogue alike: once the person has answered anything, 取消 asks before throwing it away.
      const answered = answeredCount(draft);
      if (answered === 0 || draft.mode.kind === 'confirmCancel') return this.cancelNow(session);
      session.closeOpenCard('已暂停');
      draft.mode = { kind: 'confirmCancel', resume: draft.mode };
      session.send(confirmCancelCard(session, answered));
    });
  }

  private async help(session: Session, dialogue: AnyDialogue): Promise<void> {
    const mode = session.draft!.mode;
    const step = mode.kind === 'ask' || mode.kind === 'stuck' ? dialogue.steps.find((s) => s.key === mode.stepKey) : undefined;
    const listing = step && (await step.field.listing?.(this.steps.context(session, session.draft!.values)));
    const lines = step
      ? [`这一步：${step.label}`, step.field.prompt, listing, `怎么回答：${step.field.hint}`, step.basis ? `依据：${step.basis}` : undefined]
      : ['现在是最后确认：回复“提交”提交，回复“修改”加序号更改某一项。'];
    session.say([...lines.filter(Boolean), '随时可发送：上一步、取消、菜单、我的申请、我的待办。'].join('\n'));
  }

  private async submit(session: Session, dialogue: AnyDialogue): Promise<void> {
    const draftId = session.draft!.id;
    const recordRef = await this.steps.submit(session, dialogue);
    if (recordRef) await this.deps.drafts.markSubmitted(draftId, recordRef);
  }

  private cancelNow(session: Session): void {
    const restart = session.draft?.restart ?? '需要时发送“菜单”重新开始。';
    session.closeOpenCard('已取消');
    session.end();
    session.say(`已取消，填写的内容没有保存。${restart}`);
  }

  private async resumeAfterCancel(session: Session, dialogue: AnyDialogue): Promise<void> {
    const draft = session.draft!;
    session.closeOpenCard('继续填写');
    draft.mode = draft.mode.kind === 'confirmCancel' ? draft.mode.resume : draft.mode;
    return draft.mode.kind === 'confirm' ? this.steps.advance(session, dialogue) : this.steps.reask(session, dialogue, '好的，我们继续。');
  }

  private async contactAdmins(session: Session, dialogue: AnyDialogue): Promise<void> {
    const { person } = session;
    const admins = (await this.deps.roster.nearestHolders('partyAffairsAdmin', person.unitId))?.people ?? [];
    const unit = await this.deps.roster.unit(person.unitId);
    const mode = session.draft!.mode;
    const step = 'stepKey' in mode ? dialogue.steps.find((s) => s.key === mode.stepKey) : undefined;
    for (const admin of admins) {
      session.turn.notify(admin, {
        kind: 'text',
        text: `【求助】${person.name}（${unit?.name ?? ''}）在填写“${dialogue.title}”的“${step?.label ?? '确认'}”一步时遇到困难，请与其联系。`,
      });
    }
    session.closeOpenCard('已联系管理员');
    session.say(
      admins.length > 0
        ? `已通知党群工作部（${admins.map((a) => a.name).join('、')}），他们会尽快联系您。您填写的内容已保存，可随时发送“继续”。`
        : '名册中暂未登记党群工作部管理员，请直接联系党群工作部。您填写的内容已保存。',
    );
  }

  private async inquire(session: Session, kind: 'mine' | 'todo'): Promise<void> {
    const lines: string[] = [];
    for (const inquiry of this.deps.inquiries) lines.push(...((await inquiry[kind]?.(session.person)) ?? []));
    const heading = kind === 'mine' ? '我的申请' : '我的待办';
    session.say(lines.length > 0 ? `【${heading}】\n${lines.join('\n')}` : kind === 'mine' ? '您目前没有提交过申请或备案。' : '您目前没有待办事项。');
  }

  private menu(session: Session): void {
    session.send(menuCard(`m${randomBytes(8).toString('hex')}`, session.person.name, this.deps.menu));
  }

  private async menuClick(session: Session, target: string): Promise<void> {
    if (target === 'mine' || target === 'todo') return this.inquire(session, target);
    const dialogue = this.byName.get(target);
    if (!dialogue) {
      session.say('这个功能暂不可用，请发送“菜单”查看可办理的事项。');
      return;
    }
    if (session.draft) return this.alreadyFilling(session);
    return this.steps.start(session, dialogue, {}, `需要时发送“${dialogue.triggers[0]}”或在菜单中点选重新开始。`);
  }

  private async offerClick(session: Session, offerId: string, answer: string): Promise<void> {
    const raw = await this.deps.state.get(`offer:${offerId}`);
    if (!raw) {
      session.say('这个提醒已处理过或已过期。');
      return;
    }
    await this.deps.state.delete(`offer:${offerId}`);
    session.send({ kind: 'cardUpdate', cardId: offerId, closedLabel: answer === 'yes' ? '已开始记录' : '稍后再说' });
    const { dialogue: name, prefill } = JSON.parse(raw) as { dialogue: string; prefill: Values };
    const dialogue = this.byName.get(name);
    if (answer !== 'yes' || !dialogue) {
      session.say(`好的。需要时发送“${dialogue?.triggers[0] ?? '菜单'}”即可。`);
      return;
    }
    if (session.draft) return this.alreadyFilling(session);
    return this.steps.start(session, dialogue, prefill, dialogue.triggers[0] ? `需要时发送“${dialogue.triggers[0]}”重新开始。` : undefined);
  }

  private alreadyFilling(session: Session): Promise<void> {
    return this.withDraft(session, (dialogue) =>
      this.steps.reask(session, dialogue, `您正在填写“${dialogue.title}”，请先完成或发送“取消”。`),
    );
  }

  private async runAction(session: Session, action: Action, args: (string | undefined)[]): Promise<void> {
    let result: ActionResult;
    try {
      result = await action.run(session.turn, args.map((a) => a ?? ''));
    } catch (error) {
      if (!isExposed(error)) throw error;
      session.say(error.message);
      return;
    }
    if (result.say) session.say(result.say);
    for (const message of result.send ?? []) session.send(message);
    if (!result.start) return;
    const dialogue = this.byName.get(result.start.dialogue);
    if (!dialogue) throw new Error(`action asked for unknown dialogue ${result.start.dialogue}`);
    if (session.draft) return this.alreadyFilling(session);
    // A card's button starts it again with the same case; a typed command, by typing it again.
    const restart = session.turn.event.kind === 'click' ? '需要时再次点击原卡片上的按钮重新填写。' : `需要时再次发送“${session.turn.event.kind === 'text' ? session.turn.event.text.trim() : ''}”重新开始。`;
    return this.steps.start(session, dialogue, result.start.prefill, restart);
  }

  private async withDraft(session: Session, work: (dialogue: AnyDialogue) => Promise<void> | void): Promise<void> {
    const dialogue = session.draft && this.byName.get(session.draft.dialogue);
    if (!dialogue) {
      session.say('您当前没有正在填写的内容。发送“菜单”查看可办理的事项。');
      return;
    }
    await work(dialogue);
  }
}
