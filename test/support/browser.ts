import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describe, expect } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);

/** Locally a missing browser is a skip; in CI it is a failure (launch throws). */
export const browserSuite = haveChromium || process.env.CI ? describe : describe.skip;

/** Where screenshots are kept: a gitignored folder of the checkout, to be looked at after the run. */
export const ARTIFACTS = join(__dirname, '../../test-artifacts/browser');

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1440, height: 900 };

export function launch(): Promise<Browser> {
  if (!haveChromium) throw new Error(`${CHROMIUM} is missing: CI must install chromium (apt-get install chromium)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Every page error and console error (a CSP violation is one) a page shows while a test drives it. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => void errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // A refused request the page answers itself (a 422 listing bad rows) is logged by Chromium too; it is no error of the page.
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return errors;
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/**
 * axe-core's serious and critical violations on the page as it is now. axe is run through the
 * DevTools protocol, which the page's CSP does not govern, so the page keeps its real policy.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // An antd Select's dropdown that is still closing leaves its unnamed listbox for axe to find: a
  // person never meets it, so wait until every dropdown has gone.
  await expect.poll(() => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').count()).toBe(0);
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const { violations } = await axe.run();
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * The page as it stands, once its requests have settled: its screenshot kept, no serious or
 * critical axe violation, and no CSP violation or script error (`errors`, from watchErrors).
 */
export async function checkPage(page: Page, errors: string[], name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await screenshot(page, name);
  const violations = await seriousViolations(page);
  if (violations.length > 0) console.log(name, JSON.stringify(violations));
  expect(violations, name).toEqual([]);
  expect(errors, name).toEqual([]);
}
