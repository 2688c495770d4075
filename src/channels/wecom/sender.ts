import { reasonOf, type Logger } from '../../logger';
import type { StateStore } from '../../state/stateStore';
import type { ChannelSender, DeliveryOptions, OutboundMessage } from '../port';
import type { WecomApi } from './api';
import type { WecomConfig } from './config';
import type { MemberRateLimit } from './memberRateLimit';
import { sendBody, taskIdOf } from './messages';

/** A response code may be spent once, within 72 hours of being issued; keep it a little less. */
const RESPONSE_CODE_TTL_MS = 72 * 3600_000 - 10 * 60_000;

const responseCodeKey = (taskId: string, userId: string) => `wecom:card-response:${taskId}:${userId}`;

/**
 * Remembers the newest one-time code for updating one member's copy of a card: the one
 * message/send returned for that member, then the one each of that member's clicks brings. Kept
 * per (task, member): someone else pressing a card that is not theirs (a refused click) brings a
 * code of their own and must not replace the approver's, or the approver's card could not be
 * greyed out. Shared through the state store, so any instance can close the card.
 */
export async function rememberResponseCode(state: StateStore, taskId: string, userId: string, code: string): Promise<void> {
  await state.set(responseCodeKey(taskId, userId), code, RESPONSE_CODE_TTL_MS);
}

/**
 * Delivers one outbound message to one member. It makes one attempt (one more only for a stale
 * token) and throws PlatformApiError otherwise; retries and ordering belong to the outbox.
 */
export class WecomSender implements ChannelSender {
  readonly channel = 'wecom' as const;
  // message/send truncates text content past 2048 bytes.
  readonly maxTextBytes = 2048;
  readonly duplicateCheckMs: number | undefined;

  constructor(
    private readonly config: WecomConfig,
    private readonly api: WecomApi,
    private readonly state: StateStore,
    private readonly rateLimit: MemberRateLimit,
    private readonly logger: Logger,
  ) {
    this.duplicateCheckMs = config.duplicateCheckSeconds > 0 ? config.duplicateCheckSeconds * 1000 : undefined;
  }

  async deliver(userId: string, message: OutboundMessage, options: DeliveryOptions = {}): Promise<void> {
    if (message.kind === 'cardUpdate') return this.closeCard(userId, message.cardId, message.closedLabel);
    const body = sendBody(this.config.agentId, userId, message, options.duplicateCheck ? this.config.duplicateCheckSeconds : 0);
    await this.rateLimit.reserve(userId);
    const result = await this.api.post<{ msgid?: string; response_code?: string }>('/cgi-bin/message/send', body);
    if (message.kind === 'card' && result.response_code) {
      // WeCom has taken the message: failing now would have the outbox send it a second time. A
      // code that could not be kept (state store unavailable) only leaves the card unclosable.
      await rememberResponseCode(this.state, taskIdOf(message.card.cardId), userId, result.response_code).catch((error: unknown) =>
        this.logger.warn({ reason: reasonOf(error) }, 'wecom card sent, but its response code was not kept'),
      );
    }
    this.logger.debug({ kind: message.kind, msgid: result.msgid }, 'wecom message sent');
  }

  /**
   * Replaces the card's buttons with `closedLabel`. Without a live response code (never sent
   * through WeCom, already closed, or past 72 hours) there is nothing WeCom would accept, so the
   * update is skipped rather than retried.
   */
  private async closeCard(userId: string, cardId: string, closedLabel: string): Promise<void> {
    const taskId = taskIdOf(cardId);
    const code = await this.state.get(responseCodeKey(taskId, userId));
    if (!code) {
      this.logger.info({ taskId }, 'wecom card not updated: no unexpired response code');
      return;
    }
    await this.api.post('/cgi-bin/message/update_template_card', {
      userids: [userId],
      agentid: this.config.agentId,
      response_code: code,
      button: { replace_name: closedLabel },
    });
    // The code is spent: a failure to forget it must not make the outbox repeat the update.
    await this.state.delete(responseCodeKey(taskId, userId)).catch(() => undefined);
    this.logger.debug({ taskId }, 'wecom card closed');
  }
}
