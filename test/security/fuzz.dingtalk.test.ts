import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardCallbackSignature, encryptEvent, eventSignature, robotSign } from '../../src/channels/dingtalk/callbackCrypto';
import { APP_SECRET, CARD_SECRET, EVENT_KEYS, robotText } from '../channels/dingtalk/callbacks';
import {
  anyText,
  contentTypes,
  corruptBase64,
  cut,
  deepJson,
  FLAT_BYTES_PER_REQUEST,
  fraction,
  fuzzParams,
  FuzzTarget,
  heapPerRequest,
  invalidUtf8,
  methods,
  pct,
  refusedSample,
  type FuzzRequest,
} from './fuzzTarget';

/**
 * DingTalk's three HTTP callbacks under hostile input: the robot's messages and the cards' clicks
 * (signed headers over a timestamp, JSON bodies of any shape) and the encrypted event pushes
 * (ciphertext flipped or cut and signed again, genuine seals around nonsense). Same promises as
 * for WeCom: below 500, no stack or path, nothing recorded for a refused request.
 */
describe('fuzzing the DingTalk callbacks (/dingtalk/robot, /dingtalk/card, /dingtalk/events)', () => {
  const t = new FuzzTarget();
  beforeAll(async () => void (await t.open()), 30_000);
  afterAll(() => t.close());

  /** DingTalk ids of roster people (刘洋, 吴海燕, 王芳 of 党群工作部, 杨帆) and of nobody. */
  const KNOWN = ['0167200009', '0167200004', '0167200006', 'dt-p014'];
  let msgIds = 0;
  const nowMs = () => t.clock.now().getTime();

  /** Any JSON value, nested a few levels, with the odd huge number or string. */
  const json = fc.jsonValue({ maxDepth: 4 });
  const scalarish = fc.oneof(
    fc.constantFrom(null, true, 0, -1, 1e20, 2 ** 53 + 1, 8.64e15 + 1, 0.5, '', '0', '9999999999999999', 'NaN', '-5', '1e3'),
    anyText.map((s) => s.slice(0, 200)),
    json,
  );

  /** Mostly the genuine value, sometimes anything at all: most bodies get past the first check. */
  const mostly = <T>(genuine: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: genuine }, { weight: 1, arbitrary: scalarish });

  /** A robot message with each field usually right, sometimes replaced by a value of any type or dropped. */
  const robotBody = fc
    .record({
      msgId: mostly(fc.constant('fresh')),
      msgtype: mostly(fc.constantFrom('text', 'text', 'text', 'richText', 'picture', 'file', 'audio', '')),
      createAt: mostly(fc.oneof({ weight: 5, arbitrary: fc.constant('now') }, fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.stringMatching(/^\d{1,16}$/))),
      senderStaffId: mostly(fc.constantFrom(...KNOWN, 'nobody')),
      text: mostly(anyText.map((content) => ({ content }))),
      content: fc.oneof(
        fc.constant({ downloadCode: 'dl-1', fileName: 'a.pdf' }),
        fc.constant({ richText: [{ text: '申请容错' }, { pictureDownloadCode: 'x' }] }),
        fc.constant('{"downloadCode":"dl-2"}'),
        fc.constant('{not json'),
        fc.record({ richText: fc.array(fc.record({ text: scalarish }, { requiredKeys: [] }), { maxLength: 3 }) }),
        scalarish,
      ),
      drop: fc.oneof({ weight: 5, arbitrary: fc.constant([] as string[]) }, fc.subarray(['msgId', 'msgtype', 'createAt', 'senderStaffId', 'text', 'content'], { maxLength: 2 })),
    })
    .map((r) => {
      const base = robotText({ from: 'x', text: '', msgId: '', createAt: nowMs() });
      const body: Record<string, unknown> = {
        ...base,
        msgId: r.msgId === 'fresh' ? `fz${++msgIds}==` : r.msgId,
        msgtype: r.msgtype,
        createAt: r.createAt === 'now' ? nowMs() : r.createAt,
        senderStaffId: r.senderStaffId,
        text: r.text,
        content: r.content,
      };
      for (const key of r.drop) delete body[key];
      return JSON.stringify(body);
    });

  const anyBody: fc.Arbitrary<string | Buffer> = fc.oneof(
    json.map((v) => JSON.stringify(v)),
    deepJson,
    invalidUtf8,
    anyText,
    fc.tuple(robotBody, fraction).map(([body, at]) => cut(body, at)),
  );

  /** The timestamp and sign headers of a robot callback: genuine, or wrong in any way. */
  const robotHeaders = fc
    .tuple(
      fc.oneof(
        { weight: 20, arbitrary: fc.constant('now') },
        fc.constantFrom('', '0', 'abc', '1', '99999999999999999999', '-1', '1.5e12'),
        fc.integer({ min: -10_000_000_000, max: 10_000_000_000 }).map((shift) => `shift:${shift}`),
        fc.constant('seconds'),
      ),
      fc.oneof({ weight: 12, arbitrary: fc.constant('genuine') }, fc.constant('missing'), anyText, fc.constant('flip')),
    )
    .map(([ts, sign]) => {
      const timestamp = ts === 'now' ? String(nowMs()) : ts === 'seconds' ? String(Math.floor(nowMs() / 1000)) : ts.startsWith('shift:') ? String(nowMs() + Number(ts.slice(6))) : ts;
      const genuine = robotSign(timestamp, APP_SECRET);
      const headers: Record<string, string> = { 'content-type': 'application/json', timestamp };
      if (sign === 'genuine') headers.sign = genuine;
      else if (sign === 'flip') headers.sign = `${genuine.slice(0, 5)}${genuine[5] === 'A' ? 'B' : 'A'}${genuine.slice(6)}`;
      else if (sign !== 'missing') headers.sign = pct(sign).slice(0, 200);
      return headers;
    });

  const robotRequests: fc.Arbitrary<FuzzRequest> = fc.oneof(
    { weight: 3, arbitrary: fc.tuple(robotHeaders, robotBody).map(([headers, body]) => ({ method: 'POST', path: '/dingtalk/robot', headers, body })) },
    { weight: 2, arbitrary: fc.tuple(robotHeaders, anyBody).map(([headers, body]) => ({ method: 'POST', path: '/dingtalk/robot', headers, body })) },
    { weight: 1, arbitrary: fc.tuple(robotHeaders, robotBody, contentTypes).map(([headers, body, type]) => ({ method: 'POST', path: '/dingtalk/robot', headers: { ...headers, 'content-type': type }, body })) },
  );

  /** A card click: genuine or forged signature, any body; the click's action names any button. */
  const cardBody = fc
    .record({
      type: mostly(fc.constantFrom('actionCallback', 'actionCallback', 'other')),
      outTrackId: mostly(fc.constantFrom('wf-s1.0167200009', 'm0abc.dt-p014', '')),
      userId: mostly(fc.constantFrom(...KNOWN)),
      action: fc.oneof(
        fc.constantFrom('wfs:1:approve', 'wfs:NaN:decide', 'wfc:1:reroute', 'wfc:1e999:withdraw', 'wfr:-0:opine', 'menu:filingApplication', 'dlg:d1:opt:-1', 'talk:0:annual', 'offer:x:yes'),
        anyText.map((s) => s.slice(0, 300)),
      ),
      content: fc.constantFrom('params', 'json-junk', 'not-json', 'absent', 'value'),
    })
    .map((c) => {
      const privateData = JSON.stringify({ cardPrivateData: { actionIds: ['b1'], params: { action: c.action } } });
      const body: Record<string, unknown> = { type: c.type, outTrackId: c.outTrackId, userId: c.userId, corpId: 'dingcorp' };
      if (c.content === 'params') body.content = privateData;
      if (c.content === 'value') body.value = privateData;
      if (c.content === 'json-junk') body.content = JSON.stringify({ cardPrivateData: { params: c.action } });
      if (c.content === 'not-json') body.content = privateData.slice(0, -3);
      return JSON.stringify(body);
    });

  const cardRequests: fc.Arbitrary<FuzzRequest> = fc
    .tuple(fc.oneof({ weight: 3, arbitrary: cardBody }, anyBody), fc.constantFrom('genuine', 'genuine', 'genuine', 'stale', 'forged', 'missing', 'junk'))
    .map(([body, how]) => {
      const timestamp = how === 'stale' ? String(nowMs() - 3_600_001) : String(nowMs());
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-ddpaas-signature-timestamp': timestamp };
      if (how === 'genuine' || how === 'stale') headers['x-ddpaas-signature'] = cardCallbackSignature(CARD_SECRET, timestamp);
      if (how === 'forged') headers['x-ddpaas-signature'] = cardCallbackSignature('not-the-secret', timestamp);
      if (how === 'junk') headers['x-ddpaas-signature-timestamp'] = 'x';
      return { method: 'POST', path: '/dingtalk/card', headers, body };
    });

  /** Event pushes: the query's three parameters, and a body whose encrypt is genuine, corrupted or absent. */
  const signedEvent = (encrypt: string, timestamp = String(nowMs()), nonce = 'n0nce123') =>
    `msg_signature=${eventSignature(EVENT_KEYS.token, timestamp, nonce, encrypt)}&timestamp=${timestamp}&nonce=${nonce}`;
  const plaintexts = fc.oneof(
    fc.constantFrom('{"EventType":"check_url"}', '{"EventType":"user_add_org","UserId":["a"]}', '{"EventType":5}', '[]', 'null', '{', ''),
    json.map((v) => JSON.stringify(v)),
    anyText,
    deepJson.filter((s) => s.length < 100_000),
  );
  const eventRequests: fc.Arbitrary<FuzzRequest> = fc.oneof(
    plaintexts.map((p) => {
      const encrypt = encryptEvent(EVENT_KEYS, p);
      return { method: 'POST', path: `/dingtalk/events?${signedEvent(encrypt)}`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ encrypt }) };
    }),
    fc
      .constant(null)
      .chain(() => corruptBase64(encryptEvent(EVENT_KEYS, '{"EventType":"check_url"}')))
      .map((bad) => ({ method: 'POST', path: `/dingtalk/events?${signedEvent(bad)}`, body: JSON.stringify({ encrypt: bad }) })),
    plaintexts.map((p) => {
      const encrypt = encryptEvent({ ...EVENT_KEYS, receiveId: 'dingother' }, p);
      return { method: 'POST', path: `/dingtalk/events?${signedEvent(encrypt)}`, body: JSON.stringify({ encrypt }) };
    }),
    fc.tuple(anyBody, fc.constantFrom('genuine-query', 'no-query', 'junk-query')).map(([body, q]) => {
      const query = q === 'genuine-query' ? signedEvent('x') : q === 'junk-query' ? `signature=${'f'.repeat(40)}&timeStamp=1&nonce=${pct('a b')}` : '';
      return { method: 'POST', path: `/dingtalk/events?${query}`, body };
    }),
    fc.tuple(json, fc.constantFrom('encrypt', 'Encrypt')).map(([value, key]) => ({ method: 'POST', path: `/dingtalk/events?${signedEvent('x')}`, body: JSON.stringify({ [key]: value }) })),
  );

  /** What fuzzing found before: a createAt past the last instant a Date holds (a 500), a staff id with half a surrogate pair (never handled on SQLite). */
  const foundBefore = (): [FuzzRequest][] => {
    const signed = { 'content-type': 'application/json', timestamp: String(nowMs()), sign: robotSign(String(nowMs()), APP_SECRET) };
    const message = (fields: Record<string, unknown>) => JSON.stringify({ ...robotText({ from: '0167200009', text: '你好', msgId: `found${++msgIds}`, createAt: nowMs() }), ...fields });
    return [
      [{ method: 'POST', path: '/dingtalk/robot', headers: signed, body: message({ createAt: '9999999999999999' }) }],
      [{ method: 'POST', path: '/dingtalk/robot', headers: signed, body: message({ createAt: Number.MAX_SAFE_INTEGER }) }],
      [{ method: 'POST', path: '/dingtalk/robot', headers: signed, body: message({ senderStaffId: '\udfff\u0000]]>' }) }],
    ];
  };

  it('never answers a robot message with a 5xx, a stack or a path, and records only what it accepted', async () => {
    await fc.assert(fc.asyncProperty(robotRequests, async (request) => void (await t.exchange(request))), fuzzParams(900, foundBefore()));
    await t.expectHealthy();
  });

  it('never answers a card click with a 5xx, a stack or a path, and records only what it accepted', async () => {
    await fc.assert(fc.asyncProperty(cardRequests, async (request) => void (await t.exchange(request))), fuzzParams(500));
    await t.expectHealthy();
  });

  it('answers only genuine event pushes with a sealed “success”, and never records one', async () => {
    await fc.assert(
      fc.asyncProperty(eventRequests, async (request) => {
        const answer = await t.exchange(request);
        if (answer.status === 200) expect(Object.keys(JSON.parse(answer.body) as object).sort()).toEqual(['encrypt', 'msg_signature', 'nonce', 'timeStamp']);
      }),
      fuzzParams(500),
    );
    expect((await t.tableCounts()).inbox).toBeGreaterThan(0); // the robot and card runs above did record their genuine messages
  });

  it('answers other methods on the three paths with a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(methods, fc.constantFrom('/dingtalk/robot', '/dingtalk/card', '/dingtalk/events'), async (method, path) => void (await t.exchange({ method, path }))),
      fuzzParams(120),
    );
    for (const path of ['/dingtalk/robot', '/dingtalk/card', '/dingtalk/events']) {
      const answer = await t.exchange({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body: `"${'a'.repeat(t.bot.config.bodyLimitBytes)}"` });
      expect(answer.status).toBeGreaterThanOrEqual(400);
    }
    await t.expectHealthy();
  });

  it('keeps the heap flat under a stream of refused callbacks', async () => {
    const refused = await refusedSample(t, fc.oneof(robotRequests, cardRequests, eventRequests), 250);
    const { slope, samples } = await heapPerRequest(refused, 10, (r) => t.send(r));
    expect(slope, `heap after each round of ${refused.length}: ${samples.map((s) => (s / 1e6).toFixed(2)).join(', ')} MB`).toBeLessThan(FLAT_BYTES_PER_REQUEST);
  });
});

