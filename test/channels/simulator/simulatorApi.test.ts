import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import type { Bot } from '../../../src/container';
import { databaseBackends, testClock } from '../../support/backends';
import { createTestBot, seedTwoPeople } from '../../support/fixtures';
import { bodyOf, serve } from '../../support/http';
import { loadConfig } from '../../../src/config';
import type { TranscriptEntry } from '../../../src/channels/simulator/transcript';
import { TEST_DATA_KEYS } from '../../support/fieldKeys';

type Reply = { messages: TranscriptEntry[] };

describe.each(databaseBackends)('the local chat simulator on $name', (backend) => {
  let db: DataSource;
  let dispose: () => Promise<void>;
  let bot: Bot;
  let server: Awaited<ReturnType<typeof serve>>;

  const post = (path: string, body: unknown) =>
    fetch(`${server.url}/simulator/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const inboxCount = async () => Number((await db.query('SELECT COUNT(*) AS n FROM inbox'))[0].n);

  beforeEach(async () => {
    ({ db, dispose } = await backend.open());
    await seedTwoPeople(db);
    bot = await createTestBot({ db, clock: testClock() });
    server = await serve(bot.adminApp);
  });
  afterEach(async () => {
    await server.close();
    await bot.close();
    await dispose();
  });

  it('lists the roster to speak as', async () => {
    const people = await (await fetch(`${server.url}/simulator/api/people`)).json();
    expect(people).toEqual([
      { code: 'A1', name: '张三', post: '科员', unit: '经济发展局' },
      { code: 'B1', name: '李四', post: '科员', unit: '经济发展局' },
    ]);
  });

  it('answers a message with the menu card, and a click on it with the next step', async () => {
    const reply = await bodyOf<Reply>(await post('messages', { as: 'A1', text: '你好' }));
    expect(reply.messages).toHaveLength(1);
    const card = reply.messages[0].card!;
    expect(card.title).toContain('张三');
    expect(card.buttons.map((b) => b.label)).toContain('记录谈话');

    const todo = card.buttons.find((b) => b.label === '我的待办')!;
    const click = await bodyOf<Reply>(await post('clicks', { as: 'A1', cardId: card.cardId, action: todo.key }));
    expect(click.messages[0].text).toBe('您目前没有待办事项。');
  });

  it('refuses malformed requests with a clear error and records nothing', async () => {
    const notJson = await fetch(`${server.url}/simulator/api/messages`, { method: 'POST', body: '{"as": "A1", "text": ' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: 'body is not valid JSON' });

    const missingText = await post('messages', { as: 'A1' });
    expect(missingText.status).toBe(400);
    expect((await bodyOf<{ error: string }>(missingText)).error).toMatch(/expected/);

    const huge = await post('messages', { as: 'A1', text: 'x'.repeat(bot.config.bodyLimitBytes + 10) });
    expect(huge.status).toBe(413);
    expect(await inboxCount()).toBe(0);
  });

  it('tells someone not in the roster to contact 党群工作部', async () => {
    const reply = await bodyOf<Reply>(await post('messages', { as: 'nobody', text: '申请容错' }));
    expect(reply.messages.map((m) => m.text)).toEqual(['您尚未登记在名册中，请联系党群工作部。']);
  });
});

describe('the simulator switch', () => {
  it('is off in production unless explicitly enabled', async () => {
    expect(loadConfig({ NODE_ENV: 'production', DATA_ENCRYPTION_KEYS: TEST_DATA_KEYS }).simulatorEnabled).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development' }).simulatorEnabled).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', REDIS_URL: 'redis://x:6379' }).simulatorEnabled).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', DATA_ENCRYPTION_KEYS: TEST_DATA_KEYS, SIMULATOR_ENABLED: 'true' }).simulatorEnabled).toBe(true);
  });

  it('serves no simulator route when off', async () => {
    const { db, dispose } = await databaseBackends[0].open();
    const bot = await createTestBot({ db, clock: testClock() }, { SIMULATOR_ENABLED: 'false' });
    const server = await serve(bot.adminApp);
    expect((await fetch(`${server.url}/simulator`)).status).toBe(404);
    expect((await fetch(`${server.url}/simulator/api/messages`, { method: 'POST', body: '{}' })).status).toBe(404);
    await server.close();
    await bot.close();
    await dispose();
  });
});
