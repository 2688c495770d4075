import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { createBot, type Bot } from '../../src/container';
import { createLogger } from '../../src/logger';
import { importRosterFile } from '../../src/roster/importRoster';
import { SAMPLE_ROSTER_PATH } from '../../src/roster/sampleRoster';
import { MemoryStateStore } from '../../src/state/memoryStateStore';
import { databaseBackends, testClock } from '../support/backends';
import { serve } from '../support/http';

/**
 * The simulator lets anyone speak as anyone. In production it does not exist unless switched on,
 * and even switched on it answers no one but this machine.
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

describe('the simulator in production', () => {
  let bot: Bot | undefined;
  let close = async () => {};
  afterEach(async () => close());

  async function production(extra: NodeJS.ProcessEnv): Promise<Bot> {
    const { db, dispose } = await databaseBackends[0].open();
    const clock = testClock();
    await importRosterFile(db, SAMPLE_ROSTER_PATH, clock);
    // No DATABASE_URL and no REDIS_URL: the embedded setup, where development turns the simulator on by itself.
    const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', ...extra });
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
    expect(loadConfig({ NODE_ENV: 'production', SIMULATOR_ENABLED: 'false' }).simulatorEnabled).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'sqlite:data/x.sqlite' }).simulatorEnabled).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development' }).simulatorEnabled).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', DATABASE_URL: 'mysql://u:p@db:3306/x', REDIS_URL: 'redis://r:6379' }).simulatorEnabled).toBe(false);
  });

  it('when switched on with SIMULATOR_ENABLED=true, refuses any client but this machine with a 403', async () => {
    const b = await production({ SIMULATOR_ENABLED: 'true' });
    expect(b.transcript).toBeDefined();
    for (const address of ['10.0.0.5', '192.168.1.20', '::ffff:10.0.0.5', 'fe80::1', '203.0.113.7']) {
      for (const req of SIMULATOR_REQUESTS) {
        const answer = await requestFrom(b.app, address, req);
        expect(answer.status, `${req.method} ${req.path} from ${address}`).toBe(403);
        expect(answer.body).toBe('{"error":"the simulator answers only on localhost"}');
      }
    }
    // A reverse proxy on this host passes outside requests on from loopback; its forwarding headers give it away.
    const forwarded: Record<string, string>[] = [{ 'x-forwarded-for': '203.0.113.7' }, { 'x-real-ip': '203.0.113.7' }, { forwarded: 'for=203.0.113.7' }];
    for (const headers of forwarded) {
      for (const req of SIMULATOR_REQUESTS) {
        expect((await requestFrom(b.app, '127.0.0.1', { ...req, headers })).status, `${req.path} via ${Object.keys(headers)[0]}`).toBe(403);
      }
    }
    expect(await inboxRows(b)).toBe(0);
    expect(b.transcript!.since('P005', 0)).toEqual([]);

    // This machine itself is answered: through the handler, and over a real loopback connection.
    expect((await requestFrom(b.app, '127.0.0.1', { method: 'GET', path: '/simulator/api/people' })).status).toBe(200);
    expect((await requestFrom(b.app, '::1', { method: 'GET', path: '/simulator' })).status).toBe(200);
    const server = await serve(b.app);
    try {
      const answer = await fetch(`${server.url}/simulator/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ as: 'P005', text: '谈话进度汇总' }) });
      expect(answer.status).toBe(200);
      expect(JSON.stringify(await answer.json())).toContain('谈心谈话进度汇总');
    } finally {
      await server.close();
    }
  });
});
