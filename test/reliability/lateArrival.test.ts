import { afterEach, describe, expect, it } from 'vitest';
import { postCallback, seal, textXml } from '../channels/wecom/callbacks';
import { Deployment, faultTestsEnabled } from '../support/reliability';
import { selectOpened } from '../../src/storage/confidential';

/**
 * The probe of the issue, on the real path: a person in the middle of 申请容错 sends A (the
 * 问责事项 description) and a second later B (the 申请事由) while MariaDB is unreachable. Both
 * callbacks are refused with 500; WeCom posts each again, with its original CreateTime and MsgId,
 * and B's retry gets in first once the database is back. B is applied to the step then asked; A,
 * arriving after it, must not silently become the 申请事由: the person is told and decides.
 */
describe.runIf(faultTestsEnabled)('a message overtaken by the next one during a MariaDB outage', () => {
  let deployment: Deployment;
  afterEach(async () => deployment?.close());

  it('is not filled into a later step: the person is told what arrived late and where the form stands', { timeout: 60_000 }, async () => {
    deployment = await new Deployment().open({ proxyDatabase: true });
    const bot = await deployment.startBot();
    const member = deployment.member('liuyang');
    for (const step of ['申请容错', '否', '1']) {
      expect(await member.says(bot.url, step)).toEqual([200]);
      deployment.clock.advance(20_000);
      await deployment.settle({ advanceMs: 0 });
    }
    const reasonAsked = await deployment.count(`SELECT COUNT(*) AS n FROM outbox WHERE payload LIKE '%请简要描述被问责的事项%'`);
    expect(reasonAsked).toBe(1);

    const createTime = Math.floor(deployment.clock.now().getTime() / 1000);
    const a = { text: '滨江项目征地补偿问题被纪工委启动问责', msgId: '7319000000000000001', createTime };
    const b = { text: '2026年8月在推进滨江项目征地时，为赶工期先行签订了补偿协议，后因政策调整造成约20万元损失。', msgId: '7319000000000000002', createTime: createTime + 1 };
    // WeCom posts a message again with the same CreateTime and MsgId; only the signature is new.
    const post = async (m: typeof a) => {
      const res = await postCallback(bot.url, seal(textXml({ from: 'liuyang', ...m }), { timestamp: Math.floor(deployment.clock.now().getTime() / 1000) })).catch(() => undefined);
      await res?.body?.cancel();
      return res?.status ?? 0;
    };

    deployment.dbProxy!.pause();
    expect(await post(a)).toBeGreaterThanOrEqual(500);
    deployment.clock.advance(1_000);
    expect(await post(b)).toBeGreaterThanOrEqual(500);
    deployment.clock.advance(5_000);
    deployment.dbProxy!.resume();
    // B's retry is the first to get in; it is handled before A's retry comes, four seconds later.
    expect(await post(b)).toBe(200);
    await deployment.settle({ advanceMs: 0 });
    deployment.clock.advance(4_000);
    expect(await post(a)).toBe(200);
    await deployment.settle({ advanceMs: 0 });

    const [person]: { id: number }[] = await deployment.db.query(`SELECT id FROM people WHERE wecom_user_id = 'liuyang'`);
    const [copy]: { payload: string }[] = await selectOpened<{ payload: string }>(deployment.db, 'draft_copies', 'SELECT payload FROM draft_copies WHERE person_id = ?', [person.id]);
    const values = JSON.parse(copy.payload).values as Record<string, unknown>;
    // B filled the step that was asked when it came; A filled nothing.
    expect(values.matterText).toBe(b.text);
    expect(values.cityCadre).toBeUndefined();
    expect(values.reason).toBeUndefined();
    const toLiuyang = deployment.fake.delivered().filter((m) => m.touser === 'liuyang').map((m) => JSON.stringify(m));
    const notice = toLiuyang.at(-1)!;
    expect(notice).toContain('晚到了');
    expect(notice).toContain(`“${a.text}”`);
    expect(notice).toContain('当前在填写“容错免责申请”的“是否涉及市管干部”');
    // Each callback answered 200 was handled once.
    expect(await deployment.count(`SELECT COUNT(*) AS n FROM inbox WHERE status = 'done'`)).toBe(5);
  });
});
