/**
 * The local chat simulator page, driven in a real headless Chromium (Debian's /usr/bin/chromium,
 * through playwright-core; no browser is ever downloaded). The bot runs on the system clock, since
 * the page polls. Every wait is on a DOM or network condition, never a fixed sleep.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page, type Response } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock';
import type { Bot } from '../../src/container';
import { importRosterFile } from '../../src/roster/importRoster';
import { SAMPLE_ROSTER_PATH } from '../../src/roster/sampleRoster';
import { databaseBackends } from '../support/backends';
import { createTestBot } from '../support/fixtures';
import { serve } from '../support/http';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const TIMEOUT_MS = 60_000;

// Locally a missing browser is a skip; in CI it is a failure (beforeAll throws).
const suite = haveChromium || process.env.CI ? describe : describe.skip;
if (!haveChromium && !process.env.CI) {
  console.log(`\n[dandang tests] ${CHROMIUM} not found: skipping the browser tests (apt-get install chromium to run them)\n`);
}

/** One entry of the chat log as a person sees it. */
interface Shown {
  kind: 'user' | 'bot' | 'card';
  text: string;
  title?: string;
  buttons?: { label: string; enabled: boolean }[];
}

/** The bits of the DOM the page functions touch (the project compiles without the DOM lib). */
interface DomNode {
  className: string;
  textContent: string | null;
  disabled?: boolean;
  children: ArrayLike<DomNode>;
  ownerDocument: { createElement(tag: string): DomNode };
  append(node: DomNode): void;
  querySelector(selector: string): DomNode | null;
  querySelectorAll(selector: string): ArrayLike<DomNode>;
}

/** Marks the log's current content; the page removes the mark when it clears the log to reload it. */
const SENTINEL = 'test-sentinel';

suite('the local chat simulator page in Chromium', () => {
  let dispose: (() => Promise<void>) | undefined;
  let db: DataSource;
  let bot: Bot | undefined;
  let server: Awaited<ReturnType<typeof serve>> | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let names: Map<string, string>;
  const pageErrors: string[] = [];
  /** The first person's log at the end of the first story, to compare with after switching back. */
  let firstConversation: Shown[] = [];

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`${CHROMIUM} is missing: CI must install chromium (apt-get install chromium)`);
    ({ db, dispose } = await databaseBackends[0].open());
    await importRosterFile(db, SAMPLE_ROSTER_PATH, systemClock);
    bot = await createTestBot({ db, clock: systemClock });
    server = await serve(bot.adminApp);
    const people = (await (await fetch(`${server.url}/simulator/api/people`)).json()) as { code: string; name: string }[];
    names = new Map(people.map((p) => [p.code, p.name]));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage();
    page.on('pageerror', (error) => void pageErrors.push(error.message));
  }, TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await bot?.close();
    await dispose?.();
  }, TIMEOUT_MS);

  /** Runs a story; on failure leaves a screenshot in the temp folder (never in the repo). */
  async function story(name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
      expect(pageErrors).toEqual([]);
    } catch (error) {
      const path = join(tmpdir(), `dandang-simulator-${name}-${Date.now()}.png`);
      await page.screenshot({ path, fullPage: true }).then(
        () => console.error(`[simulator browser test] screenshot of the failure: ${path}`),
        (e: unknown) => console.error(`[simulator browser test] no screenshot: ${String(e)}`),
      );
      throw error;
    }
  }

  /** The log as shown, and whether the page has cleared it since the last sentinel was put in. */
  const look = (): Promise<{ cleared: boolean; log: Shown[] }> =>
    page.$eval(
      '#log',
      (element, sentinel) => {
        const log = element as unknown as DomNode;
        const nodes = Array.from(log.children);
        return {
          cleared: !nodes.some((n) => n.className === sentinel),
          log: nodes
            .filter((n) => n.className !== sentinel)
            .map((node): Shown => {
              const classes = node.className.split(' ');
              if (!classes.includes('card')) return { kind: classes.includes('user') ? 'user' : 'bot', text: node.textContent ?? '' };
              return {
                kind: 'card',
                text: node.textContent ?? '',
                title: node.querySelector('h3')?.textContent ?? '',
                buttons: Array.from(node.querySelectorAll('button')).map((b) => ({ label: b.textContent ?? '', enabled: !b.disabled })),
              };
            }),
        };
      },
      SENTINEL,
    );
  const isPost = (path: string) => (response: Response) =>
    response.request().method() === 'POST' && new URL(response.url()).pathname.endsWith(`/api/${path}`);
  const isFullTranscript = (as: string) => (response: Response) => {
    const url = new URL(response.url());
    return url.pathname.endsWith('/api/transcript') && url.searchParams.get('as') === as && url.searchParams.get('after') === '0';
  };

  /**
   * Does something that makes the page clear its log and reload `as`'s conversation (sending a
   * message, clicking a button, switching person), then waits until it has: the POST (if any)
   * answered 200, `as`'s whole conversation fetched, the log cleared since the action, and
   * `settled` true of what is shown. After the clear only the poll touches the log, and it only
   * appends what is new. Returns the log as it was then.
   */
  async function act(
    as: string,
    post: 'messages' | 'clicks' | null,
    action: () => Promise<unknown>,
    settled: (log: Shown[]) => boolean,
  ): Promise<Shown[]> {
    await page.$eval(
      '#log',
      (element, sentinel) => {
        const log = element as unknown as DomNode;
        const mark = log.ownerDocument.createElement('i');
        mark.className = sentinel;
        log.append(mark);
      },
      SENTINEL,
    );
    const answered = post ? page.waitForResponse(isPost(post)) : undefined;
    const reloaded = page.waitForResponse(isFullTranscript(as));
    await action();
    if (answered) expect((await answered).status(), `POST api/${post}`).toBe(200);
    expect((await reloaded).status(), `GET api/transcript?as=${as}&after=0`).toBe(200);
    let shown: Shown[] = [];
    await expect
      .poll(
        async () => {
          const { cleared, log } = await look();
          shown = log;
          return cleared && settled(log);
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    return shown;
  }

  async function open(): Promise<void> {
    await page.goto(`${server!.url}/simulator`);
    await page.locator('#who option[value="P010"]').waitFor({ state: 'attached' });
    await page.locator('#who option[value="P005"]').waitFor({ state: 'attached' });
  }

  const kinds = (log: Shown[]) => log.map((e) => [e.kind, e.title ?? e.text]);

  it(
    'lets a person pick themself in the roster, send a message, see the answer, and click a button on the bot’s card',
    () =>
      story('first-story', async () => {
        await open();
        expect(await act('P010', null, () => page.selectOption('#who', 'P010'), () => true)).toEqual([]);

        await page.locator('#text').fill('你好');
        const answered = await act('P010', 'messages', () => page.locator('#send button').click(), (log) => log.some((e) => e.kind === 'card'));
        expect(answered[0]).toEqual({ kind: 'user', text: '你好' });
        expect(answered.slice(1).map((e) => e.kind)).not.toContain('user');
        const card = answered.filter((e) => e.kind === 'card').at(-1)!;
        expect(card.title).toContain(names.get('P010'));
        expect(card.buttons!.filter((b) => b.enabled).length).toBeGreaterThan(0);
        expect(await page.locator('#text').inputValue()).toBe('');

        const button = page.locator('#log > .card').last().locator('button:enabled').first();
        const clicked = await act('P010', 'clicks', () => button.click(), (log) => log.length > answered.length);
        // What was shown is still there, in order; what is new comes after it, from the bot.
        expect(kinds(clicked.slice(0, answered.length))).toEqual(kinds(answered));
        expect(clicked.slice(answered.length).map((e) => e.kind)).not.toContain('user');
        expect(clicked.map((e) => e.text).join('\n')).not.toContain('模拟器错误');
        firstConversation = clicked;
      }),
    TIMEOUT_MS,
  );

  it(
    'shows each person their own conversation when switching between them',
    () =>
      story('switch-person', async () => {
        expect(firstConversation.length, 'the first story must have run').toBeGreaterThan(0);
        const switched = await act('P005', null, () => page.selectOption('#who', 'P005'), () => true);
        expect(switched.map((e) => e.text).join('\n')).not.toContain('你好');

        await page.locator('#text').fill('菜单');
        const second = await act('P005', 'messages', () => page.locator('#send button').click(), (log) => log.some((e) => e.kind === 'card'));
        expect(second.filter((e) => e.kind === 'user').map((e) => e.text)).toEqual(['菜单']);
        expect(second.filter((e) => e.kind === 'card').at(-1)!.title).toContain(names.get('P005'));

        const back = await act('P010', null, () => page.selectOption('#who', 'P010'), (log) => log.length >= firstConversation.length);
        expect(kinds(back)).toEqual(kinds(firstConversation));
      }),
    TIMEOUT_MS,
  );

  // main.ts prints `${base}/simulator`; the page must work there and with a trailing slash alike
  // (its fetches once were relative, and without the slash they went to /api/... and 404ed).
  it(
    'loads the roster whether opened at /simulator or /simulator/',
    async () => {
      for (const path of ['/simulator', '/simulator/']) {
        const [people] = await Promise.all([
          page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/api/people')),
          page.goto(`${server!.url}${path}`),
        ]);
        expect(people.url(), path).toBe(`${server!.url}/simulator/api/people`);
        expect(people.status(), path).toBe(200);
        await page.locator('#who option[value="P010"]').waitFor({ state: 'attached' });
      }
    },
    TIMEOUT_MS,
  );
});
