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

interface DeliverAnswer {
  success?: boolean;
  result?: { deliverResults?: { success?: boolean; errorMsg?: string }[] };
}

/**
 * Delivers one outbound message to one person. It makes one attempt (one more only for a stale
 * token) and throws PlatformApiError otherwise; retries and ordering belong to the outbox. Each
 * call names a single user, so DingTalk's limit of 20 users a batchSend is never reached and a
 * refusal for that user is the refusal of this delivery.
 */
export class DingtalkSender implements ChannelSender {
  readonly channel = 'dingtalk' as const;

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
    let answer: DeliverAnswer;
    try {
      answer = await this.api.call<DeliverAnswer>('POST', '/v1.0/card/instances/createAndDeliver', {
        ...delivery,
        cardTemplateId: this.config.cardTemplateId,
        cardData: { cardParamMap: cardParams(card) },
        imRobotOpenSpaceModel: { supportForward: false, lastMessageI18n: { ZH_CN: card.title.slice(0, 30) } },
        ...(this.config.cardCallback ? { callbackType: 'HTTP', callbackRouteKey: this.config.cardCallback.routeKey } : { callbackType: 'STREAM' }),
      });
    } catch (error) {
      if (!(error instanceof PlatformApiError) || error.code !== 'param.cardAlreadyExist') throw error;
      // An earlier attempt created the card but its answer was lost or its delivery failed: only
      // the delivery is repeated. At worst the person sees the card twice; never not at all.
      this.logger.info({ outTrackId }, 'dingtalk card exists already; delivering it again');
      answer = await this.api.call<DeliverAnswer>('POST', '/v1.0/card/instances/deliver', delivery);
    }
    const failed = answer.result?.deliverResults?.find((r) => r.success === false);
    if (answer.success === false || failed) {
      throw new PlatformApiError('dingtalk', `card created but not delivered: ${failed?.errorMsg?.slice(0, 200) ?? 'no reason given'}`, 'deliverFailed');
    }
    this.logger.debug({ outTrackId }, 'dingtalk card sent');
  }

  /** Updates the card for everyone who has it: the buttons grey out and `closedLabel` shows. */
  private async closeCard(userId: string, cardId: string, closedLabel: string): Promise<void> {
    const outTrackId = outTrackIdOf(cardId, userId);
    try {
      await this.api.call('PUT', '/v1.0/card/instances', {
        outTrackId,
        cardData: { cardParamMap: closedParams(closedLabel) },
        cardUpdateOptions: { updateCardDataByKey: true },
        userIdType: 1,
      });
    } catch (error) {
      if (!(error instanceof PlatformApiError) || error.code !== 'param.cardNotExist') throw error;
      // Sent as Markdown (no buttons) or before DingTalk was on: there is nothing to grey out.
      this.logger.info({ outTrackId }, 'dingtalk card not updated: no such card instance');
      return;
    }
    this.logger.debug({ outTrackId }, 'dingtalk card closed');
  }
}
