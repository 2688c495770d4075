import { describe, expect, it } from 'vitest';
import { postCallback, SAMPLE, seal, textXml } from './callbacks';
import { stacks, wecomHarness } from './harness';

describe.each(stacks)('WeCom callbacks refused on $database.name + $state.name', (stack) => {
  const h = wecomHarness(stack);

  type Case = { name: string; status: number; reason: RegExp; request: () => Promise<Response> };
  const cases: Case[] = [
    {
      name: 'a bad signature',
      status: 401,
      reason: /bad msg_signature/,
      request: () => {
        const sealed = seal(textXml({ from: 'zhangsan', text: '你好', msgId: '1', createTime: h.now() }), { timestamp: h.now() });
        return postCallback(h.url, { ...sealed, query: sealed.query.replace(/msg_signature=[0-9a-f]{40}/, `msg_signature=${'0'.repeat(40)}`) });
      },
    },
    {
      name: 'a payload for another corp',
      status: 401,
      reason: /receive id/,
      request: () => postCallback(h.url, seal(textXml({ from: 'zhangsan', text: '你好', msgId: '2', createTime: h.now() }), { timestamp: h.now(), receiveId: 'ww0123456789abcdef' })),
    },
    {
      name: 'a body that is not XML',
      status: 400,
      reason: /not well-formed/,
      request: () => postCallback(h.url, { query: seal('x', { timestamp: h.now() }).query, body: '{"Encrypt": "garbage"}' }),
    },
    {
      name: 'a decrypted payload that is not XML',
      status: 400,
      reason: /decrypted payload is not well-formed/,
      request: () => postCallback(h.url, seal('<xml><FromUserName>zhangsan</xml>', { timestamp: h.now() })),
    },
    {
      name: 'a body over the size limit',
      status: 413,
      reason: /too large/,
      request: () => postCallback(h.url, { query: seal('x', { timestamp: h.now() }).query, body: `<xml><Encrypt>${'A'.repeat(h.bot.config.bodyLimitBytes)}</Encrypt></xml>` }),
    },
    {
      name: 'a stale timestamp, correctly signed',
      status: 401,
      reason: /timestamp is more than 300 s away/,
      request: () => postCallback(h.url, seal(textXml({ from: 'zhangsan', text: '你好', msgId: '3', createTime: h.now() - 301 }), { timestamp: h.now() - 301 })),
    },
    {
      name: 'an XML entity bomb in the body',
      status: 400,
      reason: /DOCTYPE or ENTITY/,
      request: () =>
        postCallback(h.url, {
          query: seal('x', { timestamp: h.now() }).query,
          body: '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><xml><Encrypt>&b;</Encrypt></xml>',
        }),
    },
    {
      name: 'an XML entity bomb inside the encrypted payload',
      status: 400,
      reason: /DOCTYPE or ENTITY/,
      request: () =>
        postCallback(
          h.url,
          seal('<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><xml><FromUserName>zhangsan</FromUserName><Content>&b;</Content></xml>', { timestamp: h.now() }),
        ),
    },
    {
      name: 'a sender id longer than any WeCom userid (it could never be answered)',
      status: 400,
      reason: /FromUserName is longer than a WeCom userid/,
      request: () => postCallback(h.url, seal(textXml({ from: 'u'.repeat(5000), text: '你好', msgId: '4', createTime: h.now() }), { timestamp: h.now() })),
    },
    {
      name: 'missing signature parameters',
      status: 400,
      reason: /msg_signature is missing/,
      request: () => fetch(`${h.url}/wecom/callback`, { method: 'POST', body: '<xml/>' }),
    },
  ];

  it.each(cases)('refuses $name with $status, records nothing, and logs only the reason', async ({ status, reason, request }) => {
    await h.start();
    const response = await request();
    expect(response.status).toBe(status);
    await h.settle();
    expect(await h.count('inbox')).toBe(0);
    expect(await h.count('outbox')).toBe(0);
    expect(h.fake.calls('/cgi-bin/message/send')).toHaveLength(0);
    const refusal = h.logLines.find((l) => l.msg === 'request refused');
    expect(refusal?.reason).toMatch(reason);
    expect(JSON.stringify(h.logLines)).not.toMatch(/你好|zhangsan/);
  });

  it('refuses a URL check with a bad signature', async () => {
    await h.start();
    const { timestamp, nonce, echostr } = SAMPLE.urlCheck;
    h.clock.set(new Date(Number(timestamp) * 1000));
    const response = await fetch(
      `${h.url}/wecom/callback?msg_signature=${'0'.repeat(40)}&timestamp=${timestamp}&nonce=${nonce}&echostr=${encodeURIComponent(echostr)}`,
    );
    expect(response.status).toBe(401);
  });
});
