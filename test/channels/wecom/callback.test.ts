import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { UNKNOWN_USER_REPLY } from '../../../src/bot/inboxWorker';
import type { TurnHandler } from '../../../src/bot/turn';
import type { ClickEvent } from '../../../src/channels/port';
import type { ManualClock } from '../../../src/clock';
import type { Bot } from '../../../src/container';
import { createLogger } from '../../../src/logger';
import { insert } from '../../../src/storage/sql';
import { databaseBackends, stateBackends, testClock } from '../../support/backends';
import { FakeWecom } from '../../support/fakeWecom';
import { createTestBot, seedTwoPeople } from '../../support/fixtures';
import { serve } from '../../support/http';
import { AGENT_ID, cardClickXml, envelope, postCallback, SAMPLE, seal, SECRET, textXml, wecomEnv } from './callbacks';

/** sqlite with the in-process store, and MariaDB with Redis when both are configured. */
const stacks = databaseBackends.map((database, i) => ({ database, state: stateBackends[Math.min(i, stateBackends.length - 1)] }));

describe.each(stacks)('the WeCom callback on $database.name + $state.name', ({ database: backend, state }) => {
  let db: DataSource;
  let dispose: () => Promise<void>;
  let clock: ManualClock;
  let fake: FakeWecom;
  let bot: Bot;
  let server: Awaited<ReturnType<typeof serve>>;
  let logLines: Record<string, unknown>[];

  const now = () => Math.floor(clock.now().getTime() / 1000);
  const count = async (table: 'inbox' | 'outbox') => Number((await db.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  /** Lets the background worker finish handling what was received and sending the replies. */
  const settle = async () => {
    for (let i = 0; i < 3; i++) await bot.worker.kick();
  };

  async function start(handler?: TurnHandler): Promise<void> {
    logLines = [];
    const logger = createLogger('debug', { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) });
    bot = await createTestBot({ db, clock, logger, state: state.open(clock), ...(handler ? { handler } : {}) }, wecomEnv(fake));
    server = await serve(bot.app);
  }

  beforeEach(async () => {
    ({ db, dispose } = await backend.open());
    await seedTwoPeople(db);
    clock = testClock();
    fake = await new FakeWecom(SAMPLE.corpId, SECRET, AGENT_ID).start();
  });
  afterEach(async () => {
    await server.close();
    await bot.close();
    await fake.close();
    await dispose();
  });

  it('answers the URL check of the official sample with the bare plaintext', async () => {
    await start();
    const { msgSignature, timestamp, nonce, echostr, plaintext } = SAMPLE.urlCheck;
    clock.set(new Date(Number(timestamp) * 1000));
    const started = performance.now();
    const response = await fetch(
      `${server.url}/wecom/callback?msg_signature=${msgSignature}&timestamp=${timestamp}&nonce=${nonce}&echostr=${encodeURIComponent(echostr)}`,
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe(plaintext);
  });

  it('takes the official sample message: 200 with an empty body, MsgId kept exact, the sender answered', async () => {
    await start();
    const at = '2026-01-01T00:00:00.000Z';
    const [unit]: { id: number }[] = await db.query(`SELECT id FROM units WHERE code = 'U1'`);
    await insert(db, 'people', {
      code: 'M1', name: '孟创', post: '科员', nature: '行政', unit_id: unit.id, city_managed: 0, wecom_user_id: SAMPLE.message.from,
      dingtalk_user_id: null, joined_on: null, left_on: null, created_at: at, updated_at: at,
    });
    const { msgSignature, timestamp, nonce, encrypt } = SAMPLE.message;
    clock.set(new Date(Number(timestamp) * 1000));

    const response = await postCallback(server.url, {
      query: `msg_signature=${msgSignature}&timestamp=${timestamp}&nonce=${nonce}`,
      body: envelope(encrypt),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('0');
    expect(await response.text()).toBe('');

    const [row]: { dedupe_key: string; payload: string }[] = await db.query('SELECT dedupe_key, payload FROM inbox');
    expect(row.dedupe_key).toBe(`msg:${SAMPLE.message.msgId}`);
    expect(JSON.parse(row.payload)).toMatchObject({ kind: 'text', channelUserId: 'mycreate', messageId: '4561255354251345929', text: 'hello' });

    await settle();
    const [reply] = fake.delivered();
    expect(reply).toMatchObject({ touser: 'mycreate', agentid: AGENT_ID, msgtype: 'template_card' });
    expect(JSON.stringify(reply)).toContain('孟创，您好');
  });

  describe('refusals', () => {
    type Case = { name: string; status: number; reason: RegExp; request: () => Promise<Response> };
    const cases: Case[] = [
      {
        name: 'a bad signature',
        status: 401,
        reason: /bad msg_signature/,
        request: () => {
          const sealed = seal(textXml({ from: 'zhangsan', text: '你好', msgId: '1', createTime: now() }), { timestamp: now() });
          return postCallback(server.url, { ...sealed, query: sealed.query.replace(/msg_signature=[0-9a-f]{40}/, `msg_signature=${'0'.repeat(40)}`) });
        },
      },
      {
        name: 'a payload for another corp',
        status: 401,
        reason: /receive id/,
        request: () => postCallback(server.url, seal(textXml({ from: 'zhangsan', text: '你好', msgId: '2', createTime: now() }), { timestamp: now(), receiveId: 'ww0123456789abcdef' })),
      },
      {
        name: 'a body that is not XML',
        status: 400,
        reason: /not well-formed/,
        request: () => postCallback(server.url, { query: seal('x', { timestamp: now() }).query, body: '{"Encrypt": "garbage"}' }),
      },
      {
        name: 'a decrypted payload that is not XML',
        status: 400,
        reason: /decrypted payload is not well-formed/,
        request: () => postCallback(server.url, seal('<xml><FromUserName>zhangsan</xml>', { timestamp: now() })),
      },
      {
        name: 'a body over the size limit',
        status: 413,
        reason: /too large/,
        request: () => postCallback(server.url, { query: seal('x', { timestamp: now() }).query, body: `<xml><Encrypt>${'A'.repeat(bot.config.bodyLimitBytes)}</Encrypt></xml>` }),
      },
      {
        name: 'a stale timestamp, correctly signed',
        status: 401,
        reason: /timestamp is more than 300 s away/,
        request: () => postCallback(server.url, seal(textXml({ from: 'zhangsan', text: '你好', msgId: '3', createTime: now() - 301 }), { timestamp: now() - 301 })),
      },
      {
        name: 'an XML entity bomb in the body',
        status: 400,
        reason: /DOCTYPE or ENTITY/,
        request: () =>
          postCallback(server.url, {
            query: seal('x', { timestamp: now() }).query,
            body: '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><xml><Encrypt>&b;</Encrypt></xml>',
          }),
      },
      {
        name: 'an XML entity bomb inside the encrypted payload',
        status: 400,
        reason: /DOCTYPE or ENTITY/,
        request: () =>
          postCallback(
            server.url,
            seal('<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><xml><FromUserName>zhangsan</FromUserName><Content>&b;</Content></xml>', { timestamp: now() }),
          ),
      },
      {
        name: 'missing signature parameters',
        status: 400,
        reason: /msg_signature is missing/,
        request: () => fetch(`${server.url}/wecom/callback`, { method: 'POST', body: '<xml/>' }),
      },
    ];

    it.each(cases)('refuses $name with $status, records nothing, and logs only the reason', async ({ status, reason, request }) => {
      await start();
      const response = await request();
      expect(response.status).toBe(status);
      await settle();
      expect(await count('inbox')).toBe(0);
      expect(await count('outbox')).toBe(0);
      expect(fake.calls('/cgi-bin/message/send')).toHaveLength(0);
      const refusal = logLines.find((l) => l.msg === 'request refused');
      expect(refusal?.reason).toMatch(reason);
      expect(JSON.stringify(logLines)).not.toMatch(/你好|zhangsan/);
    });

    it('refuses a URL check with a bad signature', async () => {
      await start();
      const { timestamp, nonce, echostr } = SAMPLE.urlCheck;
      clock.set(new Date(Number(timestamp) * 1000));
      const response = await fetch(
        `${server.url}/wecom/callback?msg_signature=${'0'.repeat(40)}&timestamp=${timestamp}&nonce=${nonce}&echostr=${encodeURIComponent(echostr)}`,
      );
      expect(response.status).toBe(401);
    });
  });

  it('handles a message WeCom delivers three times exactly once', async () => {
    let handled = 0;
    await start(async (turn) => {
      handled += 1;
      turn.reply({ kind: 'text', text: `收到：${turn.event.kind === 'text' ? turn.event.text : ''}` });
    });
    const plaintext = textXml({ from: 'zhangsan', text: '申请容错', msgId: '7310000000000000001', createTime: now() });
    const first = await postCallback(server.url, seal(plaintext, { timestamp: now() }));
    clock.advance(5_000);
    const retries = await Promise.all([postCallback(server.url, seal(plaintext, { timestamp: now() })), postCallback(server.url, seal(plaintext, { timestamp: now() }))]);
    expect([first, ...retries].map((r) => r.status)).toEqual([200, 200, 200]);

    await settle();
    expect(handled).toBe(1);
    expect(await count('inbox')).toBe(1);
    expect(await count('outbox')).toBe(1);
    expect(fake.delivered()).toEqual([{ touser: 'zhangsan', agentid: AGENT_ID, msgtype: 'text', text: { content: '收到：申请容错' } }]);
  });

  it('tells a WeCom user missing from the roster to contact 党群工作部, and nothing else', async () => {
    await start();
    await postCallback(server.url, seal(textXml({ from: 'stranger', text: '你好', msgId: '42', createTime: now() }), { timestamp: now() }));
    await settle();
    expect(fake.delivered()).toEqual([{ touser: 'stranger', agentid: AGENT_ID, msgtype: 'text', text: { content: UNKNOWN_USER_REPLY } }]);
  });

  it('turns a card click into a click event, then closes the card with the click’s response code', async () => {
    const clicks: ClickEvent[] = [];
    await start(async (turn) => {
      if (turn.event.kind === 'click') {
        clicks.push(turn.event);
        turn.reply({ kind: 'cardUpdate', cardId: turn.event.cardId, closedLabel: '已同意 · 张三 · 11月27日' });
        return;
      }
      turn.reply({
        kind: 'card',
        card: {
          cardId: 'approval:42',
          title: '容错免责申请待审批',
          description: '申请人：李四',
          fields: [{ label: '事项', value: '招商项目提前开工' }],
          buttons: [
            { key: 'approve', label: '同意', style: 'primary' },
            { key: 'reject', label: '退回', style: 'danger' },
          ],
        },
      });
    });

    await postCallback(server.url, seal(textXml({ from: 'zhangsan', text: '待办', msgId: '100', createTime: now() }), { timestamp: now() }));
    await settle();
    const [sent] = fake.delivered();
    expect(sent).toEqual({
      touser: 'zhangsan',
      agentid: AGENT_ID,
      msgtype: 'template_card',
      template_card: {
        card_type: 'button_interaction',
        main_title: { title: '容错免责申请待审批' },
        sub_title_text: '申请人：李四',
        horizontal_content_list: [{ type: 0, keyname: '事项', value: '招商项目提前开工' }],
        task_id: 'approval@3a42',
        button_list: [
          { type: 0, text: '同意', style: 1, key: 'approve' },
          { type: 0, text: '退回', style: 3, key: 'reject' },
        ],
      },
    });

    clock.advance(60_000);
    const click = seal(cardClickXml({ from: 'zhangsan', createTime: now(), eventKey: 'approve', taskId: 'approval@3a42', responseCode: 'click-code-1' }), {
      timestamp: now(),
    });
    expect((await postCallback(server.url, click)).status).toBe(200);
    expect((await postCallback(server.url, { ...click, query: click.query.replace(/nonce=\d+/, 'nonce=1') })).status).toBe(401);
    await settle();

    expect(clicks).toEqual([{ channel: 'wecom', channelUserId: 'zhangsan', kind: 'click', cardId: 'approval:42', action: 'approve', sentAt: clock.now().toISOString() }]);
    expect(fake.cardUpdates()).toEqual([
      { userids: ['zhangsan'], agentid: AGENT_ID, response_code: 'click-code-1', button: { replace_name: '已同意 · 张三 · 11月27日' } },
    ]);
  });
});
