import { beforeEach, describe, expect, it } from 'vitest';
import type { DWClientDownStream } from 'dingtalk-stream' with { 'resolution-mode': 'import' };
import { createDingtalkChannel } from '../../../src/channels/dingtalk';
import { loadDingtalkConfig, type DingtalkConfig } from '../../../src/channels/dingtalk/config';
import { outTrackIdOf } from '../../../src/channels/dingtalk/messages';
import { DingtalkStream, type StreamClient } from '../../../src/channels/dingtalk/stream';
import type { InboundEvent } from '../../../src/channels/port';
import type { ManualClock } from '../../../src/clock';
import { createLogger } from '../../../src/logger';
import { MemoryStateStore } from '../../../src/state/memoryStateStore';
import { testClock } from '../../support/backends';
import { cardClick, robotText } from './callbacks';

const TOPICS = { robot: '/v1.0/im/bot/messages/get', card: '/v1.0/card/instances/callback' };
const flush = () => new Promise((resolve) => setImmediate(resolve));

/** The SDK client's surface, answering connect as scripted (true: the socket opens). */
class FakeStreamClient implements StreamClient {
  connected = false;
  connects = 0;
  outcomes: boolean[] = [];
  readonly acks: { messageId: string; result: unknown }[] = [];
  private readonly listeners = new Map<string, (message: DWClientDownStream) => void>();

  registerCallbackListener(topic: string, listener: (message: DWClientDownStream) => void): void {
    this.listeners.set(topic, listener);
  }

  async connect(): Promise<void> {
    this.connects += 1;
    this.connected = this.outcomes.shift() ?? true;
  }

  disconnect(): void {
    this.connected = false;
  }

  socketCallBackResponse(messageId: string, result: unknown): void {
    this.acks.push({ messageId, result });
  }

  push(topic: string, data: unknown, messageId: string): void {
    const headers = { appId: 'app', connectionId: 'conn', contentType: 'application/json', messageId, time: '0', topic };
    this.listeners.get(topic)!({ specVersion: '1.0', type: 'CALLBACK', headers, data: typeof data === 'string' ? data : JSON.stringify(data) });
  }
}

describe('the DingTalk stream client', () => {
  const config: DingtalkConfig = loadDingtalkConfig({ DINGTALK_MODE: 'stream', DINGTALK_APP_KEY: 'dingabc', DINGTALK_APP_SECRET: 's', DINGTALK_CARD_TEMPLATE_ID: 't', DINGTALK_STREAM_MAX_RECONNECTS: '3' })!;
  let clock: ManualClock;
  let client: FakeStreamClient;
  let logs: Record<string, unknown>[];
  let received: { event: InboundEvent; dedupeKey: string }[];
  let receive: (event: InboundEvent, dedupeKey: string) => Promise<'accepted' | 'duplicate'>;
  const stream = () =>
    new DingtalkStream(config, async () => ({ client, topics: TOPICS }), (event, key) => receive(event, key), clock, createLogger('debug', { write: (line: string) => void logs.push(JSON.parse(line)) }), async (click) => `tap:${click.outTrackId}:${click.event.action}`);
  const messages = () => logs.map((l) => l.msg);

  beforeEach(() => {
    clock = testClock();
    client = new FakeStreamClient();
    logs = [];
    received = [];
    receive = async (event, dedupeKey) => {
      received.push({ event, dedupeKey });
      return 'accepted';
    };
  });

  it('acknowledges a robot message only once it is in the inbox, and right then', async () => {
    let store!: () => void;
    receive = (event, dedupeKey) =>
      new Promise((resolve) => {
        received.push({ event, dedupeKey });
        store = () => resolve('accepted');
      });
    const s = stream();
    s.tick();
    await flush();
    client.push(TOPICS.robot, robotText({ from: 'zhangsan', text: '申请容错', msgId: 'msgS==', createAt: clock.now().getTime() }), 'stream-1');
    await flush();
    expect(received).toEqual([{ event: expect.objectContaining({ channel: 'dingtalk', channelUserId: 'zhangsan', text: '申请容错' }), dedupeKey: 'msg:msgS==' }]);
    expect(client.acks).toEqual([]);
    store();
    await flush();
    expect(client.acks).toEqual([{ messageId: 'stream-1', result: {} }]);
  });

  it('takes card clicks over the stream, and leaves unacknowledged what could not be stored', async () => {
    const s = stream();
    s.tick();
    await flush();
    client.push(TOPICS.card, cardClick({ userId: 'lisi', outTrackId: outTrackIdOf('wf-st3', 'zhangsan'), action: 'wfs:3:approve' }), 'stream-2');
    await flush();
    expect(received[0]).toEqual({
      event: { kind: 'click', channel: 'dingtalk', channelUserId: 'lisi', cardId: 'wf-st3', action: 'wfs:3:approve', sentAt: clock.now().toISOString() },
      dedupeKey: `tap:${outTrackIdOf('wf-st3', 'zhangsan')}:wfs:3:approve`,
    });
    receive = async () => {
      throw new Error('database unavailable');
    };
    client.push(TOPICS.robot, robotText({ from: 'zhangsan', text: '你好', msgId: 'msgT==', createAt: 0 }), 'stream-3');
    client.push(TOPICS.robot, '{"msgId":', 'stream-4');
    await flush();
    expect(client.acks.map((a) => a.messageId)).toEqual(['stream-2', 'stream-4']);
    expect(messages()).toEqual(expect.arrayContaining(['dingtalk stream message not recorded', 'dingtalk stream message refused']));
  });

  it('reconnects a lost connection with doubling waits, logs each attempt, and gives up after the limit', async () => {
    const s = stream();
    s.tick();
    await flush();
    expect(messages()).toEqual(['dingtalk stream connected']);
    client.connected = false;
    client.outcomes = [false, false, false];
    s.tick();
    await flush();
    expect(messages().slice(1)).toEqual(['dingtalk stream connection lost; reconnecting', 'dingtalk stream connection failed; retrying']);
    s.tick();
    await flush();
    expect(client.connects).toBe(2);
    clock.advance(1_000);
    s.tick();
    await flush();
    expect(client.connects).toBe(3);
    expect(logs.at(-1)).toMatchObject({ msg: 'dingtalk stream connection failed; retrying', failures: 2, waitMs: 2_000 });
    clock.advance(2_000);
    s.tick();
    await flush();
    expect(logs.at(-1)).toMatchObject({ level: 50, msg: 'dingtalk stream gave up reconnecting; no messages arrive until the process is restarted', failures: 3 });
    clock.advance(600_000);
    s.tick();
    await flush();
    expect(client.connects).toBe(4);
  });

  it('counts failures afresh after a connection succeeds, and lets go on close', async () => {
    client.outcomes = [false, true];
    const s = stream();
    s.tick();
    await flush();
    clock.advance(1_000);
    s.tick();
    await flush();
    expect(logs.at(-1)).toMatchObject({ msg: 'dingtalk stream connected', afterFailures: 1 });
    s.close();
    s.tick();
    await flush();
    expect(client.connected).toBe(false);
    expect(client.connects).toBe(2);
  });

  it('serves no HTTP routes in stream mode: everything arrives over the connection', () => {
    const channel = createDingtalkChannel(config, { state: new MemoryStateStore(clock), clock, logger: createLogger('silent') });
    expect(channel.routes({ receive, bodyLimitBytes: 1024 })).toBeUndefined();
    expect(channel.task(receive).name).toBe('dingtalk-stream');
  });
});
