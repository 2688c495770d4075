/**
 * The console and the sign-in pages in Debian's Chromium (playwright-core), at phone and desktop
 * sizes: each messenger's sign-in against the fake WeCom and DingTalk, every page with the sample
 * zone's data, filters, an Excel roster import with its preview. Each page is checked with axe-core
 * (no serious or critical violation) under its real CSP (no violation reported), and a screenshot
 * of each is kept in test-artifacts/browser.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { databaseBackends, stateBackends } from '../support/backends';
import { ARTIFACTS, browserSuite, DESKTOP, launch, PHONE, checkPage, screenshot, watchErrors } from '../support/browser';
import { WebClient } from '../support/webClient';
import { openWebStack, type WebStack } from '../support/webStack';
import { fileSampleCases, type SampleCases } from '../support/webCases';
import { recordSampleTalks } from '../support/webTalks';

const TIMEOUT_MS = 90_000;
const NEXT_YEAR = new Date().getFullYear() + 1;
/** The first Saturday or Sunday from a day of NEXT_YEAR on: a make-up working day the calendar accepts. */
const weekendFrom = (month: number, day: number) => {
  const d = new Date(Date.UTC(NEXT_YEAR, month - 1, day));
  while (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) d.setUTCDate(d.getUTCDate() + 1);
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
};
const NOTICE = [
  `一、元旦：${NEXT_YEAR}年1月1日至3日放假，共3天。`,
  `二、春节：2月5日至13日放假调休，共9天。${weekendFrom(1, 24)}、${weekendFrom(2, 15)}上班。`,
].join('\n');
const WECOM_APP = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.30 MicroMessenger/7.0.1 Language/zh';
const DINGTALK_APP = 'Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36 AliApp(DingTalk/7.5.0) DingTalk/7.5.0 Channel/201200';

browserSuite('the console in Chromium', () => {
  let stack: WebStack;
  let browser: Browser;
  let sample: SampleCases;
  const weights: Record<string, number> = {};

  beforeAll(async () => {
    stack = await openWebStack(databaseBackends[0], stateBackends[0], { WEB_SIGNIN_ATTEMPTS: '1000' });
    await recordSampleTalks(stack);
    sample = await fileSampleCases(stack);
    browser = await launch();
  }, TIMEOUT_MS);
  afterAll(async () => {
    writeFileSync(join(ARTIFACTS, 'page-weights.json'), `${JSON.stringify(weights, null, 2)}\n`);
    console.log(`[console browser test] page weights (bytes on the wire): ${JSON.stringify(weights)}`);
    await browser?.close();
    await stack?.close();
  }, TIMEOUT_MS);

  /** A fresh browser profile of one size, its page, the errors it shows, and the bytes it fetched from us. */
  async function open(size: typeof PHONE, userAgent?: string): Promise<{ context: BrowserContext; page: Page; errors: string[]; bytes: () => number }> {
    const context = await browser.newContext({ viewport: size, userAgent, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    let bytes = 0;
    page.on('response', (r) => {
      if (r.url().startsWith(stack.url)) bytes += Number(r.headers()['content-length'] ?? 0);
    });
    return { context, page, errors: watchErrors(page), bytes: () => bytes };
  }



  /** Waits for a page's title; when it does not come, the screenshot of what came instead is kept. */
  const heading = (page: Page, text: string) =>
    page.getByRole('heading', { name: text, level: 2 }).waitFor({ timeout: 15_000 }).catch(async (error: unknown) => {
      await screenshot(page, `failed-${text}-${Date.now()}`);
      throw error;
    });

  it('signs in through the development sign-in and walks every page of the console (desktop)', async () => {
    const { context, page, errors, bytes } = await open(DESKTOP);
    await page.goto(`${stack.url}/console/`);
    await page.waitForURL(/\/login\?next=/);
    await checkPage(page, errors, 'login-desktop');
    weights.login = bytes();
    await page.getByRole('link', { name: '开发登录（仅本机）' }).click();
    await page.getByLabel('登录为').selectOption('P005');
    await checkPage(page, errors, 'dev-signin-desktop');
    const before = bytes();
    await page.getByRole('button', { name: '登录' }).click();
    await heading(page, '概览');
    await page.locator('canvas').first().waitFor();
    await expect.poll(() => page.getByRole('cell', { name: '经济发展局' }).count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole('cell', { name: '所在单位党组织意见' }).count()).toBeGreaterThan(0);
    await checkPage(page, errors, 'overview-desktop');
    weights.consoleFirstLoad = bytes() - before;

    await page.getByRole('menuitem', { name: '案件' }).click();
    await heading(page, '案件');
    await expect.poll(() => page.locator('tbody tr.ant-table-row').count()).toBe(4);
    await checkPage(page, errors, 'cases-desktop');

    await page.getByRole('menuitem', { name: '谈心谈话' }).click();
    await heading(page, '谈心谈话');
    await page.getByRole('row', { name: /刘洋/ }).first().waitFor();
    await page.getByRole('switch', { name: '只看尚未谈完的领导' }).click();
    await page.getByRole('row', { name: /刘洋/ }).first().click();
    await expect.poll(() => page.getByText('尚未谈话', { exact: true }).count()).toBeGreaterThan(0);
    await checkPage(page, errors, 'talks-progress-desktop');
    await page.getByRole('tab', { name: '谈话记录' }).click();
    await page.getByRole('button', { name: '查看内容' }).first().click();
    await page.getByRole('dialog').getByText('内容摘要').waitFor();
    await checkPage(page, errors, 'talks-record-desktop');
    await page.getByRole('dialog').getByRole('button', { name: /close|关闭/i }).click();
    const reads = await stack.db.query(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'talk.read' AND channel = 'web'`);
    expect(Number(reads[0].n)).toBe(1);

    await page.getByRole('menuitem', { name: '名册' }).click();
    await heading(page, '名册');
    await page.getByRole('searchbox', { name: '查找人员' }).fill('王芳');
    await page.getByRole('searchbox', { name: '查找人员' }).press('Enter');
    await expect.poll(() => page.locator('tbody tr.ant-table-row').count()).toBe(2);
    await checkPage(page, errors, 'roster-desktop');

    await page.getByRole('menuitem', { name: '设置' }).click();
    await heading(page, '设置');
    await page.getByRole('cell', { name: '元旦' }).first().waitFor();
    await checkPage(page, errors, 'settings-calendar-desktop');
    // Next year has no arrangement yet: 党群工作部 pastes the State Council's notice, previews it, loads it.
    await page.getByRole('combobox', { name: '年度' }).click();
    await page.locator('.ant-select-item-option', { hasText: `${NEXT_YEAR}年` }).click();
    await page.getByText('本年度尚无节假日安排').waitFor();
    await page.getByLabel('按通知原文逐条粘贴（每个节日一行）').fill(NOTICE);
    await page.getByRole('button', { name: '预览' }).click();
    await page.getByText('将载入：放假 12 天，调休上班 2 天').waitFor();
    await checkPage(page, errors, 'settings-calendar-preview-desktop');
    await page.getByRole('button', { name: /确认载入/ }).click();
    await page.getByText(/已载入放假 12 天、调休上班 2 天/).waitFor();
    await page.getByRole('cell', { name: '春节' }).first().waitFor();
    await checkPage(page, errors, 'settings-calendar-loaded-desktop');
    await page.getByRole('tab', { name: '谈话频次' }).click();
    await checkPage(page, errors, 'settings-quotas-desktop');
    await page.getByRole('tab', { name: '建议办理期限' }).click();
    await page.getByRole('cell', { name: 'SUGGESTED_DAYS_REPORT_TO_CITY' }).waitFor();
    await checkPage(page, errors, 'settings-deadlines-desktop');

    await page.getByRole('menuitem', { name: '审计' }).click();
    await heading(page, '审计');
    await page.getByLabel('操作').fill('talk.read');
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => page.getByRole('cell', { name: /查看谈话内容 talk\.read/ }).count()).toBe(1);
    await checkPage(page, errors, 'audit-desktop');
    await context.close();
  }, TIMEOUT_MS);

  it('filters the case list, links each case to its detail page, downloads the 台账 of the filter and a 批复', async () => {
    const { context, page, errors } = await open(DESKTOP);
    await page.goto(`${stack.adminUrl}/auth/dev/`);
    await page.getByLabel('登录为').selectOption('P024');
    await page.getByRole('button', { name: '登录' }).click();
    await heading(page, '概览');
    // 梁红 (纪工委) sees her territory's cases on 概览, and no 谈心谈话 figures: they are the leaders'.
    await expect.poll(() => page.getByRole('cell', { name: '所在单位党组织意见' }).count()).toBeGreaterThan(0);
    expect(await page.getByRole('heading', { name: '谈心谈话', level: 3 }).count()).toBe(0);
    await checkPage(page, errors, 'overview-discipline-desktop');

    await page.getByRole('menuitem', { name: '案件' }).click();
    await heading(page, '案件');
    await expect.poll(() => page.locator('tbody tr.ant-table-row').count()).toBe(3);
    const choose = async (filter: string, option: string) => {
      await page.getByRole('combobox', { name: filter }).click();
      await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: option }).click();
      // While the dropdown closes, its unnamed listbox is still there for axe to find.
      await expect.poll(() => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').count()).toBe(0);
    };
    await choose('待办人', '曹国庆');
    await expect.poll(() => page.locator('tbody tr.ant-table-row').count()).toBe(2);
    await choose('状态', '予以容错免责');
    await expect.poll(() => page.locator('tbody tr.ant-table-row').count()).toBe(1);
    await page.getByText('已超过 2026-10-27').first().waitFor();
    await checkPage(page, errors, 'cases-filtered-desktop');
    expect(await page.getByRole('link', { name: sample.granted.number, exact: true }).getAttribute('href')).toBe(`/m/cases/${sample.granted.number}`);

    const ledger = page.waitForEvent('download');
    await page.getByRole('link', { name: '导出台账（当前筛选）' }).click();
    const file = join(ARTIFACTS, 'cases-ledger.xlsx');
    await (await ledger).saveAs(file);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const numbers: string[] = [];
    book.getWorksheet('台账')!.eachRow((row, n) => n > 2 && numbers.push(String(row.getCell(1).value)));
    expect(numbers).toEqual([sample.granted.number]);

    const reply = page.waitForEvent('download');
    await page.getByRole('link', { name: `${sample.granted.number} 批复` }).click();
    expect((await reply).suggestedFilename()).toMatch(new RegExp(`^${sample.granted.number}.*\\.docx$`));
    await context.close();
  }, TIMEOUT_MS);

  it('imports an Excel roster: bad rows listed with their row numbers, then a good file previewed and applied', async () => {
    const admin = new WebClient(stack.url, stack.adminUrl);
    await admin.devSignIn('P005');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await (await admin.api('/roster/export.xlsx')).arrayBuffer());
    const people = book.getWorksheet('people')!;
    const added = people.addRow(['P120', '韩梅', 'GZ01', '工程部职员', '企业性质', '否', '', '', '2026-11-01', '', '']);
    const badFile = join(ARTIFACTS, 'roster-bad.xlsx');
    added.getCell(3).value = 'NOPE';
    await book.xlsx.writeFile(badFile);
    added.getCell(3).value = 'GZ01';
    const goodFile = join(ARTIFACTS, 'roster-good.xlsx');
    await book.xlsx.writeFile(goodFile);

    const { context, page, errors } = await open(DESKTOP);
    await page.goto(`${stack.adminUrl}/auth/dev/`);
    await page.getByLabel('登录为').selectOption('P005');
    await page.getByRole('button', { name: '登录' }).click();
    await page.goto(`${stack.url}/console/roster`);
    await heading(page, '名册');
    await page.locator('input[type=file]').setInputFiles(badFile);
    await page.getByText(`people 第${added.number}行`).waitFor();
    await page.getByText('单位编码“NOPE”不存在').waitFor();
    await checkPage(page, errors, 'roster-import-bad-rows-desktop');
    await page.locator('input[type=file]').setInputFiles(goodFile);
    await page.getByText('预览：roster-good.xlsx').waitFor();
    await page.getByText('P120 韩梅').first().waitFor();
    await checkPage(page, errors, 'roster-import-preview-desktop');
    expect(await stack.db.query(`SELECT code FROM people WHERE code = 'P120'`)).toEqual([]);
    await page.getByRole('button', { name: '确认导入' }).click();
    await page.getByText('已导入 roster-good.xlsx').waitFor();
    await checkPage(page, errors, 'roster-import-applied-desktop');
    expect(await stack.db.query(`SELECT name FROM people WHERE code = 'P120'`)).toEqual([{ name: '韩梅' }]);
    await context.close();
  }, TIMEOUT_MS);

  it('signs in inside WeCom (网页授权) and inside the DingTalk workbench (免登) at phone size', async () => {
    stack.wecom.device = { userid: 'liuyang' };
    const wecom = await open(PHONE, WECOM_APP);
    await wecom.page.goto(`${stack.url}/console/talks`);
    await heading(wecom.page, '谈心谈话');
    expect(await wecom.page.getByRole('menuitem').allTextContents()).toEqual(['概览', '案件', '谈心谈话']);
    await checkPage(wecom.page, wecom.errors, 'wecom-oauth-talks-phone');
    await wecom.context.close();

    stack.dingtalk.device = { userid: '0167200004' };
    const dingtalk = await open(PHONE, DINGTALK_APP);
    await dingtalk.page.goto(`${stack.url}/console/audit`);
    await heading(dingtalk.page, '审计');
    await checkPage(dingtalk.page, dingtalk.errors, 'dingtalk-jsapi-audit-phone');
    await dingtalk.context.close();
  }, TIMEOUT_MS);

  it('signs in by scanning, with WeCom and with DingTalk, from the desktop chooser; a cadre sees only their own talks', async () => {
    stack.wecom.device = { userid: 'wangfang01' };
    const wecom = await open(DESKTOP);
    await wecom.page.goto(`${stack.url}/login`);
    await wecom.page.getByRole('link', { name: '企业微信扫码登录' }).click();
    await heading(wecom.page, '概览');
    await checkPage(wecom.page, wecom.errors, 'wecom-qr-overview-desktop');
    await wecom.context.close();

    stack.dingtalk.device = { userid: '0167200009' };
    const dingtalk = await open(PHONE);
    await dingtalk.page.goto(`${stack.url}/login`);
    await checkPage(dingtalk.page, dingtalk.errors, 'login-phone');
    await dingtalk.page.getByRole('link', { name: '钉钉扫码登录' }).click();
    await heading(dingtalk.page, '概览');
    await checkPage(dingtalk.page, dingtalk.errors, 'dingtalk-qr-overview-phone');
    await dingtalk.context.close();

    const cadre = await open(PHONE);
    await cadre.page.goto(`${stack.adminUrl}/auth/dev/`);
    await cadre.page.getByLabel('登录为').selectOption('P029');
    await cadre.page.getByRole('button', { name: '登录' }).click();
    await heading(cadre.page, '案件');
    expect(await cadre.page.getByRole('menuitem').allTextContents()).toEqual(['案件', '谈心谈话']);
    // 邓丽 sees her own three requests and no 台账 button.
    await expect.poll(() => cadre.page.locator('tbody tr.ant-table-row').count()).toBe(3);
    expect(await cadre.page.getByRole('link', { name: /导出台账/ }).count()).toBe(0);
    await checkPage(cadre.page, cadre.errors, 'cadre-cases-phone');
    await cadre.page.getByRole('menuitem', { name: '谈心谈话' }).click();
    await heading(cadre.page, '谈心谈话');
    await checkPage(cadre.page, cadre.errors, 'cadre-talks-phone');
    await cadre.context.close();
  }, TIMEOUT_MS);
});
