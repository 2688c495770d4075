import { describe, expect, it } from 'vitest';
import { UNKNOWN_USER_REPLY } from '../../../src/bot/inboxWorker';
import type { TurnHandler } from '../../../src/bot/turn';
import type { ClickEvent } from '../../../src/channels/port';
import { insert } from '../../../src/storage/sql';
import { createTestBot } from '../../support/fixtures';
import { serve } from '../../support/http';
import { AGENT_ID, cardClickXml, envelope, postCallback, SAMPLE, seal, textXml, wecomEnv } from './callbacks';
import { stacks, wecomHarness } from './harness';

/** Every message/send asks WeCom to drop a resend of it (WECOM_DUPLICATE_CHECK_SECONDS, default 30 min). */
const CHECKED = { enable_duplicate_check: 1, duplicate_check_interval: 1800 };

describe.each(stacks)('the WeCom callback on $database.name + $state.name', (stack) => {
  const h = wecomHarness(stack);

  it('answers the URL check of the official sample with the bare plaintext', async () => {
    await h.start();
    const { msgSignature, timestamp, nonce, echostr, plaintext } = SAMPLE.urlCheck;
    h.clock.set(new Date(Number(timestamp) * 1000));
    const started = performance.now();
    const response = await fetch(
      `${h.url}/wecom/callback?msg_signature=${msgSignature}&timestamp=${timestamp}&nonce=${nonce}&echostr=${encodeURIComponent(echostr)}`,
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe(plaintext);
  });

  it('takes the official sample message: 200 with an empty body, MsgId kept exact, the sender answered', async () => {
    await h.start();
    const at = '2026-01-01T00:00:00.000Z';
    const [unit]: { id: number }[] = await h.db.query(`SELECT id FROM units WHERE code = 'U1'`);
    await insert(h.db, 'people', {
      code: 'M1', name: '孟创', post: '科员', nature: '行政', unit_id: unit.id, city_managed: 0, wecom_user_id: SAMPLE.message.from,
      dingtalk_user_id: null, joined_on: null, left_on: null, created_at: at, updated_at: at,
    });
    const { msgSignature, timestamp, nonce, encrypt } = SAMPLE.message;
    h.clock.set(new Date(Number(timestamp) * 1000));

    const response = await postCallback(h.url, {
      query: `msg_signature=${msgSignature}&timestamp=${timestamp}&nonce=${nonce}`,
      body: envelope(encrypt),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('0');
    expect(await response.text()).toBe('');

    const [row]: { dedupe_key: string; payload: string }[] = await h.db.query('SELECT dedupe_key, payload FROM inbox');
    expect(row.dedupe_key).toBe(`msg:${SAMPLE.message.msgId}`);
    expect(JSON.parse(row.payload)).toMatchObject({ kind: 'text', channelUserId: 'mycreate', messageId: '4561255354251345929', text: 'hello' });

    await h.settle();
    const [reply] = h.fake.delivered();
    expect(reply).toMatchObject({ touser: 'mycreate', agentid: AGENT_ID, msgtype: 'template_card' });
    expect(JSON.stringify(reply)).toContain('孟创，您好');
  });

  it('handles a message WeCom delivers three times, to two instances, exactly once', async () => {
    let handled = 0;
    const handler: TurnHandler = async (turn) => {
      handled += 1;
      turn.reply({ kind: 'text', text: `收到：${turn.event.kind === 'text' ? turn.event.text : ''}` });
    };
    await h.start(handler);
    const other = await createTestBot({ db: h.db, clock: h.clock, state: h.bot.state, handler }, wecomEnv(h.fake));
    const otherServer = await serve(other.app);

    const plaintext = textXml({ from: 'zhangsan', text: '申请容错', msgId: '7310000000000000001', createTime: h.now() });
    const first = await postCallback(h.url, seal(plaintext, { timestamp: h.now() }));
    h.clock.advance(5_000);
    const retries = await Promise.all([
      postCallback(otherServer.url, seal(plaintext, { timestamp: h.now() })),
      postCallback(h.url, seal(plaintext, { timestamp: h.now() })),
    ]);
    expect([first, ...retries].map((r) => r.status)).toEqual([200, 200, 200]);

    await Promise.all([h.settle(), other.worker.kick()]);
    await h.settle();
    await otherServer.close();
    await other.worker.stop();
    expect(handled).toBe(1);
    expect(await h.count('inbox')).toBe(1);
    expect(await h.count('outbox')).toBe(1);
    expect(h.fake.delivered()).toEqual([{ touser: 'zhangsan', agentid: AGENT_ID, msgtype: 'text', text: { content: '收到：申请容错' }, ...CHECKED }]);
  });

  it('keeps two long MsgIds that share their first 190 characters apart: two events, each answered', async () => {
    const handled: string[] = [];
    await h.start(async (turn) => {
      handled.push(turn.event.kind === 'text' ? turn.event.text : '');
      turn.reply({ kind: 'text', text: '收到' });
    });
    const prefix = '7'.repeat(190);
    for (const [suffix, text] of [['1', '第一条'], ['2', '第二条']]) {
      expect((await postCallback(h.url, seal(textXml({ from: 'zhangsan', text, msgId: prefix + suffix, createTime: h.now() }), { timestamp: h.now() }))).status).toBe(200);
    }
    await h.settle();
    expect(handled).toEqual(['第一条', '第二条']);
    const keys: { dedupe_key: string }[] = await h.db.query('SELECT dedupe_key FROM inbox ORDER BY id');
    expect(new Set(keys.map((k) => k.dedupe_key)).size).toBe(2);
    expect(h.fake.delivered()).toHaveLength(2);
  });

  it('tells a WeCom user missing from the roster to contact 党群工作部, and nothing else', async () => {
    await h.start();
    await postCallback(h.url, seal(textXml({ from: 'stranger', text: '你好', msgId: '42', createTime: h.now() }), { timestamp: h.now() }));
    await h.settle();
    expect(h.fake.delivered()).toEqual([{ touser: 'stranger', agentid: AGENT_ID, msgtype: 'text', text: { content: UNKNOWN_USER_REPLY }, ...CHECKED }]);
  });

  it('turns a card click into a click event, then closes the card with the click’s response code', async () => {
    const clicks: ClickEvent[] = [];
    await h.start(async (turn) => {
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

    await postCallback(h.url, seal(textXml({ from: 'zhangsan', text: '待办', msgId: '100', createTime: h.now() }), { timestamp: h.now() }));
    await h.settle();
    const [sent] = h.fake.delivered();
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
      ...CHECKED,
    });

    h.clock.advance(60_000);
    const click = seal(cardClickXml({ from: 'zhangsan', createTime: h.now(), eventKey: 'approve', taskId: 'approval@3a42', responseCode: 'click-code-1' }), {
      timestamp: h.now(),
    });
    expect((await postCallback(h.url, click)).status).toBe(200);
    expect((await postCallback(h.url, { ...click, query: click.query.replace(/nonce=\d+/, 'nonce=1') })).status).toBe(401);
    await h.settle();

    expect(clicks).toEqual([{ channel: 'wecom', channelUserId: 'zhangsan', kind: 'click', cardId: 'approval:42', action: 'approve', sentAt: h.clock.now().toISOString() }]);
    expect(h.fake.cardUpdates()).toEqual([
      { userids: ['zhangsan'], agentid: AGENT_ID, response_code: 'click-code-1', button: { replace_name: '已同意 · 张三 · 11月27日' } },
    ]);
  });
});
