import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, type Channel, type Chat, type Chatter } from '../support/chat';
import { applyForTolerance, decide, investigate } from '../support/toleranceDialogue';

const caseRow = async (chat: Chat) => (await chat.db.query('SELECT * FROM cases'))[0];
const stageRows = async (chat: Chat) => chat.db.query('SELECT stage_key, status, decision, opinion FROM case_stages ORDER BY seq');
const audit = async (chat: Chat) => (await chat.db.query('SELECT action FROM audit_log ORDER BY id')).map((r: { action: string }) => r.action);

const channels: Channel[] = ['simulator', 'wecom', 'dingtalk'];
const runs = databaseBackends.flatMap((database) => channels.map((channel) => ({ database, channel })));

describe.each(runs)('容错免责 end to end over $channel ($database.name)', ({ database, channel }) => {
  let chat: Chat;
  let yangFan: Chatter; // 综合科科长, the applicant
  let liuYang: Chatter; // 经济发展局 党组织主要负责人
  let wuHaiyan: Chatter; // 纪工委书记
  let chenJianguo: Chatter; // 党工委书记: 基层党委 and 开发区党工委

  beforeEach(async () => {
    chat = await openChat(database, stateBackends[stateBackends.length - 1], {}, channel);
    [yangFan, liuYang, wuHaiyan, chenJianguo] = ['P014', 'P012', 'P009', 'P001'].map((code) => chat.as(code));
  });
  afterEach(async () => chat.close());

  it('from 启动问责 to a granted exemption with its 纠错 tasks', async () => {
    const opened = await wuHaiyan.says('启动问责');
    expect(opened.text).toContain('第六条（一）1');
    await wuHaiyan.taps('个人');
    await wuHaiyan.says('杨帆');
    await wuHaiyan.says('滨江项目征地补偿协议提前签订造成损失');
    await wuHaiyan.taps('今天');
    expect((await wuHaiyan.taps('提交')).text).toMatch(/已登记问责事项 WZ2026-\d{4}，并已告知杨帆可依据第五条申请容错/);
    expect(yangFan.transcript().at(-1)!.text).toContain('您可以发送“申请容错”');

    const receipt = await applyForTolerance(yangFan);
    expect(receipt.text).toMatch(/已提交容错免责申请，编号 RC2026-\d{4}/);
    expect(receipt.text).toContain('审批路径：所在单位党组织意见（刘洋） → 纪（工）委意见（吴海燕） → 基层党委意见（陈建国）');

    const unitCard = liuYang.lastCard()!;
    expect(unitCard.title).toBe('容错免责申请待您审批：所在单位党组织意见');
    expect(unitCard.fields).toContainEqual({ label: '申请人', value: '杨帆' });
    expect((await decide(liuYang, '同意', '情况属实，同意报纪工委调查核实。')).text).toContain('已记录您的意见：同意');
    expect(liuYang.transcript().find((m) => m.card?.cardId === unitCard.cardId)!.card!.closedLabel).toBe('已同意 · 刘洋 · 11月27日');
    expect(yangFan.transcript().at(-1)!.text).toContain('下一步：纪（工）委意见');

    expect(wuHaiyan.lastCard()!.buttons.map((b) => b.label)).toEqual(['开始核实', '退回补充']);
    expect((await investigate(wuHaiyan, '予以容错免责')).text).toContain('已记录您的意见：同意');

    expect(chenJianguo.lastCard()!.title).toBe('容错免责申请待您审批：基层党委意见');
    await decide(chenJianguo, '同意', '同意纪工委意见，予以容错免责。');

    const record = await caseRow(chat);
    expect(record.status).toBe('granted');
    expect(JSON.parse(record.outcome)).toEqual({ exemptions: [0, 2] });
    expect(await stageRows(chat)).toEqual([
      { stage_key: 'unit', status: 'decided', decision: 'approve', opinion: '情况属实，同意报纪工委调查核实。' },
      { stage_key: 'discipline', status: 'decided', decision: 'approve', opinion: '经调查核实，符合第五条（二）（三）情形，建议予以容错免责。' },
      { stage_key: 'committee', status: 'decided', decision: 'approve', opinion: '同意纪工委意见，予以容错免责。' },
    ]);
    const [discipline] = await chat.db.query(`SELECT findings FROM case_stages WHERE stage_key = 'discipline'`);
    expect(Object.keys(JSON.parse(discipline.findings).sixLooks)).toEqual(['看问题性质', '看工作依据', '看主观动机', '看决策过程', '看履职取向', '看纠错态度']);
    expect((await chat.db.query(`SELECT status FROM accountability_matters`))[0].status).toBe('exempted');
    expect(yangFan.transcript().at(-1)!.text).toContain('您的容错免责申请已获批准');

    const tasks: { kind: string; assignee: string }[] = await chat.db.query(
      'SELECT t.kind, p.name AS assignee FROM case_tasks t JOIN people p ON p.id = t.assignee_id ORDER BY t.id',
    );
    expect(tasks.map((t) => t.kind)).toEqual(['execute', 'execute-personnel', 'publish', 'report-city', 'archive', 'admonition', 'rectification', 'root-cause']);
    expect(tasks.find((t) => t.kind === 'rectification')!.assignee).toBe('刘洋');

    const todo = await wuHaiyan.says('我的待办');
    const reportTask = /待办 #(\d+)：报备市纪委监委/.exec(todo.text)![1];
    await wuHaiyan.says(`办结 ${reportTask}`);
    await wuHaiyan.says('已于今日报备，文号澄纪备〔2026〕12号。');
    expect((await wuHaiyan.taps('提交')).text).toContain('已办结');
    expect((await caseRow(chat)).reported_on).toBe('2026-11-27');

    const timeline = await yangFan.says(`进度 ${record.number}`);
    expect(timeline.text).toContain('纪（工）委意见：吴海燕 同意');
    expect(timeline.text).toContain('已报备市纪委监委：2026-11-27');
    expect(await audit(chat)).toEqual(['matter.opened', 'case.submitted', 'stage.approve', 'stage.approve', 'stage.approve', 'case.granted', 'task.done']);
  });

  it('sends an 八个一体化 matter on to the 开发区党工委 as well', async () => {
    await applyForTolerance(yangFan, { integrated: true });
    await decide(liuYang, '同意', '同意。');
    await investigate(wuHaiyan, '予以容错免责');
    await decide(chenJianguo, '同意', '同意，报开发区党工委。');
    expect((await caseRow(chat)).status).toBe('in_review');
    expect(chenJianguo.lastCard()!.title).toBe('容错免责申请待您审批：开发区党工委意见');
    await decide(chenJianguo, '同意', '同意。');
    expect((await caseRow(chat)).status).toBe('granted');
    expect((await stageRows(chat)).map((s: { stage_key: string }) => s.stage_key)).toEqual(['unit', 'discipline', 'committee', 'zone']);
  });

  it('ends the request when an approver does not agree, and tells the applicant why', async () => {
    await applyForTolerance(yangFan);
    await decide(liuYang, '不同意', '不属于第五条情形。');
    expect((await caseRow(chat)).status).toBe('rejected');
    expect(yangFan.transcript().at(-1)!.text).toContain('未获同意');
    expect(yangFan.transcript().at(-1)!.text).toContain('不属于第五条情形。');
    expect(wuHaiyan.lastCard()).toBeUndefined();
  });

  it('returns a request for more material and takes it back to the same stage', async () => {
    await applyForTolerance(yangFan);
    await decide(liuYang, '退回补充', '请补充街道党工委会议纪要。');
    expect((await caseRow(chat)).status).toBe('returned');
    expect(yangFan.lastCard()!.description).toContain('请补充街道党工委会议纪要。');
    await yangFan.taps('补充材料');
    await yangFan.says('会议纪要已补充，见附件。');
    await yangFan.says('完成');
    expect((await yangFan.taps('提交')).text).toContain('将回到“所在单位党组织意见”环节');
    expect((await caseRow(chat)).status).toBe('in_review');
    expect(liuYang.lastCard()!.title).toBe('容错免责申请待您审批：所在单位党组织意见');
    await decide(liuYang, '同意', '材料齐全，同意。');
    expect((await stageRows(chat)).map((s: { status: string }) => s.status)).toEqual(['returned', 'decided', 'pending']);
  });

  it('lets only the designated approver decide, and says so to anyone else', async () => {
    await applyForTolerance(yangFan);
    const card = liuYang.lastCard()!;
    const feng = chat.as('P010');
    const answer = await feng.tapsOn(card.cardId, card.buttons[0].key);
    expect(answer.text).toContain('您不是“所在单位党组织意见”这一环节的审批人');
    expect(await audit(chat)).toContain('click.refused');
    expect((await stageRows(chat))[0]).toMatchObject({ status: 'pending', decision: null });
    const own = await yangFan.tapsOn(card.cardId, card.buttons[0].key);
    expect(own.text).toContain('您不是');
  });

  it('treats a second tap on a decided card as a no-op that says so', async () => {
    await applyForTolerance(yangFan);
    const card = liuYang.lastCard()!;
    await decide(liuYang, '同意', '同意。');
    const again = await liuYang.tapsOn(card.cardId, card.buttons[0].key);
    expect(again.text).toContain('这一环节已处理（已同意 · 刘洋 · 11月27日），无需重复操作');
    expect(await stageRows(chat)).toHaveLength(2);
  });

  it('lets the applicant withdraw before the first decision but not after', async () => {
    await applyForTolerance(yangFan);
    const number = (await caseRow(chat)).number;
    expect((await yangFan.says(`撤回 ${number}`)).text).toBe(`已撤回 ${number}。`);
    expect(liuYang.transcript().find((m) => m.card)!.card!.closedLabel).toBe('申请人已撤回');

    await applyForTolerance(yangFan);
    await decide(liuYang, '同意', '同意。');
    const refused = await yangFan.taps('撤回申请');
    expect(refused.text).toContain('已有审批意见或已办结，不能撤回');
    expect((await chat.db.query('SELECT status FROM cases ORDER BY id')).map((r: { status: string }) => r.status)).toEqual(['withdrawn', 'in_review']);
  });

  it('lets a 纪工委 member revoke a granted exemption under 第十条, keeping both in the record', async () => {
    await wuHaiyan.says('启动问责');
    await wuHaiyan.taps('个人');
    await wuHaiyan.says('杨帆');
    await wuHaiyan.says('滨江项目征地补偿协议提前签订造成损失');
    await wuHaiyan.taps('今天');
    await wuHaiyan.taps('提交');
    await applyForTolerance(yangFan);
    await decide(liuYang, '同意', '同意。');
    await investigate(wuHaiyan, '予以容错免责');
    await decide(chenJianguo, '同意', '同意。');
    const number = (await caseRow(chat)).number;

    expect((await liuYang.says('撤销容错')).text).toContain('只有纪（工）委的同志');
    await wuHaiyan.says('撤销容错');
    await wuHaiyan.says(number);
    await wuHaiyan.says('1');
    await wuHaiyan.says('经复核发现申请材料中的会议纪要系事后补写。');
    expect((await wuHaiyan.taps('提交')).text).toContain(`已撤销 ${number} 的容错免责认定`);
    const record = await caseRow(chat);
    expect(record.status).toBe('revoked');
    expect(JSON.parse(record.revocation).reason).toBe('第十条（一）申请免责材料弄虚作假、欺骗组织的');
    expect(JSON.parse(record.outcome)).toEqual({ exemptions: [0, 2] });
    expect((await chat.db.query('SELECT status FROM accountability_matters'))[0].status).toBe('open');
    expect(await audit(chat)).toEqual(expect.arrayContaining(['case.granted', 'case.revoked']));
  });

  it('says at intake that matters handed down from above are outside the rule, and records nothing', async () => {
    await yangFan.says('申请容错');
    const out = await yangFan.taps('是');
    expect(out.text).toContain('依据《容错细则》第二条');
    expect(out.text).toContain('本次没有记录任何内容');
    expect(await chat.db.query('SELECT * FROM cases')).toEqual([]);
  });

  it('refuses a 市管干部 at the start', async () => {
    const answer = await chenJianguo.says('申请容错');
    expect(answer.text).toContain('涉及市管干部的容错纠错事项不适用本细则');
  });

  it('shows a missing role to 党群工作部 instead of skipping the stage, and reroutes once the roster is fixed', async () => {
    await chat.db.query(`DELETE FROM role_assignments WHERE role = 'disciplineMember'`);
    await applyForTolerance(yangFan);
    await decide(liuYang, '同意', '同意。');
    expect((await caseRow(chat)).status).toBe('blocked');
    const admin = chat.as('P005');
    expect(admin.lastCard()!.title).toContain('无法送达“纪（工）委意见”');
    expect((await admin.taps('重新分派')).text).toContain('名册中仍然没有');

    const [wu]: { id: number }[] = await chat.db.query(`SELECT id FROM people WHERE code = 'P009'`);
    const [kfq]: { id: number }[] = await chat.db.query(`SELECT id FROM units WHERE code = 'KFQ'`);
    await chat.db.query(`INSERT INTO role_assignments (person_id, role, unit_id, created_at) VALUES (?, 'disciplineMember', ?, '2026-11-27T00:00:00.000Z')`, [wu.id, kfq.id]);
    expect((await admin.taps('重新分派')).text).toContain('已将');
    expect(wuHaiyan.lastCard()!.title).toBe('容错免责申请待您审批：纪（工）委意见');
  });
});
