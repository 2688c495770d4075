import { encrypt, getSignature } from '@wecom/crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope, SAMPLE, seal, textXml } from '../channels/wecom/callbacks';
import {
  anyText,
  brokenHttp,
  contentTypes,
  corruptBase64,
  cut,
  deepXml,
  entityTricks,
  expectRawSafe,
  flipBit,
  fraction,
  fuzzParams,
  FuzzTarget,
  FLAT_BYTES_PER_REQUEST,
  heapPerRequest,
  refusedSample,
  invalidUtf8,
  methods,
  pct,
  xmlish,
  type FuzzRequest,
} from './fuzzTarget';

/**
 * The WeCom callback URL under mutated, truncated, oversized and made-up requests: the signed and
 * encrypted envelope with bits flipped or cut short (re-signed, as if by someone who knows the
 * Token but not the key), broken query strings, random and hostile XML, authentic envelopes
 * around nonsense, unknown methods and content types, and requests broken at the HTTP level.
 * Each answer is below 500 and shows no stack or path; a refused one records nothing.
 */
describe('fuzzing the WeCom callback (GET and POST /wecom/callback)', () => {
  const t = new FuzzTarget();
  beforeAll(async () => void (await t.open()), 30_000);
  afterAll(() => t.close());

  const KNOWN = ['liuyang', 'wuhaiyan', 'wangfang01', 'chenjianguo', 'wx-p014'];
  let msgIds = 7_400_000_000;

  const signedQuery = (encrypted: string, timestamp: number | string = t.nowS(), nonce = '12345') =>
    `msg_signature=${getSignature(SAMPLE.token, timestamp, nonce, encrypted)}&timestamp=${timestamp}&nonce=${nonce}`;

  const post = (query: string, body: string | Buffer, headers: Record<string, string> = { 'content-type': 'text/xml' }): FuzzRequest => ({
    method: 'POST',
    path: `/wecom/callback?${query}`,
    headers,
    body,
  });

  /** A genuine text message from a roster member, as WeCom would post it now. */
  const genuine = (text = '你好') => {
    const t0 = t.nowS();
    return textXml({ from: KNOWN[msgIds % KNOWN.length], text, msgId: String(++msgIds), createTime: t0 });
  };

  /** Decrypted payloads that are XML of WeCom's shape with fields missing, repeated, mistyped or absurd. */
  const wecomLike = fc
    .record({
      from: fc.oneof(fc.constantFrom(...KNOWN, '', 'nobody'), anyText.map((s) => s.slice(0, 300))),
      createTime: fc.oneof(fc.constant('now'), fc.constantFrom('', '-1', 'abc', '9'.repeat(13), '999999999999', '0', '1e9'), fc.nat().map(String)),
      msgType: fc.constantFrom('text', 'image', 'event', 'voice', 'location', 'link', '', 'TEXT'),
      content: anyText,
      msgId: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 70n }).map(String), fc.constantFrom('', 'x', '9'.repeat(300))),
      event: fc.constantFrom('template_card_event', 'enter_agent', 'click', '', 'subscribe'),
      eventKey: fc.oneof(
        fc.constantFrom(
          'wfs:1:approve', 'wfs:abc:decide', 'wfs:-1:setup', 'wfc:1:reroute', 'wfc:99999999999999999999:withdraw', 'wfc:1e400:remind', 'wfr:0:opine',
          'menu:toleranceApplication', 'menu:nothing', 'dlg:x:opt:1', 'dlg::submit', 'talk:1:annual', 'talk:abc:adjusted', 'offer:o1:yes', ':::', '',
        ),
        anyText.map((s) => s.slice(0, 300)),
      ),
      taskId: fc.oneof(fc.constantFrom('wf-s1', 'm0123', '', 'x'.repeat(300)), anyText.map((s) => s.slice(0, 100))),
      cdata: fc.boolean(),
      omit: fc.subarray(['FromUserName', 'CreateTime', 'MsgType', 'Content', 'MsgId', 'Event', 'EventKey', 'TaskId', 'MediaId']),
      repeat: fc.subarray(['FromUserName', 'Content', 'MsgId']),
    })
    .map((m) => {
      const fields: Record<string, string> = {
        ToUserName: SAMPLE.corpId,
        FromUserName: m.from,
        CreateTime: m.createTime === 'now' ? String(t.nowS()) : m.createTime,
        MsgType: m.msgType,
        Content: m.content,
        MsgId: m.msgId,
        Event: m.event,
        EventKey: m.eventKey,
        TaskId: m.taskId,
        MediaId: 'media-1',
        ResponseCode: 'code-1',
      };
      const element = (name: string) => `<${name}>${m.cdata ? `<![CDATA[${fields[name]}]]>` : fields[name]}</${name}>`;
      const names = Object.keys(fields).filter((n) => !m.omit.includes(n));
      return `<xml>${names.map(element).join('')}${m.repeat.map(element).join('')}</xml>`;
    });

  const someXml = fc.oneof({ weight: 4, arbitrary: xmlish }, { weight: 2, arbitrary: entityTricks }, { weight: 1, arbitrary: deepXml });

  const postRequests: fc.Arbitrary<FuzzRequest> = fc.oneof(
    // The ciphertext corrupted in transit, signed again over the corrupted value.
    { weight: 4, arbitrary: fc.constant(null).chain(() => corruptBase64(encrypt(SAMPLE.encodingAesKey, genuine(), SAMPLE.corpId))).map((bad) => post(signedQuery(bad), envelope(bad))) },
    // A genuine request whose query string was tampered with.
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.oneof(
            fc.constantFrom('msg_signature', 'timestamp', 'nonce').map((name) => (q: string) => q.replace(new RegExp(`${name}=[^&]*&?`), '')),
            fc.tuple(fc.constantFrom('msg_signature', 'timestamp', 'nonce'), anyText).map(([name, v]) => (q: string) => q.replace(new RegExp(`${name}=[^&]*`), `${name}=${pct(v.slice(0, 200))}`)),
            fc.tuple(fraction, fc.nat(7)).map(([at, bit]) => (q: string) => q.replace(/msg_signature=([0-9a-f]{40})/, (_, s: string) => `msg_signature=${flipBit(Buffer.from(s, 'hex'), at, bit).toString('hex')}`)),
            fc.integer({ min: -10_000_000, max: 10_000_000 }).map((shift) => (q: string) => q.replace(/timestamp=(\d+)/, (_, ts: string) => `timestamp=${Number(ts) + shift}`)),
            fc.constantFrom('&timestamp=1', '&msg_signature=a', '&nonce[]=x', '&echostr=x', '&%E0%A4%A=1', '&a=%ZZ', `&pad=${'x'.repeat(12_000)}`).map((extra) => (q: string) => q + extra),
          ),
          fc.constant(null),
        )
        .map(([mutate]) => {
          const sealed = seal(genuine(), { timestamp: t.nowS() });
          return post(mutate(sealed.query), sealed.body);
        }),
    },
    // The body's bytes flipped or cut, the query left genuine.
    {
      weight: 3,
      arbitrary: fc.tuple(fraction, fc.nat(7), fc.boolean()).map(([at, bit, flip]) => {
        const sealed = seal(genuine(), { timestamp: t.nowS() });
        return post(sealed.query, flip ? flipBit(Buffer.from(sealed.body), at, bit) : cut(sealed.body, at));
      }),
    },
    // Random, hostile or non-UTF-8 bodies under a well-formed (unverifiable) query.
    {
      weight: 3,
      arbitrary: fc.oneof(someXml.map((x) => x as string | Buffer), invalidUtf8, anyText).map((body) => post(`msg_signature=${'ab'.repeat(20)}&timestamp=${t.nowS()}&nonce=1`, body)),
    },
    // Genuine envelopes around payloads that are not what WeCom sends.
    {
      weight: 5,
      arbitrary: fc.oneof({ weight: 3, arbitrary: wecomLike }, { weight: 2, arbitrary: someXml }, { weight: 1, arbitrary: anyText }).map((plaintext) => {
        const sealed = seal(plaintext, { timestamp: t.nowS() });
        return post(sealed.query, sealed.body);
      }),
    },
    // Genuine messages with any content type.
    { weight: 1, arbitrary: contentTypes.map((type) => { const s = seal(genuine(), { timestamp: t.nowS() }); return post(s.query, s.body, { 'content-type': type }); }) },
  );

  /** What fuzzing found before: XML nested too deep for the parser (a 500), a sender id that SQLite could not find again (an event never handled). */
  const foundBefore = (): [FuzzRequest][] => {
    const deep = `<xml>${'<a>'.repeat(600)}${'</a>'.repeat(600)}</xml>`;
    const inside = seal(deep, { timestamp: t.nowS() });
    const halfPair = seal(
      `<xml><ToUserName>${SAMPLE.corpId}</ToUserName><FromUserName>wx-&#xDFFF;&#0;</FromUserName><CreateTime>${t.nowS()}</CreateTime>` +
        `<MsgType>text</MsgType><Content>你好</Content><MsgId>7411111111</MsgId></xml>`,
      { timestamp: t.nowS() },
    );
    return [
      [post(`msg_signature=${'ab'.repeat(20)}&timestamp=${t.nowS()}&nonce=1`, deep)],
      [post(inside.query, inside.body)],
      [post(halfPair.query, halfPair.body)],
    ];
  };

  it('never answers a POST with a 5xx, a stack or a path, and records only what it accepted', async () => {
    await fc.assert(fc.asyncProperty(postRequests, async (request) => void (await t.exchange(request))), fuzzParams(1400, foundBefore()));
    await t.expectHealthy();
  });

  it('never echoes anything but the genuine plaintext of a URL check (GET)', async () => {
    const check = (echostr: string, query = signedQuery(echostr)) => ({ method: 'GET', path: `/wecom/callback?${query}&echostr=${pct(echostr)}` });
    const plain = fc.stringMatching(/^[0-9A-Za-z]{1,40}$/);
    const requests: fc.Arbitrary<{ request: FuzzRequest; expected?: string }> = fc.oneof(
      plain.map((p) => ({ request: check(encrypt(SAMPLE.encodingAesKey, p, SAMPLE.corpId)), expected: p })),
      // Corrupted, re-signed: whatever CBC makes of it, it is answered below 500 (a flip in the first
      // block, or in a character base64 ignores, may still open to text ending in the CorpID).
      plain.chain((p) => corruptBase64(encrypt(SAMPLE.encodingAesKey, p, SAMPLE.corpId))).map((bad) => ({ request: check(bad) })),
      plain.map((p) => ({ request: check(encrypt(SAMPLE.encodingAesKey, p, 'ww0000000000000000')) })),
      fc.tuple(plain, anyText).map(([p, junk]) => ({ request: { method: 'GET', path: `/wecom/callback?${signedQuery(encrypt(SAMPLE.encodingAesKey, p, SAMPLE.corpId))}&echostr=${pct(junk)}` } })),
      fc.nat({ max: 14_000 }).map((n) => ({ request: check('A'.repeat(n)) })),
      anyText.map((q) => ({ request: { method: 'GET', path: `/wecom/callback?${pct(q).replace(/%3d/g, '=').replace(/%26/g, '&')}` } })),
    );
    await fc.assert(
      fc.asyncProperty(requests, async ({ request, expected }) => {
        const answer = await t.exchange(request, { mayEcho: true });
        if (answer.status === 200 && expected !== undefined) expect(answer.body).toBe(expected);
        if (expected !== undefined) expect(answer.status).toBe(200);
      }),
      fuzzParams(500),
    );
  });

  it('answers other methods and malformed HTTP with a 4xx, or drops the connection', async () => {
    await fc.assert(
      fc.asyncProperty(methods, fc.boolean(), async (method, genuineBody) => {
        const sealed = seal(genuine(), { timestamp: t.nowS() });
        await t.exchange({ method, path: `/wecom/callback?${sealed.query}`, body: genuineBody && method !== 'GET' && method !== 'HEAD' ? sealed.body : undefined });
      }),
      fuzzParams(150),
    );
    await fc.assert(fc.asyncProperty(brokenHttp, async (bytes) => expectRawSafe(await t.sendRaw(bytes))), fuzzParams(60));
    // Just past the body limit, and far past it.
    for (const extra of [1, 4096, 2_000_000]) {
      const sealed = seal(genuine(), { timestamp: t.nowS() });
      const answer = await t.exchange(post(sealed.query, `<xml><Encrypt>${'A'.repeat(t.bot.config.bodyLimitBytes + extra)}</Encrypt></xml>`));
      expect(answer.status).toBe(413);
    }
    await t.expectHealthy();
  });

  it('keeps the heap flat under a stream of refused callbacks', async () => {
    const refused = await refusedSample(t, postRequests, 250);
    const { slope, samples } = await heapPerRequest(refused, 10, (r) => t.send(r));
    expect(slope, `heap after each round of ${refused.length}: ${samples.map((s) => (s / 1e6).toFixed(2)).join(', ')} MB`).toBeLessThan(FLAT_BYTES_PER_REQUEST);
  });
});
