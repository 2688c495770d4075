/**
 * The 纪工委's 六看 finding on the case page in Debian's Chromium, as WeCom's in-app browser opens
 * it from the card, at phone (390×844) and desktop (1440×900) sizes: the six findings, the
 * conclusion and the 第七条 outcomes in one form, a forgotten outcome shown where it belongs, then
 * the finding recorded and the card greyed as after the card's own dialogue. axe-core on each state.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SIX_LOOKS } from '../../src/domain/tolerance/policy';
import { databaseBackends, stateBackends } from '../support/backends';
import { browserSuite, DESKTOP, launch, PHONE, checkPage, watchErrors } from '../support/browser';
import { settle } from '../support/chatters/base';
import { fileToleranceCase, tapStageCard, textsTo, WECOM_APP } from '../support/casePages';
import { openWebStack, type WebStack } from '../support/webStack';

const TIMEOUT_MS = 90_000;

browserSuite('a 六看 finding on the case page in Chromium', () => {
  let stack: WebStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await openWebStack(databaseBackends[0], stateBackends[0], { WEB_SIGNIN_ATTEMPTS: '1000' });
    browser = await launch();
  }, TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  }, TIMEOUT_MS);

  // A refused form answers 422, which the browser logs as an error: that is the page working.
  const check = (page: Page, errors: string[], name: string) => checkPage(page, errors.filter((e) => !/status of 422/.test(e)), name);


  for (const [label, size] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    it(`${label}: 吴海燕 records the 六看 on the page; the card is greyed and its click is a no-op`, async () => {
      const filed = await fileToleranceCase(stack, `draft-finding-browser-${label}`);
      const liuyang = (await stack.bot.roster.personByCode('P012'))!;
      await stack.bot.services.workflow.decide({ stageId: filed.stageId, actor: liuyang, channel: 'test', entry: { kind: 'opinion', stance: 'agree', opinion: '情况属实，同意。' } });
      await settle(stack.bot);
      const [{ id }] = (await stack.db.query(`SELECT id FROM case_stages WHERE case_id = ? AND status = 'pending'`, [filed.caseId])) as { id: number }[];

      stack.wecom.device = { userid: 'wuhaiyan' };
      const context = await browser.newContext({ viewport: size, userAgent: WECOM_APP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      const page = await context.newPage();
      const errors = watchErrors(page);
      const url = `${stack.url}/m/cases/${filed.number}`;
      await page.goto(url);
      await page.waitForURL((u) => u.href.startsWith(url));
      await page.getByRole('heading', { name: /^待您办理：/ }).waitFor();
      // The page with its longest form, reloaded once signed in: still a few kilobytes on the wire.
      const reloaded = (await page.reload())!;
      const bytes = (await reloaded.request().sizes()).responseBodySize;
      console.log(`[case page finding] ${label}: ${bytes} bytes compressed`);
      expect(bytes).toBeLessThan(20 * 1024);
      await page.locator('summary', { hasText: '开始核实' }).click();
      const form = page.locator('details[open] form');
      for (const [i, look] of SIX_LOOKS.entries()) await form.getByRole('textbox', { name: look.title }).fill(`${look.title}：经核实，第${i + 1}项符合容错情形。`);
      await form.getByRole('radio', { name: '予以容错免责' }).check();
      await form.getByRole('textbox', { name: '纪（工）委意见' }).fill('经调查核实，建议予以容错免责。');
      expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(size.width);
      await check(page, errors, `case-finding-${label}`);

      await form.getByRole('button', { name: '提交核实情况和认定意见' }).click();
      await page.getByText('请至少勾选一项。').waitFor();
      expect(await page.locator('details[open] textarea').first().inputValue()).toContain('经核实，第1项符合容错情形');
      await check(page, errors, `case-finding-${label}-invalid`);
      const again = page.locator('details[open] form');
      await again.getByRole('checkbox', { name: /^（一）/ }).check();
      await again.getByRole('checkbox', { name: /^（三）/ }).check();
      await again.getByRole('button', { name: '提交核实情况和认定意见' }).click();
      await page.getByRole('heading', { name: /待您办理/ }).waitFor({ state: 'detached' });
      await page.getByText('经核实，第6项符合容错情形。').first().waitFor();
      await check(page, errors, `case-finding-${label}-decided`);

      const stage = (await stack.bot.services.cases.stage(Number(id)))!;
      expect(stage.entry).toMatchObject({ kind: 'finding', verdict: 'grant', outcomes: [0, 2] });
      await settle(stack.bot);
      const updates = stack.wecom.cardUpdates().filter((u) => (u.userids as string[]).includes('wuhaiyan'));
      expect(updates.at(-1)?.button).toMatchObject({ replace_name: expect.stringMatching(/ · 吴海燕 · \d+月\d+日$/) });
      await tapStageCard(stack, 'wuhaiyan', Number(id), 'decide');
      expect(textsTo(stack, 'wuhaiyan').at(-1)).toContain('无需重复操作');
      await context.close();
    }, TIMEOUT_MS);
  }
});
