import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { renderCaseDocument, type CaseDocument } from '../../src/documents/render';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, type Chat } from '../support/chat';
import { applyForTolerance, recordAnswer, recordMeeting, recordSubmission, sign } from '../support/toleranceDialogue';
import { withFont } from './docText';
import { apply, caseId, completeTask, decide, fileRisk, findFiling, investigate, jointReview, openMatter, supplement } from './fixtures';

/**
 * Every form as the printer would put it on paper: the PDF drawn to PNG by pdftoppm at 50 dpi and
 * compared with the reference image kept beside this file, page by page. A change to a layout
 * that moves rows shows up as a difference; text that renders a pixel apart (another build of the
 * font) does not. The images drawn are left in test-artifacts/forms/ to be looked at.
 *
 * After an intended layout change, look at the new images and make them the references:
 *   npm run test:forms:update
 */
const REFERENCES = join(__dirname, 'forms');
const ARTIFACTS = join(__dirname, '../../test-artifacts/forms');
const UPDATE = process.env.UPDATE_FORM_IMAGES === '1';
const DPI = 50;
/** A pixel differs when its grey level moved by more than this (of 255)… */
const PIXEL_THRESHOLD = 96;
/** …and a page differs when more than this share of its pixels did. */
const PAGE_TOLERANCE = 0.004;

/** The PDF drawn as one grey PNG per page. */
function pages(pdf: Buffer, name: string): Buffer[] {
  const dir = mkdtempSync(join(tmpdir(), 'dandang-form-'));
  try {
    writeFileSync(join(dir, 'form.pdf'), pdf);
    execFileSync('pdftoppm', ['-r', String(DPI), '-gray', '-png', join(dir, 'form.pdf'), join(dir, name)]);
    return readdirSync(dir).filter((f) => f.endsWith('.png')).sort().map((f) => readFileSync(join(dir, f)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The share of pixels whose grey level differs by more than PIXEL_THRESHOLD; 1 when the sizes differ. */
function difference(a: Buffer, b: Buffer): number {
  const [x, y] = [PNG.sync.read(a), PNG.sync.read(b)];
  if (x.width !== y.width || x.height !== y.height) return 1;
  let differing = 0;
  for (let i = 0; i < x.data.length; i += 4) if (Math.abs(x.data[i] - y.data[i]) > PIXEL_THRESHOLD) differing++;
  return differing / (x.width * x.height);
}

describe('the forms drawn as images', () => {
  let chat: Chat;
  const documents: { name: string; number: () => string; document: CaseDocument }[] = [];
  const numbers = new Map<string, string>();
  const latest = async () => String((await chat.db.query('SELECT number FROM cases ORDER BY id DESC LIMIT 1'))[0].number);

  beforeAll(async () => {
    chat = await openChat(databaseBackends[0], stateBackends[0]);
    const [yangFan, liuYang, liMinghua, wuHaiyan, chenJianguo] = ['P014', 'P012', 'P002', 'P009', 'P001'].map((code) => chat.as(code));

    // 附件1 and its 批复: a granted request, with a 退回补充 on the way.
    await openMatter(wuHaiyan, '杨帆', '滨江项目征地补偿协议提前签订造成损失');
    const tolerance = await apply(yangFan, { situations: '二、三' });
    await decide(liuYang, '退回补充', '请补充街道党工委会议纪要。');
    await supplement(yangFan, '会议纪要已补充，见附件。');
    await decide(liuYang, '同意', '情况属实，同意报纪工委调查核实。');
    await investigate(wuHaiyan, '予以容错免责', '一、三');
    await decide(chenJianguo, '同意', '同意纪工委意见，予以容错免责。');
    numbers.set('tolerance', tolerance);

    // The 呈报表 of a matter handed down, answered by the city.
    await applyForTolerance(yangFan, { handedDown: true });
    await decide(liuYang, '同意', '情况属实。');
    await investigate(wuHaiyan, '予以容错免责');
    await recordMeeting(chenJianguo, '予以容错免责');
    await sign(chenJianguo, '同意呈报市纪委监委。');
    await recordSubmission(wuHaiyan, '临港纪〔2026〕15号');
    await recordAnswer(wuHaiyan, '澄纪复〔2026〕8号', '予以容错免责', '三');
    numbers.set('city', await latest());

    // 附件2 and its 回复.
    const filing = await fileRisk(yangFan);
    await decide(liuYang, '同意', '经局党组集体讨论，同意备案。');
    await decide(liMinghua, '同意', '同意，实施中注意控制风险。');
    await jointReview(wuHaiyan, [{ who: chat.as('P007'), name: '钱志刚', stance: '同意', opinion: '组织人事方面无意见。' }], '经集体会审，同意备案。');
    await findFiling(wuHaiyan, '同意备案', '认定为上级尚无明确限制的探索性试验，予以备案。');
    await decide(chenJianguo, '同意', '同意备案。');
    await completeTask(wuHaiyan, filing, '将备案材料报备市纪委监委', '已报备。');
    numbers.set('filing', filing);

    // 第九条 澄清正名, approved (for another cadre, whose only matter it is).
    const xuMin = chat.as('P015');
    await openMatter(wuHaiyan, '徐敏', '网络反映徐敏在项目审批中收受好处');
    await wuHaiyan.says('澄清正名');
    await wuHaiyan.says('徐敏');
    await wuHaiyan.says('1');
    await wuHaiyan.says('有人在网络论坛发帖称徐敏在项目审批中收受企业好处。');
    await wuHaiyan.says('经查，发帖内容无事实依据，举报失实。');
    await wuHaiyan.says('帖子在园区企业中流传，影响徐敏的正常工作。');
    await wuHaiyan.taps('提交');
    await xuMin.taps('说明本人意愿');
    await xuMin.taps('是');
    await xuMin.says('经济发展局和园区企业');
    await xuMin.says('在局干部大会和企业服务群中说明查核结论');
    await xuMin.says('跳过');
    await xuMin.taps('提交');
    await wuHaiyan.taps('提出澄清方案');
    await wuHaiyan.taps('予以澄清正名');
    await wuHaiyan.says('经济发展局全体干部及相关企业');
    await wuHaiyan.says('在局干部大会上通报查核结论，并书面告知相关企业');
    await wuHaiyan.says('考虑工作需要，不在企业服务群中公开，以书面告知代替。');
    await wuHaiyan.taps('提交');
    await decide(chenJianguo, '同意', '同意纪工委的澄清方案。');
    numbers.set('clearance', await latest());

    // 《能上能下办法》第十二条 组织调整, opened by hand under 第九条（五） and taken through its four stages.
    const qian = chat.as('P007');
    await qian.says('立案调整');
    await qian.says('唐伟');
    await qian.says('第九条 担当作为');
    await qian.says('5');
    await qian.says('城建科分管的工地发生安全生产责任事故，经组织认定。');
    await qian.says('都不是');
    await qian.taps('提交');
    await qian.taps('填写考察核实');
    await qian.says('个别谈话 12 人，调阅事故调查报告。');
    await qian.says('1');
    await qian.taps('提交');
    await qian.taps('填写提出建议');
    await qian.says('调离岗位');
    await qian.says('1');
    await qian.says('对事故负有领导责任，经考察不适宜担任现职，建议调离岗位。');
    await qian.taps('提交');
    await qian.taps('填写组织决定');
    await qian.says('1');
    await qian.says('2026-12-01');
    await qian.says('党工委会议 2026年第20次');
    await qian.says('是');
    await qian.says('否');
    await qian.taps('提交');
    await qian.taps('填写谈话');
    await qian.says('今天');
    await qian.says('郭志明');
    await qian.says('宣布调离岗位决定，本人表示服从组织安排。');
    await qian.taps('提交');
    numbers.set('adjustment', await latest());
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 240_000);
  afterAll(async () => chat?.close());

  documents.push(
    { name: 'approval-form', number: () => numbers.get('tolerance')!, document: 'form' },
    { name: 'tolerance-reply', number: () => numbers.get('tolerance')!, document: 'reply' },
    { name: 'submission', number: () => numbers.get('city')!, document: 'submission' },
    { name: 'filing-form', number: () => numbers.get('filing')!, document: 'form' },
    { name: 'filing-reply', number: () => numbers.get('filing')!, document: 'reply' },
    { name: 'clearance-record', number: () => numbers.get('clearance')!, document: 'form' },
    { name: 'adjustment-record', number: () => numbers.get('adjustment')!, document: 'form' },
  );

  for (const { name, number, document } of documents) {
    withFont(`draws ${name} as on its reference image`, async () => {
      const pdf = (await renderCaseDocument(chat.db, await caseId(chat, number()), document, 'pdf'))!.content;
      writeFileSync(join(ARTIFACTS, `${name}.pdf`), pdf);
      const drawn = pages(pdf, name);
      drawn.forEach((png, i) => writeFileSync(join(ARTIFACTS, `${name}-p${i + 1}.png`), png));
      const reference = (i: number) => join(REFERENCES, `${name}-p${i + 1}.png`);
      if (UPDATE) {
        mkdirSync(REFERENCES, { recursive: true });
        for (const f of readdirSync(REFERENCES).filter((f) => f.startsWith(`${name}-p`))) rmSync(join(REFERENCES, f));
        drawn.forEach((_, i) => copyFileSync(join(ARTIFACTS, `${name}-p${i + 1}.png`), reference(i)));
      }
      const kept = readdirSync(REFERENCES).filter((f) => f.startsWith(`${name}-p`));
      expect(drawn.length, `${name}: pages drawn vs reference images`).toBe(kept.length);
      drawn.forEach((png, i) => {
        expect(existsSync(reference(i)), reference(i)).toBe(true);
        expect(difference(png, readFileSync(reference(i))), `${name} page ${i + 1}`).toBeLessThanOrEqual(PAGE_TOLERANCE);
      });
    }, 90_000);
  }
});
