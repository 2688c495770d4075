import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ledgerXlsx } from '../../src/documents/ledger';
import { renderCaseDocument } from '../../src/documents/render';
import { docxPart, tableRows } from '../documents/docText';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, type Channel, type Chat, type Chatter } from '../support/chat';
import { decide } from '../support/toleranceDialogue';
import { selectOpened } from '../../src/storage/confidential';

/**
 * 《容错细则》第九条 澄清正名: an accusation against 杨帆 proved false; the 纪工委 opens a clearance,
 * 杨帆 says what he wishes, the 纪工委 proposes where and how, the 党工委 head approves, and the
 * clarification done is recorded, on the form and in the 台账.
 */

const clearanceRow = async (chat: Chat) => (await selectOpened<Record<string, string>>(chat.db, 'cases', `SELECT * FROM cases WHERE kind = 'clearance'`))[0];

const channels: Channel[] = ['simulator', 'wecom'];
const runs = databaseBackends.flatMap((database) => channels.map((channel) => ({ database, channel })));

describe.each(runs)('澄清正名 end to end over $channel ($database.name)', ({ database, channel }) => {
  let chat: Chat;
  let yangFan: Chatter; // 综合科科长, the cadre accused
  let wuHaiyan: Chatter; // 纪工委书记
  let chenJianguo: Chatter; // 党工委书记

  beforeEach(async () => {
    chat = await openChat(database, stateBackends[stateBackends.length - 1], {}, channel);
    [yangFan, wuHaiyan, chenJianguo] = ['P014', 'P009', 'P001'].map((code) => chat.as(code));
  });
  afterEach(async () => chat.close());

  it('clears a cadre the way 第九条 says: his wishes, the scope and manner approved, the clarification recorded', async () => {
    await wuHaiyan.says('启动问责');
    await wuHaiyan.taps('个人');
    await wuHaiyan.says('杨帆');
    await wuHaiyan.says('网络反映杨帆在项目审批中收受好处');
    await wuHaiyan.taps('今天');
    await wuHaiyan.taps('提交');

    const intro = await wuHaiyan.says('澄清正名');
    expect(intro.text).toContain('综合考虑工作需要和被举报人本人意愿');
    const matters = await wuHaiyan.says('杨帆');
    expect(matters.text).toMatch(/1\. WZ2026-\d{4} 网络反映杨帆在项目审批中收受好处（将登记为经查失实）\n2\. 无/);
    await wuHaiyan.says('1');
    await wuHaiyan.says('有人在网络论坛发帖称杨帆在项目审批中收受企业好处。');
    await wuHaiyan.says('经查，发帖内容无事实依据，举报失实。');
    await wuHaiyan.says('帖子在园区企业中流传，影响杨帆的正常工作。');
    const receipt = await wuHaiyan.taps('提交');
    expect(receipt.text).toMatch(/已启动澄清正名 QM2026-\d{4}，已请杨帆说明本人意愿/);
    expect((await chat.db.query('SELECT status FROM accountability_matters'))[0].status).toBe('unfounded');

    // 杨帆 says what he wishes.
    expect(yangFan.lastCard()!.title).toBe('澄清正名待您审批：本人意愿');
    const asked = await yangFan.taps('说明本人意愿');
    expect(asked.text).toContain('组织将综合考虑工作需要和您本人的意愿');
    await yangFan.taps('是');
    await yangFan.says('经济发展局和园区企业');
    await yangFan.says('在局干部大会和企业服务群中说明查核结论');
    await yangFan.says('跳过');
    expect((await yangFan.taps('提交')).text).toContain('已记录您的意愿：希望澄清正名');

    // The 纪工委 proposes the scope and manner, with his wishes in front of it.
    const proposal = await wuHaiyan.taps('提出澄清方案');
    expect(proposal.text).toContain('本人意愿（杨帆）：希望澄清正名。范围：经济发展局和园区企业；方式：在局干部大会和企业服务群中说明查核结论。');
    await wuHaiyan.taps('予以澄清正名');
    await wuHaiyan.says('经济发展局全体干部及相关企业');
    await wuHaiyan.says('在局干部大会上通报查核结论，并书面告知相关企业');
    await wuHaiyan.says('考虑工作需要，不在企业服务群中公开，以书面告知代替。');
    await wuHaiyan.taps('提交');

    // The 党（工）委 head approves.
    expect(chenJianguo.lastCard()!.title).toBe('澄清正名待您审批：党（工）委主要负责人意见');
    await decide(chenJianguo, '同意', '同意纪工委的澄清方案。');
    const record = await clearanceRow(chat);
    expect(record.status).toBe('granted');
    expect(yangFan.transcript().some((m) => m.text?.includes(`您的澄清正名 ${record.number}：予以澄清正名。`))).toBe(true);

    const todo = await wuHaiyan.says('我的待办');
    expect(todo.text).toMatch(/为干部澄清正名，消除负面影响，依据《容错细则》第九条，建议于 2026-12-27 前完成（本区设置）；办结后发送“办结 \d+”/);
    const task = new RegExp(`${record.number} 待办 #(\\d+)`).exec(todo.text)![1];
    await wuHaiyan.says(`办结 ${task}`);
    await wuHaiyan.taps('今天');
    await wuHaiyan.says('经济发展局全体干部及相关企业');
    await wuHaiyan.says('局干部大会通报、书面告知企业');
    await wuHaiyan.says('已在干部大会上通报，相关企业已书面告知。');
    expect((await wuHaiyan.taps('提交')).text).toContain('已办结');
    expect(JSON.parse((await clearanceRow(chat)).form).cleared).toMatchObject({ scope: '经济发展局全体干部及相关企业' });
    expect(yangFan.transcript().at(-1)!.text).toContain('已为您澄清正名');

    const timeline = await yangFan.says(`进度 ${record.number}`);
    expect(timeline.text).toContain('纪（工）委意见（澄清范围和方式） · 吴海燕 · 2026-11-27\n  认定：予以澄清正名');
    expect(timeline.text).toContain('后续工作：已办结 1/1');

    const rows = tableRows(await docxPart((await renderCaseDocument(chat.db, Number(record.id), 'form', 'docx'))!.content, 'word/document.xml'));
    expect(rows[0]).toBe('被举报人|杨帆|启动时间|2026年11月27日');
    expect(rows[3]).toContain('希望的范围：经济发展局和园区企业');
    expect(rows[4]).toContain('澄清范围：经济发展局全体干部及相关企业');
    expect(rows[5]).toContain('签名：陈建国');
    expect(rows[6]).toContain('在经济发展局全体干部及相关企业以局干部大会通报、书面告知企业澄清正名。');

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await ledgerXlsx(chat.db)) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('澄清正名')!;
    expect(sheet.getRow(3).getCell(1).value).toBe(record.number);
    expect(String(sheet.getRow(3).getCell(10).value)).toBe('予以澄清正名');
  });

  it('weighs a cadre who does not wish to be cleared: the 纪工委 may decline, and nothing follows', async () => {
    await wuHaiyan.says('澄清正名');
    await wuHaiyan.says('杨帆');
    await wuHaiyan.says('1'); // 无: no 问责事项
    await wuHaiyan.says('匿名信反映杨帆违规干预项目招标。');
    await wuHaiyan.says('经查，匿名信反映的问题不属实。');
    await wuHaiyan.says('在局内小范围传播。');
    await wuHaiyan.taps('提交');
    await yangFan.taps('说明本人意愿');
    await yangFan.taps('否');
    await yangFan.says('影响不大，不希望再扩大知晓范围。');
    expect((await yangFan.taps('提交')).text).toContain('已记录您的意愿：不希望澄清正名');
    await wuHaiyan.taps('提出澄清方案');
    await wuHaiyan.taps('不予澄清正名');
    await wuHaiyan.says('尊重本人意愿，影响范围小，不再专门澄清。');
    await wuHaiyan.taps('提交');
    await decide(chenJianguo, '同意', '同意。');
    expect((await clearanceRow(chat)).status).toBe('rejected');
    expect(await chat.db.query('SELECT kind FROM case_tasks')).toEqual([]);
    // It was the 纪工委's case, not his: he cannot withdraw it.
    expect((await yangFan.says(`撤回 ${(await clearanceRow(chat)).number}`)).text).toContain('不能撤回');
  });
});
