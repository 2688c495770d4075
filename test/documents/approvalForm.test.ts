import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approvalFormDocx,
  approvalFormPdf,
  loadApprovalFormData,
  PdfFontMissingError,
  type ApprovalFormData,
} from '../../src/documents/approvalForm';
import { EXEMPTIONS, SITUATIONS, SIX_LOOKS } from '../../src/domain/tolerance/policy';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, type Chat } from '../support/chat';
import { docxPart, paragraphsText, pdfText, tableRows, withFont } from './docText';
import { apply, caseId, decide, investigate, openMatter, reportToCity, revoke, supplement } from './fixtures';

/**
 * 附件1 from real cases: each made through the simulator chat by the people of the sample roster
 * (杨帆 applies, 刘洋 gives the unit opinion, 吴海燕 investigates, 陈建国 signs for the 党工委).
 */


describe('临港开发区容错免责审批表 (附件1)', () => {
  let chat: Chat;
  let normal: ApprovalFormData; // granted after one 退回补充, 报备 done
  let integrated: ApprovalFormData; // 八个一体化: also 开发区党工委
  let revoked: ApprovalFormData; // granted, then revoked under 第十条
  let normalDocx: Buffer;

  beforeAll(async () => {
    chat = await openChat(databaseBackends[0], stateBackends[0]);
    const [yangFan, xuMin, maJun, liuYang, wuHaiyan, chenJianguo] = ['P014', 'P015', 'P016', 'P012', 'P009', 'P001'].map((code) => chat.as(code));

    await openMatter(wuHaiyan, '杨帆', '滨江项目征地补偿协议提前签订造成损失');
    const a = await apply(yangFan, { situations: '二、三' });
    await decide(liuYang, '退回补充', '请补充街道党工委会议纪要。');
    await supplement(yangFan, '会议纪要已补充，见附件。');
    await decide(liuYang, '同意', '情况属实，同意报纪工委调查核实。');
    await investigate(wuHaiyan, '予以容错免责', '一、三');
    await decide(chenJianguo, '同意', '同意纪工委意见，予以容错免责。');
    await reportToCity(wuHaiyan, a, '已于今日报备，文号澄纪备〔2026〕12号。');

    const b = await apply(xuMin, { situations: '一', integrated: true, matterText: '园区道路提前开工被通报问责' });
    await decide(liuYang, '同意', '属实，同意上报。');
    await investigate(wuHaiyan, '予以容错免责', '二、四');
    await decide(chenJianguo, '同意', '同意，报开发区党工委。');
    await decide(chenJianguo, '同意', '开发区党工委同意予以容错免责。');

    const c = await apply(maJun, { situations: '十', otherSituation: '为保障企业按期投产，在手续未齐全时先行协调供电。', matterText: '供电协调程序不规范被问责' });
    await decide(liuYang, '同意', '同意。');
    await investigate(wuHaiyan, '予以容错免责', '三');
    await decide(chenJianguo, '同意', '同意。');
    await revoke(wuHaiyan, c, '1', '经复核发现申请材料中的会议纪要系事后补写。');

    normal = (await loadApprovalFormData(chat.db, await caseId(chat, a)))!;
    integrated = (await loadApprovalFormData(chat.db, await caseId(chat, b)))!;
    revoked = (await loadApprovalFormData(chat.db, await caseId(chat, c)))!;
    normalDocx = await approvalFormDocx(normal);
  }, 60_000);
  afterAll(async () => chat?.close());

  it('reads the case, its stages and the people into plain data', () => {
    expect(normal.caseNumber).toMatch(/^RC2026-\d{4}$/);
    expect(normal).toMatchObject({
      status: 'granted',
      applicantName: '杨帆',
      unitName: '经济发展局综合科',
      post: '综合科科长',
      situations: [1, 2],
      integrated: false,
      path: 'ordinary',
      unit: { signer: '刘洋', entry: { kind: 'opinion', stance: 'agree', opinion: '情况属实，同意报纪工委调查核实。' } },
      discipline: { signer: '吴海燕', entry: { kind: 'finding', verdict: 'grant', outcomes: [0, 2] } },
      committee: { signer: '陈建国', entry: { kind: 'approval', stance: 'agree' } },
      zone: null,
      granted: [0, 2],
      reportedOn: '2026-11-27',
      revocation: null,
    });
    expect(normal.matter).toMatch(/^WZ2026-\d{4} 滨江项目征地补偿协议提前签订造成损失$/);
    expect(normal.returns).toEqual([expect.objectContaining({ stageTitle: '所在单位党组织意见', by: '刘洋', question: '请补充街道党工委会议纪要。', answer: '会议纪要已补充，见附件。' })]);
    const finding = normal.discipline!.entry;
    expect(finding.kind === 'finding' && finding.criteria.map((l) => l.title)).toEqual(SIX_LOOKS.map((l) => l.title));
  });

  it('writes an A4 Word file in 宋体 whose table carries every stage’s opinion, signer and date', async () => {
    const document = await docxPart(normalDocx, 'word/document.xml');
    const styles = await docxPart(normalDocx, 'word/styles.xml');
    expect(document).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(styles).toMatch(/<w:rFonts w:ascii="SimSun" w:cs="SimSun" w:eastAsia="宋体" w:hAnsi="SimSun"\/>/);

    const text = paragraphsText(document);
    expect(text).toContain('临港开发区容错免责审批表');
    for (const opinion of ['情况属实，同意报纪工委调查核实。', '经调查核实，符合第五条（二）（三）情形，建议予以容错免责。', '同意纪工委意见，予以容错免责。']) {
      expect(text).toContain(opinion);
    }
    for (const look of SIX_LOOKS) expect(text).toContain(`${look.title}：`);
    expect(text).toContain(`（一）${EXEMPTIONS[0]}`);
    expect(text).toContain(`（三）${EXEMPTIONS[2]}`);
    expect(text).not.toContain(EXEMPTIONS[1]);
    expect(text).not.toContain(EXEMPTIONS[3]);
    expect(text).toContain('此表一式两份，报告单位、纪工委各执一份。');

    const rows = tableRows(document);
    expect(rows.map((r) => r.split('|')[0])).toEqual(['申请人', '职务或性质', '申请事由', '所在单位\n党组织意见', '纪（工）委\n意\u3000见', '基层党委\n意\u3000见', '开发区\n党工委意见', '备\u3000注']);
    expect(rows[0]).toBe('申请人|杨帆|申请时间|2026年11月27日');
    expect(rows[1]).toContain('综合科科长（行政）');
    expect(rows[2]).toContain(`（二）${SITUATIONS[1]}`);
    expect(rows[2]).toContain(`（三）${SITUATIONS[2]}`);
    expect(rows[2]).toMatch(/问责事项：WZ2026-\d{4} 滨江项目征地补偿协议提前签订造成损失/);
    expect(rows[3]).toContain('主要负责人：刘洋\u3000\u30002026年11月27日（盖章）');
    expect(rows[4]).toContain('核实人：吴海燕\u3000\u30002026年11月27日（盖章）');
    expect(rows[4]).toContain('认定结论：予以容错免责');
    expect(rows[5]).toContain('签名：陈建国\u3000\u30002026年11月27日');
    expect(rows[7]).toContain(`编号：${normal.caseNumber}；当前状态：予以容错免责。`);
    expect(rows[7]).toContain('退回补充：2026年11月27日，所在单位党组织意见环节刘洋要求：请补充街道党工委会议纪要；申请人于2026年11月27日补充：会议纪要已补充，见附件。');
    expect(rows[7]).toContain('已于2026年11月27日报备市纪委监委。');
  });

  it('fills the 开发区党工委意见 row only for an 八个一体化 matter', async () => {
    const zoneRow = async (data: ApprovalFormData) => tableRows(await docxPart(await approvalFormDocx(data), 'word/document.xml'))[6];
    const filled = await zoneRow(integrated);
    expect(filled).toContain('开发区党工委同意予以容错免责。');
    expect(filled).toContain('签名：陈建国\u3000\u30002026年11月27日');
    expect(integrated.zone).toMatchObject({ signer: '陈建国', entry: { kind: 'approval', stance: 'agree' } });

    // As on the blank paper form: only the printed 签名 and date placeholders, nobody's name, no date.
    const empty = await zoneRow(normal);
    expect(empty).toBe('开发区\n党工委意见|签名：\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日');
    expect(empty).not.toMatch(/\d/);
  });

  it('records a 第十条 revocation and a （十） situation with its explanation', async () => {
    const rows = tableRows(await docxPart(await approvalFormDocx(revoked), 'word/document.xml'));
    expect(rows[2]).toContain('（十）其他可容错的情形：为保障企业按期投产，在手续未齐全时先行协调供电；');
    expect(rows[7]).toContain('当前状态：已撤销认定（《容错细则》第十条）');
    expect(rows[7]).toContain('严肃处理：结果尚未登记。');
    expect(rows[7]).toContain('吴海燕依据《容错细则》第十条（一）申请免责材料弄虚作假、欺骗组织的，撤销容错免责认定，重新启动问责程序。说明：经复核发现申请材料中的会议纪要系事后补写。');
    expect(rows[7]).not.toContain('报备市纪委监委');
  });

  it('says nothing about a case that does not exist', async () => {
    expect(await loadApprovalFormData(chat.db, 999_999)).toBeUndefined();
  });

  withFont('draws the same form as a PDF in a CJK font', async () => {
    const pdf = await approvalFormPdf(normal);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await pdfText(pdf);
    for (const expected of ['临港开发区容错免责审批表', `编号：${normal.caseNumber}`, '杨帆', '刘洋', '吴海燕', '陈建国', '看问题性质', '此表一式两份，报告单位、纪工委各执一份。']) {
      expect(text).toContain(expected);
    }
    expect(await pdfText(await approvalFormPdf(integrated))).toContain('开发区党工委同意予以容错免责。');
  }, 60_000);

  it('refuses to make a PDF without a CJK font, naming the setting and the package', async () => {
    const missing = approvalFormPdf(normal, { PDF_FONT_PATH: '/nonexistent/font.ttc' });
    await expect(missing).rejects.toBeInstanceOf(PdfFontMissingError);
    await expect(missing).rejects.toThrow(/PDF_FONT_PATH=\/nonexistent\/font\.ttc.*文件不存在[\s\S]*apt-get install -y fonts-noto-cjk[\s\S]*set PDF_FONT_PATH/);
    const latinOnly = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
    if (existsSync(latinOnly)) {
      await expect(approvalFormPdf(normal, { PDF_FONT_PATH: latinOnly })).rejects.toThrow(/不是含中文字形的字体/);
    }
  });
});
