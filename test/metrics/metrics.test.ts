import { describe, expect, it } from 'vitest';
import { instrumentJobs } from '../../src/metrics/jobs';
import { Metrics } from '../../src/metrics/metrics';
import type { JobHandler } from '../../src/scheduling/scheduler';
import { postCallback, seal, textXml } from '../channels/wecom/callbacks';
import { stacks, wecomHarness } from '../channels/wecom/harness';

/** The value of one series in the text exposition, e.g. `dandang_inbox_pending`; undefined if absent. */
function valueOf(exposition: string, series: string): number | undefined {
  const line = exposition.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('Prometheus metrics at /metrics', () => {
  const h = wecomHarness(stacks[0]);

  const scrape = async (headers: Record<string, string> = {}, url = h.adminUrl) => {
    const res = await fetch(`${url}/metrics`, { headers });
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

  it('is served on the admin listener only: the public port answers 404, with or without forwarding headers', async () => {
    await h.start();
    expect((await scrape()).status).toBe(200);
    const forwarded: Record<string, string>[] = [{}, { 'x-forwarded-for': '203.0.113.7' }, { forwarded: 'for=203.0.113.7' }];
    for (const headers of forwarded) {
      const answer = await scrape(headers, h.url);
      expect(answer.status).toBe(404);
      expect(answer.body).not.toContain('dandang_');
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
