import type { DWClientDownStream } from 'dingtalk-stream' with { 'resolution-mode': 'import' };
import type { Clock } from '../../clock';
import { reasonOf, type Logger } from '../../logger';
import type { InboundEvent } from '../port';
import { CallbackRefused } from '../shared/callbackRefused';
import type { DingtalkConfig } from './config';
import { cardInbound, robotInbound, type CardClick, type Inbound } from './inbound';

/** The part of the SDK's DWClient this wrapper drives; tests put a fake in its place. */
export interface StreamClient {
  readonly connected: boolean;
  registerCallbackListener(topic: string, listener: (message: DWClientDownStream) => void): unknown;
  connect(): Promise<void>;
  disconnect(): void;
  socketCallBackResponse(messageId: string, result: unknown): void;
}

export interface StreamConnection {
  client: StreamClient;
  topics: { robot: string; card: string };
}

const FIRST_RETRY_MS = 1_000;
const LONGEST_RETRY_MS = 5 * 60_000;
/** The SDK's connect has no timeout of its own; a hung attempt must not stop the next one. */
const CONNECT_TIMEOUT_MS = 30_000;

/** The SDK as published; loaded only in stream mode, and only when the first connection is made. */
export async function sdkConnection(config: DingtalkConfig): Promise<StreamConnection> {
  const sdk = await import('dingtalk-stream');
  const client = new sdk.DWClient({ clientId: config.appKey, clientSecret: config.appSecret, keepAlive: true, ua: 'dandang' });
  // The SDK would retry every second for ever, racing itself; reconnecting is this wrapper's job.
  client.config.autoReconnect = false;
  return { client, topics: { robot: sdk.TOPIC_ROBOT, card: sdk.TOPIC_CARD } };
}

/**
 * DingTalk's stream mode: robot messages and card clicks over the SDK's WebSocket. Each message is
 * acknowledged as soon as it is in the inbox (DingTalk redelivers what is acknowledged late) and
 * handled afterwards by the worker. A lost connection is retried from `tick`, which the background
 * worker calls every pass: waits double from 1 s to 5 min, every attempt is logged, and after
 * `streamMaxReconnects` failures in a row the client stops and says so at error level.
 */
export class DingtalkStream {
  private connection?: StreamConnection;
  private connecting?: Promise<void>;
  private failures = 0;
  private nextAttemptAt = 0;
  private wasConnected = false;
  private stopped = false;

  constructor(
    private readonly config: DingtalkConfig,
    private readonly connect: () => Promise<StreamConnection>,
    private readonly receive: (event: InboundEvent, dedupeKey: string) => Promise<'accepted' | 'duplicate'>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** The inbox key of a click (clickIdentity). */
    private readonly clickKey: (click: CardClick) => Promise<string>,
  ) {}

  /** Starts a connection attempt when one is due; never waits for it. */
  tick(): void {
    if (this.stopped || this.connecting) return;
    if (this.connection?.client.connected) {
      this.wasConnected = true;
      return;
    }
    if (this.wasConnected) {
      this.wasConnected = false;
      this.logger.warn('dingtalk stream connection lost; reconnecting');
    }
    if (this.clock.now().getTime() < this.nextAttemptAt) return;
    this.connecting = this.attempt().finally(() => {
      this.connecting = undefined;
    });
  }

  close(): void {
    this.stopped = true;
    this.connection?.client.disconnect();
  }

  private async attempt(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      this.connection ??= this.listen(await this.connect());
      const { client } = this.connection;
      await Promise.race([client.connect(), new Promise((resolve) => (timer = setTimeout(resolve, CONNECT_TIMEOUT_MS)))]);
      if (client.connected) {
        this.logger.info({ afterFailures: this.failures }, 'dingtalk stream connected');
        this.failures = 0;
        this.wasConnected = true;
        return;
      }
      client.disconnect();
      this.failed('the gateway did not accept the connection');
    } catch (error) {
      this.failed(reasonOf(error));
    } finally {
      clearTimeout(timer);
    }
  }

  private failed(reason: string): void {
    this.failures += 1;
    if (this.failures >= this.config.streamMaxReconnects) {
      this.stopped = true;
      this.logger.error({ failures: this.failures, reason }, 'dingtalk stream gave up reconnecting; no messages arrive until the process is restarted');
      return;
    }
    const waitMs = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** (this.failures - 1));
    this.nextAttemptAt = this.clock.now().getTime() + waitMs;
    this.logger.warn({ failures: this.failures, waitMs, reason }, 'dingtalk stream connection failed; retrying');
  }

  private listen(connection: StreamConnection): StreamConnection {
    const { client, topics } = connection;
    client.registerCallbackListener(topics.robot, (message) => void this.onMessage(client, message, async (data) => robotInbound(data)));
    client.registerCallbackListener(topics.card, (message) =>
      void this.onMessage(client, message, async (data) => {
        // The stream's own time of the message is DingTalk's clock; without one, now.
        const time = /^\d{13}$/.test(message.headers.time) ? new Date(Number(message.headers.time)) : this.clock.now();
        const click = cardInbound(data, time);
        return click && { event: click.event, dedupeKey: await this.clickKey(click) };
      }),
    );
    return connection;
  }

  private async onMessage(client: StreamClient, message: DWClientDownStream, toInbound: (data: unknown) => Promise<Inbound | undefined>): Promise<void> {
    const { messageId, topic } = message.headers;
    try {
      let data: unknown;
      try {
        data = JSON.parse(message.data);
      } catch {
        throw new CallbackRefused(400, 'stream message data is not JSON');
      }
      const inbound = await toInbound(data);
      const outcome = inbound ? await this.receive(inbound.event, inbound.dedupeKey) : 'ignored';
      client.socketCallBackResponse(messageId, {});
      this.logger.info({ topic, kind: inbound?.event.kind, outcome }, 'dingtalk stream message received');
    } catch (error) {
      if (error instanceof CallbackRefused) {
        // Redelivery would bring the same malformed message: acknowledged and dropped.
        client.socketCallBackResponse(messageId, {});
        this.logger.warn({ topic, reason: error.message }, 'dingtalk stream message refused');
        return;
      }
      // Not acknowledged, so DingTalk delivers it again in a minute.
      this.logger.error({ topic, reason: reasonOf(error) }, 'dingtalk stream message not recorded');
    }
  }
}
