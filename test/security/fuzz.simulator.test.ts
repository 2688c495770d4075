import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptEntry } from '../../src/channels/simulator/transcript';
import {
  anyText,
  contentTypes,
  cut,
  deepJson,
  FLAT_BYTES_PER_REQUEST,
  fraction,
  fuzzParams,
  FuzzTarget,
  harmless,
  heapPerRequest,
  invalidUtf8,
  methods,
  pct,
  refusedSample,
  type FuzzRequest,
} from './fuzzTarget';

/**
 * The simulator's JSON API under hostile input, and through it the conversation engine under
 * random walks: roster people (and strangers) typing any command of the bot with any argument,
 * pressing whatever buttons their chat shows or made-up ones, in any order. The API answers below
 * 500 without a stack, refuses malformed bodies without recording anything, and every turn the
 * engine takes ends at the first try (a turn that throws is a bug, retried and then apologised for).
 */
describe('fuzzing the simulator API and the conversation engine behind it', () => {
  const t = new FuzzTarget();
  beforeAll(async () => void (await t.open({ messengers: false })), 30_000);
  afterAll(() => t.close());

  /** Applicant, unit head, 纪工委, 党（工）委 and zone heads, 党群工作部, 组织人事, other units, someone who left, nobody. */
  const PEOPLE = ['P014', 'P012', 'P009', 'P024', 'P021', 'P001', 'P005', 'P008', 'P029', 'P039', 'P040', 'P999'];
  const WORDS = [
    '申请容错', '容错免责', '申请备案', '风险备案', '记录谈话', '启动问责', '撤销容错', '登记干部调整', '取消', '退出', '上一步', '帮助', '？', '菜单', '继续',
    '我的申请', '我的待办', '提交', '确认', '修改', '修改2', '返回', '是', '否', '确定', '完成', '跳过', '今天', '1', '2', '3', '99', '0', '-1', '一', '二、三',
    '谈话进度', '我的谈话进度', '谈话进度汇总', '杨帆', '刘洋', '王芳', '经济发展局', '2026-11-20', '2099-01-01', '局长办公室',
  ];
  const number = fc.oneof(fc.nat({ max: 12 }).map(String), fc.constantFrom('0001', '999999', '000000', '123456789'), fc.stringMatching(/^\d{1,9}$/));
  const place = fc.oneof(fc.constantFrom('经济发展局', '利港街道城建科', '城建科', 'JG03', '', '不存在的单位'), anyText.map((s) => s.slice(0, 30)));
  const typed = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...WORDS) },
    {
      weight: 5,
      arbitrary: fc.tuple(
        fc.constantFrom('撤回 RC2026-', '催办 RC2026-', '进度 RC2026-', '查看 BA2026-', '导出 RC2026-', '导出 BA2026-', '办结 #', '办结 ', '查看谈话 TH2026-', '更正谈话 TH2026-', '撤回谈话 TH2026-', '删除谈话 th2026-'),
        number,
        fc.constantFrom('', '', ' pdf', ' word', ' docx'),
      ).map(([command, n, suffix]) => `${command}${n}${command.startsWith('导出') ? suffix : ''}`),
    },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('导出台账 ', '导出台账 2026 ', '导出台账 0000年 ', '查询备案 ', '备案查询'), place).map(([command, p]) => command + p) },
    { weight: 3, arbitrary: anyText.filter((s) => s.trim().length > 0 && s.length <= 4000) },
  );

  const send = (endpoint: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }): FuzzRequest => ({
    method: 'POST',
    path: `/simulator/api/${endpoint}`,
    headers,
    body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });

  const who = fc.constantFrom(...PEOPLE);

  /** The buttons this person's chat shows now, newest last; a click picks one, or presses something made up. */
  const buttonsOf = (code: string) =>
    t.bot.transcript!.since(code, 0).flatMap((m: TranscriptEntry) => (m.card && !m.card.closedLabel ? m.card.buttons.map((b) => ({ cardId: m.card!.cardId, action: b.key, label: b.label })) : []));
  const madeUp = fc.constantFrom('wfs:1:approve', 'wfs:abc:decide', 'wfc:1:reroute', 'wfc:-1:withdraw', 'wfc:1e999:remind', 'wfr:0:opine', 'menu:nothing', 'dlg:x:opt:1', 'offer:o:yes', 'talk:1:annual', 'talk:x:adjusted', ':::');

  type Move =
    | { kind: 'say'; as: string; text: string }
    | { kind: 'tap'; as: string; pick: number }
    | { kind: 'tapLabel'; as: string; label: string }
    | { kind: 'option'; as: string; label: string }
    | { kind: 'press'; as: string; cardId: string; action: string }
    | { kind: 'file'; as: string; fileName: string; mediaKind: unknown };
  const moves: fc.Arbitrary<Move> = fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('say' as const), as: who, text: typed }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('tap' as const), as: who, pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('press' as const), as: who, cardId: fc.oneof(fc.constantFrom('wf-s1', 'm0', ''), anyText.map((s) => s.slice(0, 128))), action: fc.oneof(madeUp, anyText.map((s) => s.slice(0, 256))) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('file' as const), as: who, fileName: anyText.filter((s) => s.length > 0 && s.length <= 200), mediaKind: fc.constantFrom('file', 'image', undefined, 'video', 5) }) },
  );

  const say = (as: string, ...texts: string[]): Move[] => texts.map((text) => ({ kind: 'say', as, text }));
  const tap = (as: string, label: string): Move => ({ kind: 'tapLabel', as, label });
  /**
   * The dialogues as people go through them (the e2e tests' scripts), to be mutated: steps left
   * out, repeated, or something else said or pressed in between.
   */
  const SCRIPTS: Move[][] = [
    [...say('P009', '启动问责'), tap('P009', '个人'), ...say('P009', '杨帆', '滨江项目征地补偿协议提前签订造成损失'), tap('P009', '今天'), tap('P009', '提交')],
    [
      ...say('P014', '申请容错'), tap('P014', '否'), ...say('P014', '1', '滨江项目征地补偿问题被纪工委启动问责'), tap('P014', '否'),
      ...say('P014', '2026年8月在推进滨江项目征地时，为赶工期先行签订了补偿协议，后因政策调整造成约20万元损失。', '二、三'),
      { kind: 'option', as: 'P014', label: '没有' }, tap('P014', '否'), ...say('P014', '完成'), tap('P014', '提交'),
    ],
    [tap('P012', '同意'), ...say('P012', '情况属实，同意报纪工委调查核实。'), tap('P012', '提交')],
    [tap('P012', '退回补充'), ...say('P012', '请补充会议纪要。'), tap('P012', '提交'), tap('P014', '补充材料'), ...say('P014', '会议纪要已补充。', '完成'), tap('P014', '提交')],
    [
      tap('P009', '开始核实'), ...say('P009', '属于探索创新中的失误。', '政策界限不明确。', '出于公心。', '集体研究决定。', '积极作为。', '及时补救。'),
      tap('P009', '予以容错免责'), ...say('P009', '一、三', '经调查核实，建议予以容错免责。'), tap('P009', '提交'),
    ],
    [tap('P001', '同意'), tap('P001', '否'), ...say('P001', '同意纪工委意见。'), tap('P001', '提交')],
    [...say('P012', '记录谈话', '杨帆', '2026-11-20', '局长办公室', '1', '1,2', '交流了综合科年度工作总结的安排和个人思想状况。', '跳过', '跳过'), tap('P012', '提交')],
    [...say('P009', '撤销容错', 'RC2026-0001', '1', '经复核发现申请材料中的会议纪要系事后补写。'), tap('P009', '提交')],
    [...say('P008', '登记干部调整', '徐敏', '5', '专业素养不适应岗位要求，经组织认定。'), { kind: 'option', as: 'P008', label: '都不是' }, tap('P008', '提交'), tap('P008', '填写考察核实')],
    [...say('P005', '干部情况 徐敏', '能上能下预警 2026', '健康休养名单 2027', '优胜单位 2026', '综合分析 2026'), tap('P005', '确认名单'), ...say('P005', '登记健康休养', '徐敏', '1', '2027-05-10', '2027-05-12')],
    [...say('P014', '我的申请', '撤回 RC2026-0001', '催办 RC2026-0001', '进度 RC2026-0001', '导出 RC2026-0001'), ...say('P005', '谈话进度汇总', '导出台账 2026', '查询备案 经济发展局', '查看谈话 TH2026-1')],
  ];
  /** A script with random edits: the fuzz of a dialogue, as bit flips are of an envelope. */
  const mutatedScript = fc
    .tuple(
      fc.nat(SCRIPTS.length - 1),
      fc.array(fc.tuple(fraction, fc.oneof({ weight: 2, arbitrary: moves.map((m) => ({ op: 'insert' as const, move: m })) }, fc.constant({ op: 'drop' as const }), fc.constant({ op: 'repeat' as const }), typed.map((text) => ({ op: 'answer' as const, text })))), { maxLength: 3 }),
    )
    .map(([index, edits]) => {
      const script = [...SCRIPTS[index]];
      for (const [at, edit] of edits) {
        const i = Math.floor(at * script.length);
        if (edit.op === 'insert') script.splice(i, 0, edit.move);
        else if (edit.op === 'drop') script.splice(i, 1);
        else if (edit.op === 'repeat' && script[i]) script.splice(i, 0, script[i]);
        else if (edit.op === 'answer' && script[i]) script[i] = { kind: 'say', as: script[i].as, text: edit.text };
      }
      // Whoever the script starts with first leaves what they were filling in (a mutated script may have left a draft behind).
      const first = SCRIPTS[index][0].as;
      return [...say(first, '取消', '确定'), ...script];
    });

  const lastBotText = (code: string) => t.bot.transcript!.since(code, 0).filter((m) => m.from === 'bot').map((m) => m.text ?? m.card?.description ?? '').join('\n');

  const requestFor = (move: Move): FuzzRequest => {
    switch (move.kind) {
      case 'say':
        return send('messages', { as: move.as, text: move.text });
      case 'option':
        return send('messages', { as: move.as, text: new RegExp(`(\\d+)\\. ${move.label}`).exec(lastBotText(move.as))?.[1] ?? move.label });
      case 'file':
        return send('attachments', { as: move.as, fileName: move.fileName, mediaKind: move.mediaKind });
      case 'press':
        return send('clicks', { as: move.as, cardId: move.cardId || 'x', action: move.action || 'x' });
      case 'tap':
      case 'tapLabel': {
        const buttons = buttonsOf(move.as);
        const labelled = move.kind === 'tapLabel' ? buttons.filter((b) => b.label === move.label) : buttons;
        const button = labelled.length > 0 ? labelled[labelled.length - 1 - ((move.kind === 'tap' ? move.pick : 0) % Math.min(labelled.length, 8))] : { cardId: 'none', action: 'menu:mine' };
        return send('clicks', { as: move.as, cardId: button.cardId, action: button.action });
      }
    }
  };

  const play = async (move: Move) => {
    const answer = await t.exchange(requestFor(move), { mayEcho: true });
    const valid = move.kind !== 'file' || ['file', 'image', 'video', undefined].includes(move.mediaKind as string);
    expect(answer.status).toBe(valid ? 200 : 400);
  };

  it('goes through the dialogues with steps left out, repeated or answered wrongly, without a turn failing', async () => {
    await fc.assert(fc.asyncProperty(mutatedScript, async (script) => {
      for (const move of script) await play(move);
    }), fuzzParams(90));
    await fc.assert(fc.asyncProperty(moves, play), fuzzParams(500));
    await t.expectHealthy();
    const audited: { action: string }[] = await t.db.query('SELECT DISTINCT action FROM audit_log');
    // The walk got somewhere: applications were filed and decided, and some refusal was said.
    expect(audited.map((a) => a.action)).toEqual(expect.arrayContaining(['case.submitted', 'stage.approve']));
  });

  /** Bodies the API must refuse: not JSON, not an object of the right shape, too big or too deep. */
  const malformed: fc.Arbitrary<FuzzRequest> = fc.oneof(
    fc.tuple(fc.constantFrom('messages', 'attachments', 'clicks'), fc.oneof(fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)), deepJson, invalidUtf8, anyText)).map(([endpoint, body]) => send(endpoint, body)),
    fc.tuple(fc.constantFrom('messages', 'attachments', 'clicks'), fc.record({ as: fc.jsonValue({ maxDepth: 2 }), text: fc.jsonValue({ maxDepth: 2 }), fileName: fc.jsonValue({ maxDepth: 1 }), cardId: fc.jsonValue({ maxDepth: 1 }), action: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }))
      .filter(([, body]) => typeof body.as !== 'string')
      .map(([endpoint, body]) => send(endpoint, body)),
    fc.constantFrom('messages', 'clicks').map((endpoint) => send(endpoint, { as: 'P014', text: '', cardId: '', action: '' })),
    fc.constant(send('messages', { as: 'P014', text: 'x'.repeat(4001) })),
    fc.constant(send('messages', '{"as":"P014","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}')),
    fc.tuple(fc.constantFrom('messages', 'clicks'), fraction).map(([endpoint, at]) => send(endpoint, cut(JSON.stringify({ as: 'P014', text: '我的申请', cardId: 'c', action: 'a' }), at * 0.98))),
    contentTypes.map((type) => send('messages', 'as=P014&text=hi', { 'content-type': type })),
  ).filter((r) => r.body === undefined || Buffer.isBuffer(r.body) || harmless(r.body));

  const otherPaths: fc.Arbitrary<FuzzRequest> = fc.oneof(
    fc.tuple(anyText, anyText).map(([as, after]) => ({ method: 'GET', path: `/simulator/api/transcript?as=${pct(as.slice(0, 100))}&after=${pct(after.slice(0, 40))}` })),
    fc.constantFrom('after=-1', 'after=1e309', 'after=NaN', 'as=P014&after=99999999999999999999', 'as=P014&as=P005', 'as[]=x', '', 'as=P014&after=0x10').map((q) => ({ method: 'GET', path: `/simulator/api/transcript?${q}` })),
    fc.constantFrom('/simulator', '/simulator/', '/simulator/api', '/simulator/api/people', '/simulator/api/people/..%2f..%2fetc', '/simulator/%2e%2e/%2e%2e/package.json', '/simulator//api//messages', '/SIMULATOR/api/people').map((path) => ({ method: 'GET', path })),
    fc.tuple(methods, fc.constantFrom('/simulator/api/messages', '/simulator/api/clicks', '/simulator/api/transcript', '/simulator/')).map(([method, path]) => ({ method, path })),
  );

  it('refuses malformed bodies with a 4xx and records nothing; other paths and methods stay below 500', async () => {
    await fc.assert(
      fc.asyncProperty(malformed, async (request) => {
        const answer = await t.exchange(request);
        expect(answer.status).toBeGreaterThanOrEqual(400);
      }),
      fuzzParams(500),
    );
    await fc.assert(fc.asyncProperty(otherPaths, async (request) => void (await t.exchange(request, { mayEcho: true }))), fuzzParams(250));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await t.expectHealthy();
  });

  it('keeps the heap flat under a stream of refused requests', async () => {
    const refused = await refusedSample(t, malformed, 250);
    const { slope, samples } = await heapPerRequest(refused, 10, (r) => t.send(r));
    expect(slope, `heap after each round of ${refused.length}: ${samples.map((s) => (s / 1e6).toFixed(2)).join(', ')} MB`).toBeLessThan(FLAT_BYTES_PER_REQUEST);
  });
});
