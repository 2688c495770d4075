/**
 * The case page in Debian's Chromium (playwright-core), as WeCom's in-app browser opens it from a
 * card's “查看完整材料”: at phone (390×844, and 360 wide) and desktop (1440×900) sizes, signed in
 * through the WeCom 网页授权 against the fake WeCom, a decision typed on the page, then the card's
 * own click on the same stage answered as a no-op and the card greyed; an outsider refused. Each
 * page is checked with axe-core under its real CSP, weighed (compressed bytes of HTML, CSS and JS)
 * and timed, and its screenshot kept in test-artifacts/browser.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { selectOpened } from '../../src/storage/confidential';
import { databaseBackends, stateBackends } from '../support/backends';
import { ARTIFACTS, browserSuite, DESKTOP, launch, PHONE, checkPage, watchErrors } from '../support/browser';
import { settle } from '../support/chatters/base';
import { fileToleranceCase, tapStageCard, textsTo, WECOM_APP } from '../support/casePages';
import { openWebStack, type WebStack } from '../support/webStack';

const TIMEOUT_MS = 90_000;
const BUDGET_BYTES = 300 * 1024;
const NARROW = { width: 360, height: 740 };

browserSuite('the case page in Chromium', () => {
  let stack: WebStack;
  let browser: Browser;
  const figures: Record<string, { bytes: number; interactiveMs: number }> = {};

  beforeAll(async () => {
    stack = await openWebStack(databaseBackends[0], stateBackends[0], { WEB_SIGNIN_ATTEMPTS: '1000' });
    browser = await launch();
  }, TIMEOUT_MS);
  afterAll(async () => {
    writeFileSync(join(ARTIFACTS, 'case-page-weights.json'), `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`[case page browser test] first load, compressed bytes and ms to interactive: ${JSON.stringify(figures)}`);
    await browser?.close();
    await stack?.close();
  }, TIMEOUT_MS);

  /** A WeCom in-app browser of one size, held by `userid`; counts what our server sent, as encoded on the wire. */
  async function wecomBrowser(size: typeof PHONE, userid: string) {
    stack.wecom.device = { userid };
    const context = await browser.newContext({ viewport: size, userAgent: WECOM_APP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    const errors = watchErrors(page);
    return { context, page, errors };
  }

  /** Loads `url` fresh and weighs it: every response of our origin (document, styles, scripts), compressed as sent. */
  async function weigh(page: Page, url: string, name: string): Promise<void> {
    const sizes: Promise<number>[] = [];
    const listen = (r: Response) => {
      if (r.url().startsWith(stack.url)) sizes.push(r.request().sizes().then((s) => s.responseBodySize));
    };
    page.on('response', listen);
    const response = await page.goto(url);
    await page.waitForLoadState('load');
    page.off('response', listen);
    // Over plain HTTP Chromium offers gzip (brotli only over HTTPS): either is compressed.
    expect(response?.headers()['content-encoding']).toMatch(/^(br|gzip)$/);
    const bytes = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
    const interactiveMs = Number(await page.evaluate("performance.getEntriesByType('navigation')[0].domInteractive"));
    figures[name] = { bytes, interactiveMs: Math.round(interactiveMs) };
    expect(bytes, name).toBeGreaterThan(1000);
    expect(bytes, name).toBeLessThan(BUDGET_BYTES);
    expect(interactiveMs, name).toBeLessThan(1000);
  }



  for (const [label, size] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    it(`${label}: signs in through WeCom, decides on the page; the card's click is then a no-op that says so, and the card is greyed`, async () => {
      const filed = await fileToleranceCase(stack, `draft-browser-${label}`);
      const url = `${stack.url}/m/cases/${filed.number}`;
      const { context, page, errors } = await wecomBrowser(size, 'liuyang');
      await page.goto(url);
      // Back on the page (with WeCom's #wechat_redirect, which a browser keeps across the redirects).
      await page.waitForURL((u) => u.href.startsWith(url));
      expect(stack.wecom.calls('/connect/oauth2/authorize').at(-1)?.query.scope).toBe('snsapi_base');
      await weigh(page, url, `case-${label}`);
      await page.getByRole('heading', { name: '待您办理：所在单位党组织意见' }).waitFor();
      // Nothing wider than the screen: the form table scrolls inside its own box if it must.
      expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(size.width);
      await checkPage(page, errors, `case-${label}`);

      await page.locator('summary', { hasText: /^同意$/ }).click();
      const opinion = page.locator('details[open]').getByRole('textbox', { name: '意见', exact: true });
      await opinion.fill('好');
      await page.getByRole('button', { name: '确认同意' }).click();
      await page.getByText('内容太短了，请至少写 2 个字。').waitFor();
      await checkPage(page, errors.filter((e) => !/status of 422/.test(e)), `case-${label}-invalid`);
      errors.length = 0;
      await page.locator('details[open]').getByRole('textbox', { name: '意见', exact: true }).fill('情况属实，同意报纪工委调查核实。');
      await page.getByRole('button', { name: '确认同意' }).click();
      await page.getByText(`已记录您的意见：同意（${filed.number}，所在单位党组织意见）。`).waitFor();
      expect(await page.getByRole('heading', { name: /待您办理/ }).count()).toBe(0);
      await checkPage(page, errors, `case-${label}-decided`);

      // The card update leaves through the outbox, as after a click on the card.
      await settle(stack.bot);
      const updates = stack.wecom.cardUpdates().filter((u) => (u.userids as string[]).includes('liuyang'));
      expect(updates.at(-1)?.button).toMatchObject({ replace_name: expect.stringMatching(/^已同意 · 刘洋 · \d+月\d+日$/) });
      await tapStageCard(stack, 'liuyang', filed.stageId, 'approve');
      expect(textsTo(stack, 'liuyang').at(-1)).toContain(`${filed.number} 的这一环节已处理（已同意 · 刘洋`);
      expect(textsTo(stack, 'liuyang').at(-1)).toContain('无需重复操作');
      const [row] = await selectOpened<{ status: string; opinion: string }>(stack.db, 'case_stages', 'SELECT status, opinion FROM case_stages WHERE id = ?', [filed.stageId]);
      expect(row).toEqual({ status: 'decided', opinion: '情况属实，同意报纪工委调查核实。' });
      await context.close();
    }, TIMEOUT_MS);
  }

  it('at 360 px wide the page reads without sideways scrolling', async () => {
    const filed = await fileToleranceCase(stack, 'draft-browser-narrow');
    const { context, page, errors } = await wecomBrowser(NARROW, 'wuhaiyan');
    await page.goto(`${stack.url}/m/cases/${filed.number}`);
    await page.getByRole('heading', { name: '附件1 临港开发区容错免责审批表' }).waitFor();
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(NARROW.width);
    await checkPage(page, errors, 'case-360');
    await context.close();
  }, TIMEOUT_MS);

  it('refuses 王芳 of the same bureau, who is none of the case’s people, with a clear page, and writes it down', async () => {
    const [{ number }] = (await stack.db.query('SELECT number FROM cases ORDER BY id LIMIT 1')) as { number: string }[];
    const before = Number((await stack.db.query(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'case.view.refused'`))[0].n);
    const { context, page, errors } = await wecomBrowser(PHONE, 'wangfang02');
    const response = await page.goto(`${stack.url}/m/cases/${number}`);
    await page.getByRole('heading', { name: '无权查看' }).waitFor();
    expect(response?.status()).toBe(403);
    await page.getByText(`您无权查看 ${number}。`).waitFor();
    await checkPage(page, errors.filter((e) => !/status of 403/.test(e)), 'case-refused-phone');
    expect(Number((await stack.db.query(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'case.view.refused'`))[0].n)).toBe(before + 1);
    await context.close();
  }, TIMEOUT_MS);
});
