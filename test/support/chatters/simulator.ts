import type { SampleFile } from '../sampleFiles';
import type { TranscriptEntry } from '../../../src/channels/simulator/transcript';
import type { Bot } from '../../../src/container';
import { bodyOf } from '../http';
import { Answer, ChatterBase } from './base';

/** A person at the simulator, which answers each request once the bot has answered. */
export class SimulatorChatter extends ChatterBase {
  constructor(
    private readonly chat: { readonly adminUrl: string; readonly bot: Bot },
    code: string,
  ) {
    super(code);
  }

  says(text: string): Promise<Answer> {
    return this.post('messages', { text });
  }

  sends(fileName: string, content?: SampleFile): Promise<Answer> {
    return this.post('attachments', content ? { fileName, contentBase64: content.bytes.toString('base64'), contentType: content.contentType } : { fileName });
  }

  tapsOn(cardId: string, action: string): Promise<Answer> {
    return this.post('clicks', { cardId, action });
  }

  transcript(): TranscriptEntry[] {
    return this.chat.bot.transcript!.since(this.code, 0);
  }

  private async post(endpoint: string, body: Record<string, string>): Promise<Answer> {
    const res = await fetch(`${this.chat.adminUrl}/simulator/api/${endpoint}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ as: this.code, ...body }),
    });
    if (!res.ok) throw new Error(`simulator answered ${res.status}`);
    return new Answer((await bodyOf<{ messages: TranscriptEntry[] }>(res)).messages);
  }
}
