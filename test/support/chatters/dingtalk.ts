import type { SampleFile } from '../sampleFiles';
import type { TranscriptEntry } from '../../../src/channels/simulator/transcript';
import { cardIdOf, MAX_BUTTONS, outTrackIdOf } from '../../../src/channels/dingtalk/messages';
import type { CardButton } from '../../../src/channels/port';
import { APP_KEY, APP_SECRET, cardClick, dingtalkEnv, postCard, postRobot, ROBOT_CODE, robotFile, robotPicture, robotText } from '../../channels/dingtalk/callbacks';
import { FakeDingtalk, type FakeCard, type RecordedRequest } from '../fakeDingtalk';
import { RemoteChatter, type Answer, type ChatContext } from './base';
import type { Messenger } from './messenger';

const { send: SEND, createCard: CREATE } = FakeDingtalk.paths;

/** The card as its recipient sees it now: the template's data, updates included. */
function cardOf({ outTrackId, params }: FakeCard): NonNullable<TranscriptEntry['card']> {
  const buttons: CardButton[] = [];
  for (let slot = 1; slot <= MAX_BUTTONS; slot++) {
    if (params[`button${slot}Visible`] !== 'true') continue;
    buttons.push({ key: params[`button${slot}Key`], label: params[`button${slot}Text`], style: params[`button${slot}Style`] as CardButton['style'] });
  }
  const fields = params.fields
    .split('\n')
    .map((line) => /^\*\*(.+?)\*\*：(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, label, value]) => ({ label, value }));
  return {
    cardId: cardIdOf(outTrackId),
    title: params.title,
    ...(params.description ? { description: params.description } : {}),
    fields,
    buttons,
    ...(params.linkVisible === 'true' ? { link: { label: params.linkText, url: params.linkUrl } } : {}),
    ...(params.closed === 'true' ? { closedLabel: params.closedLabel } : {}),
  };
}

function entryOf(request: RecordedRequest, fake: FakeDingtalk, seq: number): TranscriptEntry {
  const base = { seq, from: 'bot' as const, at: '' };
  if (request.path === CREATE) return { ...base, card: cardOf(fake.cards.get(String(request.body.outTrackId))!) };
  const param = JSON.parse(request.body.msgParam as string) as { content?: string; text?: string };
  return request.body.msgKey === 'sampleText' ? { ...base, text: param.content } : { ...base, markdown: param.text };
}

class DingtalkChatter extends RemoteChatter {
  private static sequence = 0;

  constructor(
    code: string,
    chat: ChatContext,
    private readonly userId: string,
    private readonly fake: FakeDingtalk,
  ) {
    super(code, chat);
  }

  says(text: string): Promise<Answer> {
    return this.act((now) => postRobot(this.chat.url, robotText({ from: this.userId, text, msgId: this.msgId(), createAt: now.getTime() }), { timestamp: now.getTime() }));
  }

  sends(fileName: string, content: SampleFile = { name: fileName, contentType: 'text/plain', bytes: Buffer.from(`测试文件：${fileName}\n`) }): Promise<Answer> {
    const downloadCode = `dl-${++DingtalkChatter.sequence}`;
    this.fake.files.set(downloadCode, content);
    const picture = content.contentType.startsWith('image/');
    return this.act((now) => {
      const sender = { from: this.userId, msgId: this.msgId(), createAt: now.getTime() };
      return postRobot(this.chat.url, picture ? robotPicture({ ...sender, downloadCode }) : robotFile({ ...sender, fileName, downloadCode }), { timestamp: now.getTime() });
    });
  }

  /** Taps the instance this person was sent, or (a test of refusals) someone else's copy of the card. */
  tapsOn(cardId: string, action: string): Promise<Answer> {
    const own = outTrackIdOf(cardId, this.userId);
    const outTrackId = this.fake.cards.has(own) ? own : ([...this.fake.cards.keys()].find((id) => cardIdOf(id) === cardId) ?? own);
    return this.act((now) => postCard(this.chat.url, cardClick({ userId: this.userId, outTrackId, action }), { timestamp: now.getTime() }));
  }

  transcript(): TranscriptEntry[] {
    const space = `dtv1.card//IM_ROBOT.${this.userId}`;
    return this.fake.accepted
      .map((request, i) => ({ request, seq: i + 1 }))
      .filter(({ request: r }) => (r.path === SEND && (r.body.userIds as string[]).includes(this.userId)) || (r.path === CREATE && r.body.openSpaceId === space))
      .map(({ request, seq }) => entryOf(request, this.fake, seq));
  }

  private msgId(): string {
    return `msg${++DingtalkChatter.sequence}==`;
  }
}

export async function dingtalkMessenger(): Promise<Messenger> {
  const fake = await new FakeDingtalk(APP_KEY, APP_SECRET, ROBOT_CODE).start();
  return {
    env: dingtalkEnv(fake),
    column: 'dingtalk_user_id',
    idFor: (code) => `dt-${code.toLowerCase()}`,
    chatter: (code, userId, chat) => new DingtalkChatter(code, chat, userId, fake),
    close: () => fake.close(),
  };
}
