import { PlatformApiError } from '../../errors';
import type { Logger } from '../../logger';
import type { Card, ChannelSender, OutboundMessage } from '../port';
import type { DingtalkApi } from './api';
import type { DingtalkConfig } from './config';
import { cardParams, closedParams, outTrackIdOf, robotMessage } from './messages';

interface BatchSendAnswer {
  processQueryKey?: string;
  invalidStaffIdList?: string[];
  flowControlledStaffIdList?: string[];
}

/** One space's outcome, as both card calls report it. */
interface SpaceResult {
  spaceType?: string;
  spaceId?: string;
  success?: boolean;
  errorMsg?: string;
}

/** createAndDeliver: the results sit under result.deliverResults. */
interface CreateAndDeliverAnswer {
  success?: boolean;
  result?: { outTrackId?: string; deliverResults?: SpaceResult[] };
}

/** deliver: result is the array of results itself. */
interface DeliverAnswer {
  success?: boolean;
  result?: SpaceResult[];
}

interface UpdateAnswer {
  success?: boolean;
  result?: boolean;
}

/**
 * A card counts as delivered only on DingTalk's documented success: the call succeeded and the one
 * space it was delivered to (the person's chat with the robot) reports success. Anything else, an
 * answer without results included, is retried; the retry finds the card created and delivers again.
 */
function delivered(what: string, success: boolean | undefined, results: SpaceResult[] | undefined): void {
  const failed = results?.find((r) => r.success !== true);
  if (success === true && results && results.length > 0 && !failed) return;
  const reason = failed?.errorMsg?.slice(0, 200) ?? (results && results.length > 0 ? 'no reason given' : 'no delivery result in the answer');
  throw new PlatformApiError('dingtalk', `${what}: card not delivered: ${reason}`, 'deliverFailed');
}

/**
 * Delivers one outbound message to one person. It makes one attempt (one more only for a stale
 * token) and throws PlatformApiError otherwise; retries and ordering belong to the outbox. Each
 * call names a single user, so DingTalk's limit of 20 users a batchSend is never reached and a
 * refusal for that user is the refusal of this delivery.
 */
export class DingtalkSender implements ChannelSender {
  readonly channel = 'dingtalk' as const;
  // DingTalk documents msgParam as at most 15,000 bytes for a robot's group message and names no
  // other limit for batchSend; texts are split well below it, leaving room for JSON escaping.
  readonly maxTextBytes = 6000;

  constructor(
    private readonly config: DingtalkConfig,
    private readonly api: DingtalkApi,
    private readonly logger: Logger,
  ) {}

  async deliver(userId: string, message: OutboundMessage): Promise<void> {
    if (message.kind === 'cardUpdate') return this.closeCard(userId, message.cardId, message.closedLabel);
    if (message.kind === 'card' && message.card.buttons.length > 0) return this.sendCard(userId, message.card);
    const answer = await this.api.call<BatchSendAnswer>('POST', '/v1.0/robot/oToMessages/batchSend', {
      robotCode: this.config.robotCode,
      userIds: [userId],
      ...robotMessage(message),
    });
    if (answer.invalidStaffIdList?.includes(userId)) {
      throw new PlatformApiError('dingtalk', 'recipient is not a member the robot can reach (invalidStaffIdList)', 'invalidStaff', true);
    }
    if (answer.flowControlledStaffIdList?.includes(userId)) {
      throw new PlatformApiError('dingtalk', 'recipient had too many messages lately (flowControlledStaffIdList); deferred', 'flowControlled');
    }
    // The documented success names the send's processQueryKey; an answer without it proves nothing.
    if (!answer.processQueryKey) throw new PlatformApiError('dingtalk', 'batchSend answered without a processQueryKey; not counted as sent', 'noProcessQueryKey');
    this.logger.debug({ kind: message.kind, processQueryKey: answer.processQueryKey }, 'dingtalk message sent');
  }

  /**
   * An interactive card whose button clicks come back with the clicker's userId: the only kind of
   * DingTalk card a decision may be taken on (an ActionCard's link buttons cannot say who tapped).
   */
  private async sendCard(userId: string, card: Card): Promise<void> {
    const outTrackId = outTrackIdOf(card.cardId, userId);
    const delivery = {
      outTrackId,
      openSpaceId: `dtv1.card//IM_ROBOT.${userId}`,
      imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: this.config.robotCode },
      userIdType: 1,
    };
    try {
      const answer = await this.api.call<CreateAndDeliverAnswer>('POST', '/v1.0/card/instances/createAndDeliver', {
        ...delivery,
        cardTemplateId: this.config.cardTemplateId,
        cardData: { cardParamMap: cardParams(card) },
        imRobotOpenSpaceModel: { supportForward: false, lastMessageI18n: { ZH_CN: card.title.slice(0, 30) } },
        ...(this.config.cardCallback ? { callbackType: 'HTTP', callbackRouteKey: this.config.cardCallback.routeKey } : { callbackType: 'STREAM' }),
      });
      delivered('createAndDeliver', answer.success, answer.result?.deliverResults);
    } catch (error) {
      if (!(error instanceof PlatformApiError) || error.code !== 'param.cardAlreadyExist') throw error;
      // An earlier attempt created the card but its answer was lost or its delivery failed: only
      // the delivery is repeated. At worst the person sees the card twice; never not at all.
      this.logger.info({ outTrackId }, 'dingtalk card exists already; delivering it again');
      const answer = await this.api.call<DeliverAnswer>('POST', '/v1.0/card/instances/deliver', delivery).catch((e: unknown) => {
        // createAndDeliver has just said the card exists: "no such card" here is DingTalk catching up.
        if (e instanceof PlatformApiError && e.code === 'param.cardNotExist') throw new PlatformApiError('dingtalk', e.message, 'deliverFailed');
        throw e;
      });
      delivered('deliver', answer.success, answer.result);
    }
    this.logger.debug({ outTrackId }, 'dingtalk card sent');
  }

  /** Updates the card for everyone who has it: the buttons grey out and `closedLabel` shows. */
  private async closeCard(userId: string, cardId: string, closedLabel: string): Promise<void> {
    const outTrackId = outTrackIdOf(cardId, userId);
    try {
      const answer = await this.api.call<UpdateAnswer>('PUT', '/v1.0/card/instances', {
        outTrackId,
        cardData: { cardParamMap: closedParams(closedLabel) },
        cardUpdateOptions: { updateCardDataByKey: true },
        userIdType: 1,
      });
      if (answer.success !== true || answer.result === false) throw new PlatformApiError('dingtalk', 'card update not confirmed (success is not true)', 'updateFailed');
    } catch (error) {
      if (!(error instanceof PlatformApiError) || error.code !== 'param.cardNotExist') throw error;
      // Sent as Markdown (no buttons) or before DingTalk was on: there is nothing to grey out.
      this.logger.info({ outTrackId }, 'dingtalk card not updated: no such card instance');
      return;
    }
    this.logger.debug({ outTrackId }, 'dingtalk card closed');
  }
}
