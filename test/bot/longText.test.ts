import { describe, expect, it } from 'vitest';
import { stacks } from '../support/channelHarness';
import { postRobot, robotText } from '../channels/dingtalk/callbacks';
import { dingtalkHarness } from '../channels/dingtalk/harness';
import { postCallback, seal, textXml } from '../channels/wecom/callbacks';
import { wecomHarness } from '../channels/wecom/harness';

/** A text nobody would type, so that finding any 12 characters of it in a log line is proof of a leak. */
function longText(bytes: number): string {
  const words = '担当作为敢闯敢试先行先试容错纠错激励干部干事创业风清气正';
  let out = 'LONG-TEXT-MARKER';
  for (let i = 0; Buffer.byteLength(out) < bytes; i++) out += `${words[i % words.length]}${i % 97}`;
  return out;
}

/** The text was stored whole and handled once, and none of it reached a log line. */
async function storedAndHandled(h: { db: { query(sql: string): Promise<unknown> }; logLines: Record<string, unknown>[] }, text: string): Promise<void> {
  const rows = (await h.db.query('SELECT status, payload FROM inbox')) as { status: string; payload: string }[];
  expect(rows.map((r) => r.status)).toEqual(['done']);
  expect(JSON.parse(rows[0].payload).text).toBe(text);
  expect(leaks(h.logLines, text)).toEqual([]);
}

const leaks = (lines: Record<string, unknown>[], text: string) => {
  const probes = [text.slice(0, 16), text.slice(1000, 1012), text.slice(-12)];
  return lines.map((l) => JSON.stringify(l)).filter((line) => probes.some((p) => line.includes(p)));
};

describe.each(stacks)('a text longer than any answer, on $database.name + $state.name', (stack) => {
  describe('over WeCom', () => {
    const h = wecomHarness(stack);

    it('stores a 70 KB text, answers 200 once, tells the person politely it is too long, and logs none of it', async () => {
      await h.start();
      const text = longText(70_000);
      expect(Buffer.byteLength(text)).toBeGreaterThan(66_000);
      const sealed = seal(textXml({ from: 'zhangsan', text, msgId: '7310000000000099001', createTime: h.now() }), { timestamp: h.now() });
      expect((await postCallback(h.url, sealed)).status).toBe(200);
      await h.settle();
      await storedAndHandled(h, text);
      expect(h.fake.delivered().map((reply) => (reply.text as { content: string }).content)).toEqual([expect.stringContaining('超过了 3000 字')]);
    });
  });

  describe('over DingTalk', () => {
    const h = dingtalkHarness(stack);

    it('stores a 100 KB robot message, answers 200 once, tells the person it is too long, and logs none of it', async () => {
      await h.start();
      const text = longText(100_000);
      expect(Buffer.byteLength(text)).toBeGreaterThan(99_000);
      expect((await postRobot(h.url, robotText({ from: 'zhangsan', text, msgId: 'msgLong==', createAt: h.now() }), { timestamp: h.now() })).status).toBe(200);
      await h.settle();
      await storedAndHandled(h, text);
      expect(h.fake.sent().map((m) => String(m.msgParam))).toEqual([expect.stringContaining('超过了 3000 字')]);
    });
  });
});
