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
      const response = await postCallback(h.url, sealed);
      expect(response.status).toBe(200);
      await h.settle();
      const [row]: { status: string; payload: string }[] = await h.db.query('SELECT status, payload FROM inbox');
      expect(row.status).toBe('done');
      expect(JSON.parse(row.payload).text).toBe(text);
      const replies = h.fake.delivered();
      expect(replies).toHaveLength(1);
      expect(JSON.stringify(replies[0])).toContain('超过了 3000 字');
      expect(leaks(h.logLines, text)).toEqual([]);
    });
  });

  describe('over DingTalk', () => {
    const h = dingtalkHarness(stack);

    it('stores a 100 KB robot message, answers 200 once, tells the person it is too long, and logs none of it', async () => {
      await h.start();
      const text = longText(100_000);
      expect(Buffer.byteLength(text)).toBeGreaterThan(99_000);
      const response = await postRobot(h.url, robotText({ from: 'zhangsan', text, msgId: 'msgLong==', createAt: h.now() }), { timestamp: h.now() });
      expect(response.status).toBe(200);
      await h.settle();
      const [row]: { status: string }[] = await h.db.query('SELECT status FROM inbox');
      expect(row.status).toBe('done');
      const sent = h.fake.sent();
      expect(sent).toHaveLength(1);
      expect(String(sent[0].msgParam)).toContain('超过了 3000 字');
      expect(leaks(h.logLines, text)).toEqual([]);
    });
  });
});
