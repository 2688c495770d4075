import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../../src/container';
import { createLogger } from '../../src/logger';
import { importRosterFile } from '../../src/roster/importRoster';
import { SAMPLE_ROSTER_PATH } from '../../src/roster/sampleRoster';
import { APP_KEY, APP_SECRET, CARD_SECRET, EVENT_KEYS, postEvent, sealEvent } from '../channels/dingtalk/callbacks';
import { AGENT_ID, postCallback, SAMPLE, seal, SECRET, textXml, wecomEnv } from '../channels/wecom/callbacks';
import { databaseBackends, stateBackends, testClock } from '../support/backends';
import type { Answer, ChatContext, Chatter } from '../support/chatters/base';
import { dingtalkMessenger } from '../support/chatters/dingtalk';
import type { Messenger } from '../support/chatters/messenger';
import { wecomMessenger } from '../support/chatters/wecom';
import { FakeWecom } from '../support/fakeWecom';
import { createTestBot } from '../support/fixtures';
import { serve } from '../support/http';
import { applyForTolerance, decide, investigate } from '../support/toleranceDialogue';

/**
 * Secrets and what people wrote never reach the logs. A bot logging at `trace` (everything it has
 * to say) runs the whole of a 容错 request over a messenger's real callbacks: 启动问责, the
 * application, the three approvals with the 六看, a talk record with a distinctive summary, a
 * refused look at that talk, exports and their downloads. Then every log line, and anything else
 * the process printed, is searched for the messenger's keys, the access tokens its fake issued,
 * each text a person typed, and the download links' tokens.
 */
const runs = [
  {
    channel: 'wecom' as const,
    messenger: wecomMessenger,
    tokenKey: `wecom:token:${SAMPLE.corpId}:${AGENT_ID}`,
    secrets: { 'WeCom app secret': SECRET, EncodingAESKey: SAMPLE.encodingAesKey, 'callback Token': SAMPLE.token },
  },
  {
    channel: 'dingtalk' as const,
    messenger: dingtalkMessenger,
    tokenKey: `dingtalk:token:${APP_KEY}`,
    secrets: { 'DingTalk app secret': APP_SECRET, 'event aes_key': EVENT_KEYS.aesKey, 'event Token': EVENT_KEYS.token, 'card callback secret': CARD_SECRET },
  },
];

describe.each(runs)('nothing secret or personal in the logs of a whole 容错 case over $channel', ({ channel, messenger: openMessenger, tokenKey, secrets }) => {
  const database = databaseBackends[databaseBackends.length - 1];
  const logged: string[] = [];
  const printed: string[] = [];
  const typed: string[] = [];
  const linkTokens: string[] = [];
  let bot: Bot;
  let db: DataSource;
  let messenger: Messenger;
  let url = '';
  let close: () => Promise<void>;
  let as: (code: string) => Chatter = () => {
    throw new Error('not started');
  };

  beforeAll(async () => {
    const opened = await database.open();
    db = opened.db;
    const clock = testClock();
    await importRosterFile(db, SAMPLE_ROSTER_PATH, clock);
    messenger = await openMessenger();
    // Everyone gets an id on the messenger (the sample roster has them for some people only).
    const people: { id: number; code: string; linked: string | null }[] = await db.query(`SELECT id, code, ${messenger.column} AS linked FROM people`);
    const ids = new Map<string, string>();
    for (const p of people) {
      const id = p.linked ?? messenger.idFor(p.code);
      if (!p.linked) await db.query(`UPDATE people SET ${messenger.column} = ? WHERE id = ?`, [id, p.id]);
      ids.set(p.code, id);
    }
    const logger = createLogger('trace', { write: (line: string) => void logged.push(line) });
    bot = await createTestBot({ db, clock, logger, state: stateBackends[stateBackends.length - 1].open(clock) }, messenger.env);
    const server = await serve(bot.app);
    url = server.url;
    const context: ChatContext = { url, bot, clock };
    const chatters = new Map<string, Chatter>();
    as = (code) => {
      let chatter = chatters.get(code);
      if (!chatter) {
        const inner = messenger.chatter(code, ids.get(code)!, context);
        // Whatever a person types is content the logs must not carry.
        chatter = Object.assign(Object.create(inner) as Chatter, {
          says: (text: string) => {
            typed.push(text);
            return inner.says(text);
          },
        });
        chatters.set(code, chatter);
      }
      return chatter;
    };
    // Anything printed past the logger (console, Koa's default error output) is searched too.
    const writes = [process.stdout, process.stderr].map((stream) => {
      const original = stream.write.bind(stream);
      stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        printed.push(String(chunk));
        return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write;
      return () => void (stream.write = original);
    });
    close = async () => {
      writes.forEach((restore) => restore());
      await server.close();
      await bot.close();
      await messenger.close();
      await opened.dispose();
    };
  }, 60_000);
  afterAll(async () => close?.());

  const linkToken = (answer: Answer) => /\/documents\/([\w-]{43})/.exec(answer.text)?.[1];

  it('runs the case from 启动问责 to the granted exemption, a talk record, a refusal and exports', async () => {
    const [wuHaiyan, yangFan, liuYang, chenJianguo, xuMin] = ['P009', 'P014', 'P012', 'P001', 'P015'].map((code) => as(code));
    await wuHaiyan.says('启动问责');
    await wuHaiyan.taps('个人');
    await wuHaiyan.says('杨帆');
    await wuHaiyan.says('滨江项目征地补偿协议提前签订造成损失（日志检查专用事项描述）');
    await wuHaiyan.taps('今天');
    await wuHaiyan.taps('提交');
    expect((await applyForTolerance(yangFan)).text).toMatch(/已提交容错免责申请，编号 (RC\d{4}-\d{4})/);
    const [{ number }]: { number: string }[] = await db.query('SELECT number FROM cases');
    await decide(liuYang, '同意', '情况属实，同意报纪工委调查核实（日志检查专用意见甲）。');
    await investigate(wuHaiyan, '予以容错免责');
    await decide(chenJianguo, '同意', '同意纪工委意见，予以容错免责（日志检查专用意见乙）。');
    expect((await db.query('SELECT status FROM cases'))[0].status).toBe('granted');

    await liuYang.says('记录谈话');
    await liuYang.says('杨帆');
    await liuYang.says('2026-11-20');
    await liuYang.says('局长办公室西侧小会议室');
    await liuYang.says('1');
    await liuYang.says('1,2');
    await liuYang.says('谈及家中老人住院需要照顾、近期睡眠不好等个人情况，约定下月再谈（谈话摘要 ZX-7731）。');
    await liuYang.says('希望调整下季度值班安排以便照顾家人');
    await liuYang.says('跳过');
    const saved = await liuYang.taps('提交');
    const talkNumber = /TH\d{4}-\d+/.exec(saved.text)![0];
    expect((await liuYang.says(`查看谈话 ${talkNumber}`)).text).toContain('ZX-7731');
    expect((await xuMin.says(`查看谈话 ${talkNumber}`)).text).toContain('您无权查看');

    for (const answer of [await yangFan.says(`导出 ${number}`), await wuHaiyan.says('导出台账 2026')]) {
      const token = linkToken(answer);
      expect(token).toBeDefined();
      linkTokens.push(token!);
    }
    if (channel === 'dingtalk') {
      // An event push is decrypted and logged by its type only.
      const push = await postEvent(url, sealEvent('{"EventType":"user_modify_org","UserId":["0167200009"],"Secret":"日志检查专用事件内容"}', { timestamp: Date.parse('2026-11-27T02:30:00Z') }));
      expect(push.status).toBe(200);
      typed.push('日志检查专用事件内容');
    }
  });

  it('downloads the exported documents through their links', async () => {
    for (const token of linkTokens) {
      const response = await fetch(`${url}/documents/${token}`);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
  });

  it('logs none of the keys, tokens, texts or links', async () => {
    const output = [...logged, ...printed].join('\n');
    expect(logged.length).toBeGreaterThan(50); // it did log: requests, callbacks, sends
    // The access token the fake platform issued, as the bot keeps it (shared by instances).
    const tokens = [await bot.state.get(tokenKey)].filter((t): t is string => !!t);
    expect(tokens).toHaveLength(1);
    const contents = [...new Set(typed)].filter((text) => text.length >= 4 && !/^[\d\s,，、.-]+$/.test(text));
    expect(contents).toContain('谈及家中老人住院需要照顾、近期睡眠不好等个人情况，约定下月再谈（谈话摘要 ZX-7731）。');
    const leaks = [
      ...Object.entries(secrets).filter(([, value]) => output.includes(value)).map(([name]) => name),
      ...tokens.filter((t) => output.includes(t)).map((t) => `access token ${t}`),
      ...contents.filter((t) => output.includes(t)).map((t) => `typed text “${t}”`),
      ...linkTokens.filter((t) => output.includes(t)).map((t) => `download token ${t}`),
    ];
    expect(leaks).toEqual([]);
    // A request's route is logged by its pattern: the download link's token never appears as a path.
    expect(output).toContain('"route":"/documents/:token"');
  });
});

describe('a store failure while a callback is recorded', () => {
  it('logs the failure, not the message or the query that carried it', async () => {
    const { db, dispose } = await databaseBackends[0].open();
    const clock = testClock();
    const fake = await new FakeWecom(SAMPLE.corpId, SECRET, AGENT_ID).start();
    const logged: string[] = [];
    const bot = await createTestBot({ db, clock, logger: createLogger('trace', { write: (line: string) => void logged.push(line) }) }, wecomEnv(fake));
    const server = await serve(bot.app);
    try {
      // The inbox is gone (as if the database refused the write): the INSERT fails with its
      // parameters, the event's JSON with the text, attached to the error.
      await db.query('ALTER TABLE inbox RENAME TO inbox_away');
      const t = Math.floor(clock.now().getTime() / 1000);
      const text = '这是一段不应出现在日志里的谈话内容 QX-5521';
      const response = await postCallback(server.url, seal(textXml({ from: 'liuyang', text, msgId: '7788990011', createTime: t }), { timestamp: t }));
      expect(response.status).toBe(500); // not acknowledged: WeCom posts it again
      expect(await response.text()).toBe('{"error":"internal error"}');
      const output = logged.join('\n');
      expect(output).toContain('"msg":"request failed"');
      expect(output).toContain('QueryFailedError');
      expect(output).not.toContain('QX-5521');
      expect(output).not.toMatch(/"parameters"|"sql"/);
    } finally {
      await db.query('ALTER TABLE inbox_away RENAME TO inbox');
      await server.close();
      await bot.close();
      await fake.close();
      await dispose();
    }
  });
});
