/**
 * What a refused call to api.dingtalk.com means for the message it carried, from the error tables
 * of the calls the bot makes (批量发送人与机器人会话中机器人消息 oToMessages/batchSend, 创建并投放卡片
 * card/instances/createAndDeliver, 投放卡片 card/instances/deliver, 更新卡片 PUT card/instances) and the
 * platform's common server error codes:
 *
 * - `refresh`: the access token was refused (InvalidAuthentication); asked again once with a new one.
 * - `retry`: worth another try later, with the outbox's growing waits. The throttling answers batchSend
 *   documents as “请稍后再试” (send.too.fast, send.byToken.tooFast, too.many.people, too.many.group),
 *   the QPS limits and permission refusals of the Forbidden.AccessDenied family, the platform failing
 *   (5xx, 429, system.error …), and setup an administrator fixes (the robot code or app secret, the IP
 *   allow-list, a permission not granted): the message waits for the fix instead of being dropped.
 * - `permanent`: the request itself is wrong and would be refused the same way every time
 *   (invalidParameter.* of batchSend, param.* of the card calls, a staff id that does not exist).
 *
 * A code none of those tables lists is retried, never dropped on a guess; its message says it is
 * undocumented so that an operator can look it up and add it here.
 */
export type Verdict = 'refresh' | 'retry' | 'permanent';

export const TOKEN_REFUSED = 'InvalidAuthentication';

const THROTTLED = new Set(['send.too.fast', 'send.byToken.tooFast', 'too.many.people', 'too.many.group']);

const SETUP = [/^invalidParameter\.robotCode\./, /^Forbidden\.AccessDenied/, /^invalidClientIdOrSecret$/, /^robot\.not\.?found$/i, /^chatbot\.notFound$/];

const REQUEST_WRONG = [/^invalidParameter\./, /^param\./, /^staffId\.notExisted$/, /^robot\.oto\.notExist$/, /^userNotExist$/, /^MissingParameter/, /^InvalidParameter/];

const PLATFORM_FAILING = [/^system\./i, /^systemError/, /^unknown\.?error$/i, /^ServiceUnavailable/, /^Throttling/, /^InternalError/];

export interface Classified {
  verdict: Verdict;
  /** The code is in none of DingTalk's tables for these calls. */
  undocumented: boolean;
}

export function classify(status: number, code: string | undefined): Classified {
  const documented = (verdict: Verdict): Classified => ({ verdict, undocumented: false });
  if (code === TOKEN_REFUSED) return documented('refresh');
  if (code && THROTTLED.has(code)) return documented('retry');
  if (code && SETUP.some((p) => p.test(code))) return documented('retry');
  if (code && REQUEST_WRONG.some((p) => p.test(code))) return documented('permanent');
  if (code && PLATFORM_FAILING.some((p) => p.test(code))) return documented('retry');
  if (status >= 500 || status === 429) return documented('retry');
  return { verdict: 'retry', undocumented: true };
}
