import { writeFileSync } from 'node:fs';
import { seal, textXml } from '../../test/channels/wecom/callbacks';

/** One text a member sends; each becomes a distinct WeCom callback (its own MsgId and nonce). */
export interface Said {
  from: string;
  text: string;
}

let lastMsgId = BigInt(Date.now()) * 1_000_000n;

/**
 * Encrypts and signs each text as WeCom does, before any timing starts (that is WeCom's work, not
 * the server's), and writes them one a line as "path<TAB>body" for the load generator.
 */
export function writeCallbacks(path: string, said: Said[]): void {
  const createTime = Math.floor(Date.now() / 1000);
  const lines = said.map(({ from, text }) => {
    const sealed = seal(textXml({ from, text, msgId: String(++lastMsgId), createTime }), { timestamp: createTime });
    return `/wecom/callback?${sealed.query}\t${sealed.body}`;
  });
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/** One callback posted by this process (preparation, not measured): its status. */
export async function postText(baseUrl: string, said: Said): Promise<number> {
  const createTime = Math.floor(Date.now() / 1000);
  const sealed = seal(textXml({ ...said, msgId: String(++lastMsgId), createTime }), { timestamp: createTime });
  const response = await fetch(`${baseUrl}/wecom/callback?${sealed.query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: sealed.body });
  await response.arrayBuffer();
  return response.status;
}
