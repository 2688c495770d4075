import { samplePng, type SampleFile } from '../sampleFiles';
import type { TranscriptEntry } from '../../../src/channels/simulator/transcript';
import { cardIdOf, taskIdOf } from '../../../src/channels/wecom/messages';
import { AGENT_ID, cardClickXml, postCallback, SAMPLE, SECRET, seal, textXml, wecomEnv } from '../../channels/wecom/callbacks';
import { FakeWecom } from '../fakeWecom';
import { RemoteChatter, type Answer, type ChatContext } from './base';
import type { Messenger } from './messenger';

type Body = Record<string, unknown>;
interface TemplateCard {
  task_id: string;
  main_title: { title: string };
  sub_title_text?: string;
  horizontal_content_list?: { keyname: string; value: string }[];
  button_list: { text: string; key: string; style: number }[];
  jump_list?: { title: string; url: string }[];
}

const STYLE = { 1: 'primary', 2: 'default', 3: 'danger' } as const;

function entryOf(body: Body, seq: number): TranscriptEntry {
  const base = { seq, from: 'bot' as const, at: '' };
  if (body.msgtype === 'text') return { ...base, text: (body.text as { content: string }).content };
  if (body.msgtype === 'markdown') return { ...base, markdown: (body.markdown as { content: string }).content };
  const card = body.template_card as TemplateCard;
  return {
    ...base,
    card: {
      cardId: cardIdOf(card.task_id),
      title: card.main_title.title,
      description: card.sub_title_text,
      fields: (card.horizontal_content_list ?? []).map((h) => ({ label: h.keyname, value: h.value })),
      buttons: card.button_list.map((b) => ({ key: b.key, label: b.text, style: STYLE[b.style as keyof typeof STYLE] })),
      ...(card.jump_list?.[0] ? { link: { label: card.jump_list[0].title, url: card.jump_list[0].url } } : {}),
    },
  };
}

/** WeCom's side of a chat: the fake API, and which response code closes which member's card. */
class WecomPhones {
  private sequence = 0;
  /** Response codes of the clicks made so far: the card each clicked, and who clicked. */
  private readonly tapCodes = new Map<string, { cardId: string; userid: string }>();

  constructor(readonly fake: FakeWecom) {}

  next(): number {
    return ++this.sequence;
  }

  tapCode(cardId: string, userid: string): string {
    const code = `tap-code-${this.next()}`;
    this.tapCodes.set(code, { cardId, userid });
    return code;
  }

  /**
   * One member's chat. A card is closed by the code of its send (send-code-N for the N-th card) or
   * of a click, and only for the member that code was issued to: another member's code, spent on
   * this member's card, leaves it as it was.
   */
  transcriptOf(userid: string): TranscriptEntry[] {
    const sendCodes = new Map<string, { cardId: string; userid: string }>();
    const entries: TranscriptEntry[] = [];
    this.fake.delivered().forEach((body, i) => {
      const entry = entryOf(body, i + 1);
      if (entry.card) sendCodes.set(`send-code-${sendCodes.size + 1}`, { cardId: entry.card.cardId, userid: body.touser as string });
      if (body.touser === userid) entries.push(entry);
    });
    for (const update of this.fake.cardUpdates()) {
      if (!(update.userids as string[]).includes(userid)) continue;
      const code = update.response_code as string;
      const issued = this.tapCodes.get(code) ?? sendCodes.get(code);
      if (issued?.userid !== userid) continue;
      for (const e of entries) if (e.card && e.card.cardId === issued.cardId) e.card.closedLabel = (update.button as { replace_name: string }).replace_name;
    }
    return entries;
  }
}

class WecomChatter extends RemoteChatter {
  constructor(
    code: string,
    chat: ChatContext,
    private readonly userid: string,
    private readonly phones: WecomPhones,
  ) {
    super(code, chat);
  }

  says(text: string): Promise<Answer> {
    return this.send((t) => textXml({ from: this.userid, text, msgId: `${7_300_000_000 + this.phones.next()}`, createTime: t }));
  }

  /** WeCom gives an app's messages no file kind: what a member can send is a picture, without a name. */
  sends(fileName: string, content: SampleFile = samplePng(fileName)): Promise<Answer> {
    const mediaId = `media-${this.phones.next()}`;
    this.phones.fake.media.set(mediaId, { ...content, fileName: `${mediaId}.${content.contentType.split('/')[1]}` });
    return this.send(
      (t) =>
        `<xml><ToUserName><![CDATA[${SAMPLE.corpId}]]></ToUserName><FromUserName><![CDATA[${this.userid}]]></FromUserName>` +
        `<CreateTime>${t}</CreateTime><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[https://wework.example/${encodeURIComponent(fileName)}]]></PicUrl>` +
        `<MediaId><![CDATA[${mediaId}]]></MediaId><MsgId>${7_300_000_000 + this.phones.next()}</MsgId><AgentID>${AGENT_ID}</AgentID></xml>`,
    );
  }

  tapsOn(cardId: string, action: string): Promise<Answer> {
    return this.send((t) => cardClickXml({ from: this.userid, createTime: t, eventKey: action, taskId: taskIdOf(cardId), responseCode: this.phones.tapCode(cardId, this.userid) }));
  }

  transcript(): TranscriptEntry[] {
    return this.phones.transcriptOf(this.userid);
  }

  private send(plaintext: (unixTime: number) => string): Promise<Answer> {
    return this.act((now) => {
      const t = Math.floor(now.getTime() / 1000);
      return postCallback(this.chat.url, seal(plaintext(t), { timestamp: t }));
    });
  }
}

export async function wecomMessenger(): Promise<Messenger> {
  const phones = new WecomPhones(await new FakeWecom(SAMPLE.corpId, SECRET, AGENT_ID).start());
  return {
    env: wecomEnv(phones.fake),
    column: 'wecom_user_id',
    idFor: (code) => `wx-${code.toLowerCase()}`,
    chatter: (code, userid, chat) => new WecomChatter(code, chat, userid, phones),
    close: () => phones.fake.close(),
  };
}
