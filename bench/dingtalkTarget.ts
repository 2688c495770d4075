import { robotSign } from '../src/channels/dingtalk/callbackCrypto';
import { APP_KEY, APP_SECRET, dingtalkEnv, postRobot, ROBOT_CODE, robotText } from '../test/channels/dingtalk/callbacks';
import { FakeDingtalk } from '../test/support/fakeDingtalk';
import type { Target } from './webhook';

interface SignedMessage {
  body: string;
  timestamp: number;
  sign: string;
}

/** DingTalk's HTTP mode: robot messages with their timestamp and sign headers, as DingTalk posts them. */
export function dingtalkTarget(messageIds: string[], users: number): Target<SignedMessage> {
  const createAt = Date.now();
  return {
    label: 'DingTalk',
    column: 'dingtalk_user_id',
    // Signed before timing starts: signing is DingTalk's work, not the server's.
    requests: messageIds.map((msgId, i) => ({
      body: JSON.stringify(robotText({ from: `bench-${i % users}`, text: '菜单', msgId, createAt })),
      timestamp: createAt,
      sign: robotSign(String(createAt), APP_SECRET),
    })),
    post: (url, m) => postRobot(url, m.body, { timestamp: m.timestamp, sign: m.sign }),
    async fake() {
      const fake = await new FakeDingtalk(APP_KEY, APP_SECRET, ROBOT_CODE).start();
      return { env: dingtalkEnv(fake), close: () => fake.close() };
    },
  };
}
