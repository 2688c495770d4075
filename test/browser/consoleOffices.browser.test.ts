/**
 * The offices' own sections of the console in Debian's Chromium (playwright-core) at desktop size:
 * the 纪工委's 问责事项 with their 澄清正名, 组织人事部门's 容错免责执行 and its export, and
 * 设置 → 八个一体化 set and refused, and a 组织调整 in 组织人事部门's 案件 list and on its page at
 * phone size; each page checked with axe-core and screenshotted.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { databaseBackends, stateBackends } from '../support/backends';
import { ARTIFACTS, browserSuite, DESKTOP, launch, PHONE, checkPage, watchErrors } from '../support/browser';
import { fileSampleCases, type SampleCases } from '../support/webCases';
import { fileSampleMatters, type SampleMatters } from '../support/webMatters';
import { openWebStack, type WebStack } from '../support/webStack';

const TIMEOUT_MS = 90_000;

browserSuite('the offices’ sections of the console in Chromium', () => {
  let stack: WebStack;
  let browser: Browser;
  let cases: SampleCases;
  let matters: SampleMatters;

  beforeAll(async () => {
    stack = await openWebStack(databaseBackends[0], stateBackends[0], { WEB_SIGNIN_ATTEMPTS: '1000' });
    cases = await fileSampleCases(stack);
    matters = await fileSampleMatters(stack);
    browser = await launch();
  }, TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  }, TIMEOUT_MS);

  /** A desktop browser signed in as `code` through the development sign-in, on `path`. */
  async function signedIn(code: string, path: string, viewport = DESKTOP): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
    const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${stack.adminUrl}/auth/dev/`);
    await page.getByLabel('登录为').selectOption(code);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('menuitem').first().waitFor();
    await page.goto(`${stack.url}${path}`);
    return { page, errors, close: () => context.close() };
  }



  const rows = (page: Page, table = 0) => page.locator('.ant-table').nth(table).locator('tbody tr.ant-table-row');
  const choose = async (page: Page, filter: string, option: string) => {
    await page.getByRole('combobox', { name: filter }).first().click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: option }).click();
    await closed(page);
  };
  /** Until a chosen Select's dropdown has closed: while it closes, its unnamed listbox is still there for axe to find. */
  const closed = (page: Page) => expect.poll(() => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').count()).toBe(0);

  it('shows 梁红 the 问责事项 of 利港街道 and its 澄清正名; 王芳 all of them, filtered by unit and status', async () => {
    const liang = await signedIn('P024', '/console/matters');
    const { page } = liang;
    await page.getByRole('heading', { name: '问责事项', level: 2 }).waitFor();
    expect(await page.getByRole('menuitem').allTextContents()).toEqual(['概览', '案件', '问责事项', '容错免责', '谈心谈话', '审计']);
    await expect.poll(() => rows(page).count()).toBe(1);
    await page.getByRole('cell', { name: '经查举报失实' }).waitFor();
    await expect.poll(() => rows(page, 1).count()).toBe(1);
    expect(await page.getByRole('link', { name: matters.clearance.number }).first().getAttribute('href')).toBe(`/m/cases/${matters.clearance.number}`);
    await checkPage(page, liang.errors, 'matters-discipline-desktop');
    await liang.close();

    const wang = await signedIn('P005', '/console/matters');
    await expect.poll(() => rows(wang.page).count()).toBe(3);
    await choose(wang.page, '单位', '经济发展局');
    await expect.poll(() => rows(wang.page).count()).toBe(2);
    await choose(wang.page, '年度', '2025年');
    await expect.poll(() => rows(wang.page).count()).toBe(1);
    await wang.page.getByRole('cell', { name: '经济发展局（单位）' }).waitFor();
    await checkPage(wang.page, wang.errors, 'matters-filtered-desktop');
    await wang.close();
  }, TIMEOUT_MS);

  it('lists for 郑晓燕 the exemptions to execute, with their 第七条 items, and exports them', async () => {
    const zheng = await signedIn('P008', '/console/exemptions');
    const { page } = zheng;
    await page.getByRole('heading', { name: '容错免责执行', level: 2 }).waitFor();
    await expect.poll(() => rows(page).count()).toBe(1);
    await page.getByText('（三）在开发区一体化绩效考核中免予或减少扣分').waitFor();
    await page.getByText('钱志刚待执行（建议 2026-11-11 前办理，已超过）').waitFor();
    await checkPage(page, zheng.errors, 'exemptions-personnel-desktop');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: '导出 Excel（当前筛选）' }).click();
    const file = join(ARTIFACTS, 'exemptions.xlsx');
    await (await download).saveAs(file);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    expect(book.getWorksheet('容错免责')!.getRow(2).getCell(1).value).toBe(cases.granted.number);
    await choose(page, '状态', '已撤销');
    await page.getByText('没有符合条件的容错免责').waitFor();
    await zheng.close();
  }, TIMEOUT_MS);

  it('lets 王芳 set the zone’s 八个一体化 list in 设置, and shows why a bad one is refused', async () => {
    const wang = await signedIn('P005', '/console/settings');
    const { page } = wang;
    await page.getByRole('tab', { name: '八个一体化事项' }).click();
    await page.getByText('文件没有列出具体事项').waitFor();
    await page.getByText(/尚未由党群工作部设置/).waitFor();
    await checkPage(page, wang.errors, 'settings-integrated-unset-desktop');
    const box = page.getByLabel(/每行一项/);
    await box.fill('规划建设一体化\n规划建设一体化');
    await page.getByRole('button', { name: '保存清单' }).click();
    await page.getByText('没有修改：“规划建设一体化”列了两次。').waitFor();
    await checkPage(page, wang.errors, 'settings-integrated-refused-desktop');
    expect((await stack.bot.services.zoneSettings.integratedMatters()).isDefault).toBe(true);
    await box.fill('规划建设一体化\n招商引资一体化\n项目审批一体化');
    await page.getByRole('button', { name: '保存清单' }).click();
    await page.getByText('已保存 3 项').waitFor();
    await page.getByRole('listitem').filter({ hasText: '招商引资一体化' }).waitFor();
    await checkPage(page, wang.errors, 'settings-integrated-saved-desktop');
    expect((await stack.bot.services.zoneSettings.integratedMatters()).matters).toEqual(['规划建设一体化', '招商引资一体化', '项目审批一体化']);
    await page.getByRole('tab', { name: '建议办理期限' }).click();
    await page.getByText('以下天数由本开发区设定').waitFor();
    await wang.close();
  }, TIMEOUT_MS);

  it('pages the audit log on the server', async () => {
    const wang = await signedIn('P005', '/console/audit');
    const { page } = wang;
    await page.getByRole('heading', { name: '审计', level: 2 }).waitFor();
    await expect.poll(() => rows(page).count()).toBeGreaterThan(0);
    await page.getByText(/共 \d+ 条/).waitFor();
    // Ten a page: the sample's lines make two pages, the second fetched from the server.
    await page.locator('.ant-pagination-options .ant-select').click();
    await page.locator('.ant-select-item-option', { hasText: '10 条/页' }).click();
    await closed(page);
    await expect.poll(() => rows(page).count()).toBe(10);
    const asked = page.waitForRequest((r) => r.url().includes('/api/audit?') && r.url().includes('page=2'));
    await page.locator('.ant-pagination-item-2').click();
    await asked;
    await expect.poll(() => page.locator('.ant-pagination-item-active').textContent()).toBe('2');
    await checkPage(page, wang.errors, 'audit-paged-desktop');
    await wang.close();
  }, TIMEOUT_MS);

  it('lists a 组织调整 for 钱志刚 of 组织人事部门 under its kind, and opens its page on his phone with his turn', async () => {
    const { adjustment, roster } = stack.bot.services;
    const qian = (await roster.personByCode('P007'))!;
    const hanXue = (await roster.personByCode('P027'))!;
    const { record } = await adjustment.open({
      draftKey: 'browser-adj', personId: hanXue.id, article: 8, item: 3, facts: '2026 年度民主测评不称职得票 34%，超过三分之一', triggerId: null, carveOut: null, actor: qian, channel: 'test',
    });
    const desk = await signedIn('P007', '/console/cases');
    await desk.page.getByRole('heading', { name: '案件', level: 2 }).waitFor();
    await choose(desk.page, '类别', '组织调整');
    await expect.poll(() => rows(desk.page).count()).toBe(1);
    await desk.page.getByRole('link', { name: record.number }).first().waitFor();
    await checkPage(desk.page, desk.errors, 'cases-adjustment-personnel-desktop');
    await desk.close();

    const phone = await signedIn('P007', `/m/cases/${record.number}`, PHONE);
    await phone.page.getByText('临港开发区组织调整登记表').first().waitFor();
    await phone.page.getByText('待您办理：考察核实').first().waitFor();
    await phone.page.getByText('干部：韩雪').waitFor();
    await checkPage(phone.page, phone.errors, 'case-adjustment-personnel-phone');
    await phone.close();
  }, TIMEOUT_MS);
});
