import { networkInterfaces } from 'node:os';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { instrumentJobs } from '../../src/metrics/jobs';
import { Metrics } from '../../src/metrics/metrics';
import type { JobHandler } from '../../src/scheduling/scheduler';
import { postCallback, seal, textXml } from '../channels/wecom/callbacks';
import { stacks, wecomHarness } from '../channels/wecom/harness';
import { databaseBackends, testClock } from '../support/backends';
import { createTestBot } from '../support/fixtures';
import { serve } from '../support/http';

/** The value of one series in the text exposition, e.g. `dandang_inbox_pending`; undefined if absent. */
function valueOf(exposition: string, series: string): number | undefined {
  const line = exposition.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** An address of this host other than loopback, if it has one. */
const outsideAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe('Prometheus metrics at /metrics', () => {
  const h = wecomHarness(stacks[0]);

  const scrape = async (headers: Record<string, string> = {}) => {
    const res = await fetch(`${h.url}/metrics`, { headers });
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  };
  const say = (text: string, msgId: string) => {
    const createTime = h.now();
    return postCallback(h.url, seal(textXml({ from: 'zhangsan', text, msgId, createTime }), { timestamp: createTime }));
  };

  it('counts callbacks by channel and result, turns and their duration, and sends', async () => {
    await h.start();
    expect((await say('你好', '9100000000000000001')).status).toBe(200);
    expect((await say('你好', '9100000000000000001')).status).toBe(200);
    const forged = seal(textXml({ from: 'zhangsan', text: '你好', msgId: '9100000000000000002', createTime: h.now() }), { timestamp: h.now() });
    expect((await postCallback(h.url, { ...forged, query: forged.query.replace(/msg_signature=([0-9a-f])/, (_, c: string) => `msg_signature=${c === '0' ? '1' : '0'}`) })).status).toBe(401);
    await h.settle();

    const { status, type, body } = await scrape();
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(valueOf(body, 'dandang_callbacks_total{channel="wecom",result="accepted"}')).toBe(1);
    expect(valueOf(body, 'dandang_callbacks_total{channel="wecom",result="duplicate"}')).toBe(1);
    expect(valueOf(body, 'dandang_callbacks_total{channel="wecom",result="refused",status="401"}')).toBe(1);
    expect(valueOf(body, 'dandang_turns_total{channel="wecom",outcome="done"}')).toBe(1);
    expect(valueOf(body, 'dandang_turn_duration_seconds_count{channel="wecom",outcome="done"}')).toBe(1);
    expect(valueOf(body, 'dandang_event_latency_seconds_count{channel="wecom"}')).toBe(1);
    expect(valueOf(body, 'dandang_outbox_sends_total{channel="wecom",result="sent"}')).toBeGreaterThanOrEqual(1);
    expect(valueOf(body, 'dandang_inbox_pending')).toBe(0);
    expect(valueOf(body, 'dandang_outbox_depth')).toBe(0);
    expect(body).toContain('dandang_process_resident_memory_bytes');
  });

  it('reads inbox pending and outbox depth from the database on every scrape', async () => {
    await h.start();
    await h.bot.inbox.accept({ kind: 'text', channel: 'wecom', channelUserId: 'zhangsan', messageId: 'x1', text: '你好', sentAt: h.clock.now().toISOString() }, 'msg:x1');
    await h.bot.outbox.enqueue([{ channel: 'wecom', recipient: 'lisi', message: { kind: 'text', text: '通知' } }]);
    const { body } = await scrape();
    expect(valueOf(body, 'dandang_inbox_pending')).toBe(1);
    expect(valueOf(body, 'dandang_outbox_depth')).toBe(1);
  });

  it('counts retries of sends that WeCom refused', async () => {
    await h.start();
    h.fake.fail('/cgi-bin/message/send', 'http500');
    await h.bot.outbox.enqueue([{ channel: 'wecom', recipient: 'lisi', message: { kind: 'text', text: '通知' } }]);
    await h.bot.outbox.dispatchDue();
    expect(valueOf((await scrape()).body, 'dandang_outbox_sends_total{channel="wecom",result="retry"}')).toBe(1);
  });

  it('is hidden from requests a reverse proxy on this host passed on', async () => {
    await h.start();
    expect((await scrape({ 'x-forwarded-for': '203.0.113.7' })).status).toBe(404);
    expect((await scrape({ forwarded: 'for=203.0.113.7' })).status).toBe(404);
    expect((await scrape({ 'x-real-ip': '203.0.113.7' })).status).toBe(404);
  });

  it.runIf(outsideAddress)('is hidden from another host (a request to this host’s network address)', async () => {
    await h.start();
    const server = h.bot.app.listen(0, '0.0.0.0');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://${outsideAddress}:${port}/metrics`);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('dandang_');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('METRICS_PUBLIC=true', () => {
  it('lets a scraper on another host, or behind a proxy, read the metrics', async () => {
    const { db, dispose } = await databaseBackends[0].open();
    const bot = await createTestBot({ db, clock: testClock() }, { METRICS_PUBLIC: 'true' });
    const server = await serve(bot.app);
    try {
      expect((await fetch(`${server.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.7' } })).status).toBe(200);
    } finally {
      await server.close();
      await bot.close();
      await dispose();
    }
  });
});

describe('metrics without a database behind them', () => {
  it('answers a scrape at once, with the database figures unknown, when the database does not answer', async () => {
    const hang = () => new Promise<number>(() => undefined);
    const metrics = new Metrics({ inboxPending: hang, outboxDepth: hang }, 50);
    const started = performance.now();
    const { body } = await metrics.exposition();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(valueOf(body, 'dandang_inbox_pending')).toBeNaN();
    expect(valueOf(body, 'dandang_outbox_depth')).toBeNaN();
    expect(body).toContain('# HELP dandang_callbacks_total');
  });

  it('counts scheduled job runs by kind and result, passing failures on to the scheduler', async () => {
    const metrics = new Metrics({ inboxPending: async () => 0, outboxDepth: async () => 0 });
    let fail = false;
    const [handler] = instrumentJobs(
      [
        {
          kind: 'talk-reminders',
          next: (after) => after,
          async run() {
            if (fail) throw new Error('boom');
          },
        } satisfies JobHandler,
      ],
      metrics,
    );
    await handler.run({} as never, {} as never, {} as never);
    fail = true;
    await expect(handler.run({} as never, {} as never, {} as never)).rejects.toThrow('boom');
    expect(handler.next!(new Date(0))).toEqual(new Date(0));
    const { body } = await metrics.exposition();
    expect(valueOf(body, 'dandang_job_runs_total{kind="talk-reminders",result="ok"}')).toBe(1);
    expect(valueOf(body, 'dandang_job_runs_total{kind="talk-reminders",result="failed"}')).toBe(1);
  });
});
