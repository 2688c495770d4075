import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, recordBefore, type Channel, type Chat, type Chatter } from '../support/chat';
import { renderCaseDocument } from '../../src/documents/render';
import { docxPart, tableRows } from '../documents/docText';
import { applyForTolerance, decide, investigate } from '../support/toleranceDialogue';
import { selectOpened } from '../../src/storage/confidential';

const caseRow = async (chat: Chat) => (await selectOpened<Record<string, string>>(chat.db, 'cases', 'SELECT * FROM cases'))[0];
const stageRows = async (chat: Chat) => selectOpened<{ stage_key: string; status: string; decision: string; opinion: string | null }>(chat.db, 'case_stages', 'SELECT stage_key, status, decision, opinion FROM case_stages ORDER BY seq');
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
    expect((await wuHaiyan.taps('提交')).text).toMatch(/已登记问责事项 WZ2026-\d{4}，并已告知杨帆可依据《容错细则》第五条申请容错/);
    expect(yangFan.transcript().at(-1)!.text).toContain('您可以发送“申请容错”');

    const receipt = await applyForTolerance(yangFan);
    expect(receipt.text).toMatch(/已提交容错免责申请，编号 RC2026-\d{4}/);
    expect(receipt.text).toContain('审批路径：所在单位党组织意见（刘洋） → 纪（工）委意见（吴海燕） → 基层党委意见（陈建国）');
    expect(receipt.text).toContain('本申请按“一般事项”办理。依据《容错细则》第六条（一）2—4');

    const unitCard = liuYang.lastCard()!;
    expect(unitCard.title).toBe('容错免责申请待您审批：所在单位党组织意见');
    expect(unitCard.fields).toContainEqual({ label: '申请人', value: '杨帆（综合科科长）' });
    expect(recordBefore(liuYang, unitCard.cardId)).toContain('申请人：杨帆');
    expect(unitCard.description).toContain('不论同意与否，申请都将送下一环节');
    expect((await decide(liuYang, '同意', '情况属实，同意报纪工委调查核实。')).text).toContain('已记录您的意见：同意');
    expect(liuYang.transcript().find((m) => m.card?.cardId === unitCard.cardId)!.card!.closedLabel).toBe('已同意 · 刘洋 · 11月27日');
    expect(yangFan.transcript().at(-1)!.text).toContain('下一步：纪（工）委意见');

    expect(wuHaiyan.lastCard()!.buttons.map((b) => b.label)).toEqual(['开始核实', '退回补充']);
    expect((await investigate(wuHaiyan, '予以容错免责')).text).toContain('已记录您的认定：予以容错免责');

    const approval = chenJianguo.lastCard()!;
    expect(approval.title).toBe('容错免责申请待您审批：基层党委意见');
    expect(recordBefore(chenJianguo, approval.cardId)).toMatch(/纪（工）委意见｜吴海燕｜2026-11-27\n {3}认定：予以容错免责，作《容错细则》第七条（一）（三）处理/);
    await decide(chenJianguo, '同意', '同意纪工委意见，予以容错免责。');

    const record = await caseRow(chat);
    expect(record.status).toBe('granted');
    expect(JSON.parse(record.outcome)).toMatchObject({ verdict: 'grant', outcomes: [0, 2], by: 'zone' });
    expect(await stageRows(chat)).toEqual([
      { stage_key: 'unit', status: 'decided', decision: 'approve', opinion: '情况属实，同意报纪工委调查核实。' },
      { stage_key: 'discipline', status: 'decided', decision: 'approve', opinion: '经调查核实，符合第五条（二）（三）情形，建议予以容错免责。' },
      { stage_key: 'committee', status: 'decided', decision: 'approve', opinion: '同意纪工委意见，予以容错免责。' },
    ]);
    const [discipline] = await selectOpened<{ findings: string }>(chat.db, 'case_stages', `SELECT findings FROM case_stages WHERE stage_key = 'discipline'`);
    expect(JSON.parse(discipline.findings).criteria.map((c: { title: string }) => c.title)).toEqual(['看问题性质', '看工作依据', '看主观动机', '看决策过程', '看履职取向', '看纠错态度']);
    expect((await chat.db.query(`SELECT status FROM accountability_matters`))[0].status).toBe('exempted');
    // The 批复 goes to the applicant and to his unit's party organisation, naming the outcome.
    const [reply] = await chat.db.query('SELECT number, title, verdict, outcomes FROM case_replies');
    expect(reply).toMatchObject({ title: '批复', verdict: 'grant', outcomes: '[0,2]' });
    for (const who of [yangFan, liuYang]) {
      expect(who.transcript().map((m) => m.text ?? '').find((t) => t.startsWith('【批复】'))).toContain(
        `容错免责申请（杨帆）：予以容错免责，作《容错细则》第七条（一）（三）处理。\n批复编号 ${reply.number}，2026-11-27 作出。`,
      );
    }
    // 《容错细则》第十一条: the 组织人事部门 are told of the exemption.
    expect(chat.as('P007').transcript().some((m) => m.text?.startsWith('【容错免责干部】杨帆'))).toBe(true);

    const tasks: { kind: string; assignee: string }[] = await chat.db.query(
      'SELECT t.kind, p.name AS assignee FROM case_tasks t JOIN people p ON p.id = t.assignee_id ORDER BY t.id',
    );
    expect(tasks.map((t) => t.kind)).toEqual(['execute', 'execute-personnel', 'publish', 'report-city', 'archive', 'admonition', 'rectification', 'root-cause']);
    expect(tasks.find((t) => t.kind === 'rectification')!.assignee).toBe('刘洋');

    const todo = await wuHaiyan.says('我的待办');
    // A suggested date is the zone's setting (SUGGESTED_DAYS_REPORT_TO_CITY=15), never an article's.
    expect(todo.text).toMatch(/报备市纪委监委纳入统计，依据《容错细则》第六条（一）4，建议于 2026-12-12 前完成（本区设置）；办结后发送“办结 \d+”/);
    const reportTask = /待办 #(\d+)：报备市纪委监委/.exec(todo.text)![1];
    await wuHaiyan.says(`办结 ${reportTask}`);
    await wuHaiyan.says('已于今日报备，文号澄纪备〔2026〕12号。');
    expect((await wuHaiyan.taps('提交')).text).toContain('已办结');
    expect((await caseRow(chat)).reported_on).toBe('2026-11-27');

    const timeline = await yangFan.says(`进度 ${record.number}`);
    expect(timeline.text).toContain('纪（工）委意见 · 吴海燕 · 2026-11-27\n  认定：予以容错免责');
    expect(timeline.text).toContain(`批复：${reply.number}（2026-11-27）予以容错免责`);
    expect(timeline.text).toContain('已报备市纪委监委：2026-11-27');
    expect(await audit(chat)).toEqual(['matter.opened', 'case.submitted', 'stage.approve', 'stage.approve', 'stage.approve', 'case.granted', 'case.replied', 'task.done']);
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

  it('sends the request on to the 纪工委 when the unit does not agree, with the unit’s opinion on its card', async () => {
    await applyForTolerance(yangFan);
    expect((await decide(liuYang, '不同意', '不属于第五条情形。')).text).toContain('已记录您的意见：不同意');
    expect((await caseRow(chat)).status).toBe('in_review');
    expect(yangFan.transcript().at(-1)!.text).toContain('下一步：纪（工）委意见');
    const card = wuHaiyan.lastCard()!;
    expect(card.title).toBe('容错免责申请待您审批：纪（工）委意见');
    expect(recordBefore(wuHaiyan, card.cardId)).toContain('所在单位党组织意见｜刘洋｜2026-11-27\n   不同意。不属于第五条情形。');
    expect((await wuHaiyan.taps('开始核实')).text).toContain('所在单位党组织意见（刘洋）：不同意。不属于第五条情形。');
    // The form prints the opinion in its row, signed, as on paper.
    const rows = tableRows(await docxPart((await renderCaseDocument(chat.db, Number((await caseRow(chat)).id), 'form', 'docx'))!.content, 'word/document.xml'));
    expect(rows[3]).toBe('所在单位\n党组织意见|不属于第五条情形。\n意见：不同意\n主要负责人：刘洋\u3000\u30002026年11月27日（盖章）');
  });

  it('returns a request for more material and takes it back to the same stage', async () => {
    await applyForTolerance(yangFan);
    await decide(liuYang, '退回补充', '请补充街道党工委会议纪要。');
    expect((await caseRow(chat)).status).toBe('returned');
    expect(yangFan.transcript().at(-2)!.text).toContain('刘洋 的问题：请补充街道党工委会议纪要。');
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

  it('lets the applicant withdraw before the first decision, with a reason the approver is told, but not after', async () => {
    await applyForTolerance(yangFan);
    const number = (await caseRow(chat)).number;
    // One message is not enough: the reason is asked and confirmed first, and nothing changes until then.
    const asked = await yangFan.says(`撤回 ${number}`);
    expect(asked.text).toContain(`您要撤回 ${number}（容错免责申请）`);
    expect(asked.text).toContain('请写明撤回的理由');
    expect((await caseRow(chat)).status).toBe('in_review');
    expect((await yangFan.says('情况已说明清楚，不再申请。')).text).toContain('撤回理由：情况已说明清楚，不再申请。');
    expect((await caseRow(chat)).status).toBe('in_review');
    expect((await yangFan.taps('提交')).text).toContain(`已撤回 ${number}，撤回理由已记录并告知审批人。`);
    expect(liuYang.transcript().find((m) => m.card)!.card!.closedLabel).toBe('申请人已撤回');
    expect(liuYang.transcript().at(-1)!.text).toBe(`${number}（容错免责申请）已由申请人杨帆撤回，“所在单位党组织意见”无需再办理。撤回理由：情况已说明清楚，不再申请。`);
    expect((await yangFan.says(`进度 ${number}`)).text).toContain('撤回：2026-11-27 申请人杨帆撤回，理由：情况已说明清楚，不再申请。');

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
    expect(JSON.parse(record.revocation)).toMatchObject({ reason: '第十条（一）申请免责材料弄虚作假、欺骗组织的', ground: 0, previousStatus: 'granted' });
    // Both records are kept: what was granted, and its revocation.
    expect(JSON.parse(record.outcome)).toMatchObject({ verdict: 'grant', outcomes: [0, 2] });
    expect((await chat.db.query('SELECT status FROM accountability_matters'))[0].status).toBe('open');
    expect(await audit(chat)).toEqual(expect.arrayContaining(['case.granted', 'case.revoked']));
    // The follow-up work of the grant no longer applies; the 严肃处理 is asked for instead.
    const tasks: { kind: string; status: string }[] = await chat.db.query('SELECT kind, status FROM case_tasks ORDER BY id');
    expect(tasks.filter((t) => t.status === 'open').map((t) => t.kind)).toEqual(['handling']);
    expect(chat.as('P007').transcript().at(-1)!.text).toContain('此前的容错免责处理不再适用');

    const todo = await wuHaiyan.says('我的待办');
    const handling = /待办 #(\d+)：依纪依法严肃处理/.exec(todo.text)![1];
    await wuHaiyan.says(`办结 ${handling}`);
    await wuHaiyan.says('给予党内警告处分');
    await wuHaiyan.taps('今天');
    await wuHaiyan.says('临港纪处〔2026〕3号');
    expect((await wuHaiyan.taps('提交')).text).toContain('已办结');
    expect(JSON.parse((await caseRow(chat)).revocation).handling).toMatchObject({ result: '给予党内警告处分', documentNumber: '临港纪处〔2026〕3号' });
    expect((await wuHaiyan.says(`进度 ${number}`)).text).toContain('严肃处理：给予党内警告处分（2026-11-27，临港纪处〔2026〕3号）');
  });

  it('takes a matter handed down from above the city’s way, and says so at intake', async () => {
    const receipt = await applyForTolerance(yangFan, { handedDown: true });
    expect(receipt.text).toContain(
      '审批路径：所在单位党组织意见（刘洋） → 纪（工）委意见（吴海燕） → 党（工）委集体研究（陈建国） → 开发区党工委主要负责人签署意见（陈建国） → 呈报市纪委监委（吴海燕） → 市纪委监委答复（吴海燕）',
    );
    expect(receipt.text).toContain('本申请按“市级层面事项”办理（属上级党组织、纪检监察机关交办的问题线索、信访件）');
    expect((await caseRow(chat)).path).toBe('city');
  });

  it('lets a 市管干部 apply, and takes the request the city’s way', async () => {
    await chat.db.query(`UPDATE people SET city_managed = 1 WHERE code = 'P013'`);
    const receipt = await applyForTolerance(chat.as('P013'));
    expect(receipt.text).toContain('本申请按“市级层面事项”办理（申请人为市管干部）');
    expect(receipt.text).toContain('→ 党（工）委集体研究（陈建国） → 开发区党工委主要负责人签署意见（陈建国） → 呈报市纪委监委（吴海燕） → 市纪委监委答复（吴海燕）');
    expect(receipt.text).toContain('由党（工）委集体研究，提出明确意见并经开发区党工委主要负责人签署意见后，呈报市纪委监委');
  });

  it('shows a missing role to 党群工作部 instead of skipping the stage, and reroutes once the roster is fixed', async () => {
    await chat.db.query(`DELETE FROM role_assignments WHERE role = 'disciplineMember'`);
    await applyForTolerance(yangFan);
    await decide(liuYang, '同意', '同意。');
    expect((await caseRow(chat)).status).toBe('blocked');
    const admin = chat.as('P005');
    expect(admin.lastCard()!.title).toContain('无法送达审批人');
    expect(admin.lastCard()!.description).toContain('“纪（工）委意见”：名册中找不到');
    expect((await admin.taps('重新分派')).text).toContain('名册中仍然没有');

    const [wu]: { id: number }[] = await chat.db.query(`SELECT id FROM people WHERE code = 'P009'`);
    const [kfq]: { id: number }[] = await chat.db.query(`SELECT id FROM units WHERE code = 'KFQ'`);
    await chat.db.query(`INSERT INTO role_assignments (person_id, role, unit_id, created_at) VALUES (?, 'disciplineMember', ?, '2026-11-27T00:00:00.000Z')`, [wu.id, kfq.id]);
    expect((await admin.taps('重新分派')).text).toContain('已将');
    expect(wuHaiyan.lastCard()!.title).toBe('容错免责申请待您审批：纪（工）委意见');
  });
});
