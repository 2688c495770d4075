import { mkdtempSync, rmSync } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import type Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { createBot, type Bot } from '../../src/container';
import { createLogger } from '../../src/logger';
import { importRosterFile } from '../../src/roster/importRoster';
import { SAMPLE_ROSTER_PATH } from '../../src/roster/sampleRoster';
import { MemoryStateStore } from '../../src/state/memoryStateStore';
import { databaseBackends, testClock } from '../support/backends';
import { BotProcess } from '../support/botProcess';
import { serve } from '../support/http';
import { TEST_DATA_KEYS } from '../support/fieldKeys';

/**
 * The simulator lets anyone speak as anyone. In production it does not exist unless switched on,
 * and even switched on it is served only on the admin listener, bound to this host: the public
 * port, whatever a reverse proxy in front of it does or does not add, never serves it (nor /metrics).
 */
const SIMULATOR_REQUESTS: { method: string; path: string; body?: string }[] = [
  { method: 'GET', path: '/simulator' },
  { method: 'GET', path: '/simulator/' },
  { method: 'GET', path: '/simulator/api/people' },
  { method: 'GET', path: '/simulator/api/transcript?as=P001&after=0' },
  { method: 'POST', path: '/simulator/api/messages', body: JSON.stringify({ as: 'P005', text: '谈话进度汇总' }) },
  { method: 'POST', path: '/simulator/api/attachments', body: JSON.stringify({ as: 'P005', fileName: 'a.pdf' }) },
  { method: 'POST', path: '/simulator/api/clicks', body: JSON.stringify({ as: 'P005', cardId: 'c', action: 'menu:mine' }) },
];

/**
 * One request through the app as if it came from `remoteAddress`: the app's own handler, given a
 * request whose socket says where it is from. No packet is sent anywhere.
 */
function requestFrom(app: Koa, remoteAddress: string, req: { method: string; path: string; body?: string; headers?: Record<string, string> }): Promise<{ status: number; body: string }> {
  const socket = new Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: remoteAddress });
  const incoming = new IncomingMessage(socket);
  incoming.method = req.method;
  incoming.url = req.path;
  incoming.headers = { host: 'bot.example.cn', ...(req.body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(req.body)) } : {}), ...req.headers };
  if (req.body) incoming.push(req.body);
  incoming.push(null);
  const response = new ServerResponse(incoming);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    response.write = ((chunk: string | Buffer) => chunks.push(Buffer.from(chunk)) > 0) as typeof response.write;
    response.end = ((chunk?: string | Buffer) => {
      if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk));
      resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') });
      return response;
    }) as typeof response.end;
    void app.callback()(incoming, response);
  });
}

/** An address of this host other than loopback, if it has one. */
const outsideAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe('the simulator in production', () => {
  let bot: Bot | undefined;
  let close = async () => {};
  afterEach(async () => close());

  async function production(extra: NodeJS.ProcessEnv): Promise<Bot> {
    const { db, dispose } = await databaseBackends[0].open();
    const clock = testClock();
    await importRosterFile(db, SAMPLE_ROSTER_PATH, clock);
    // No DATABASE_URL and no REDIS_URL: the embedded setup, where development turns the simulator on by itself.
    const config = loadConfig({ NODE_ENV: 'production', DATA_ENCRYPTION_KEYS: TEST_DATA_KEYS, LOG_LEVEL: 'silent', ...extra });
    bot = await createBot(config, { db, clock, state: new MemoryStateStore(clock), logger: createLogger('silent') });
    close = async () => {
      await bot?.close();
      await dispose();
    };
    return bot;
  }

  const inboxRows = async (b: Bot) => Number((await b.db.query('SELECT COUNT(*) AS n FROM inbox'))[0].n);

  it('is not there at all without SIMULATOR_ENABLED: every path is a 404, even from this machine', async () => {
    const b = await production({});
    expect(b.config.simulatorEnabled).toBe(false);
    expect(b.transcript).toBeUndefined();
    const server = await serve(b.app);
    try {
      for (const req of SIMULATOR_REQUESTS) {
        const response = await fetch(`${server.url}${req.path}`, { method: req.method, body: req.body, headers: req.body ? { 'content-type': 'application/json' } : {} });
        expect(response.status, `${req.method} ${req.path}`).toBe(404);
        expect(await response.text()).not.toMatch(/担当|模拟器|P005/);
      }
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
    expect(await inboxRows(b)).toBe(0);
  });

  it('stays off in production when SIMULATOR_ENABLED is false, and development alone turns it on', async () => {
    expect(loadConfig({ NODE_ENV: 'production', DATA_ENCRYPTION_KEYS: TEST_DATA_KEYS, SIMULATOR_ENABLED: 'false' }).simulatorEnabled).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', DATA_ENCRYPTION_KEYS: TEST_DATA_KEYS, DATABASE_URL: 'sqlite:data/x.sqlite' }).simulatorEnabled).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development' }).simulatorEnabled).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', DATABASE_URL: 'mysql://u:p@db:3306/x', REDIS_URL: 'redis://r:6379' }).simulatorEnabled).toBe(false);
  });

  it('when switched on, never answers on the public port, not even a reverse proxy on this host that adds no header', async () => {
    const b = await production({ SIMULATOR_ENABLED: 'true' });
    expect(b.transcript).toBeDefined();
    // A plain `proxy_pass` passes outside requests on from loopback, with no forwarding header at all.
    for (const address of ['127.0.0.1', '::1', '10.0.0.5', '203.0.113.7']) {
      for (const req of [...SIMULATOR_REQUESTS, { method: 'GET', path: '/metrics' }]) {
        const answer = await requestFrom(b.app, address, req);
        expect(answer.status, `${req.method} ${req.path} from ${address}`).toBe(404);
        expect(answer.body).not.toMatch(/担当|模拟器|P005|dandang_/);
      }
    }
    expect(await inboxRows(b)).toBe(0);
    expect(b.transcript!.since('P005', 0)).toEqual([]);
    // The admin listener serves them; it binds to this host.
    expect(b.config.admin).toEqual({ port: 3001, host: '127.0.0.1' });
    const admin = await serve(b.adminApp);
    try {
      const answer = await fetch(`${admin.url}/simulator/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ as: 'P005', text: '谈话进度汇总' }) });
      expect(answer.status).toBe(200);
      expect(JSON.stringify(await answer.json())).toContain('谈心谈话进度汇总');
      expect(await (await fetch(`${admin.url}/metrics`)).text()).toContain('dandang_callbacks_total');
    } finally {
      await admin.close();
    }
  });

  it('refuses to start with the simulator on an admin listener other hosts could reach', () => {
    expect(() => loadConfig({ SIMULATOR_ENABLED: 'true', ADMIN_HOST: '0.0.0.0' })).toThrow(/ADMIN_HOST: the simulator lets anyone speak as anyone/);
    expect(() => loadConfig({ NODE_ENV: 'development', ADMIN_HOST: '10.0.0.2' })).toThrow(/ADMIN_HOST/);
    expect(loadConfig({ NODE_ENV: 'production', DATA_ENCRYPTION_KEYS: TEST_DATA_KEYS, ADMIN_HOST: '10.0.0.2' }).admin).toEqual({ port: 3001, host: '10.0.0.2' });
    expect(() => loadConfig({ PORT: '3001' })).toThrow(/ADMIN_PORT: must differ from PORT/);
  });

  it('as `npm start` runs it (embedded defaults): prints the simulator’s address on the admin port, which serves it; the main port does not', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dandang-start-'));
    const bot = new BotProcess({ DATABASE_URL: `sqlite:${join(dir, 'dandang.sqlite')}`, LOG_LEVEL: 'warn' });
    try {
      await bot.start();
      const printed = bot.output.join('');
      const simulator = /本地聊天模拟器 \(local chat simulator\): (http:\/\/127\.0\.0\.1:\d+)\/simulator/.exec(printed);
      expect(simulator, printed).not.toBeNull();
      const adminBase = simulator![1];
      expect(adminBase).not.toBe(bot.url);
      expect((await fetch(`${adminBase}/simulator`)).status).toBe(200);
      expect((await fetch(`${adminBase}/simulator/api/people`)).status).toBe(200);
      expect((await fetch(`${adminBase}/metrics`)).status).toBe(200);
      expect((await fetch(`${bot.url}/simulator`)).status).toBe(404);
      expect((await fetch(`${bot.url}/metrics`)).status).toBe(404);
      // Another host reaching this one's network address finds nothing listening on the admin port.
      if (outsideAddress) {
        const port = new URL(adminBase).port;
        await expect(fetch(`http://${outsideAddress}:${port}/simulator`)).rejects.toThrow();
      }
    } finally {
      await bot.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
