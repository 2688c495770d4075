import { ChannelHarness, registerHarness, type Stack } from '../../support/channelHarness';
import { FakeDingtalk } from '../../support/fakeDingtalk';
import { APP_KEY, APP_SECRET, dingtalkEnv, ROBOT_CODE } from './callbacks';

export class DingtalkHarness extends ChannelHarness<FakeDingtalk> {
  /** The bot clock in milliseconds, as DingTalk writes timestamps. */
  now(): number {
    return this.clock.now().getTime();
  }
}

/** A bot with DingTalk (HTTP mode) pointed at a fake API; 张三 and 李四 are zhangsan and lisi there too. */
export function dingtalkHarness(stack: Stack): DingtalkHarness {
  return registerHarness(
    new DingtalkHarness(stack, {
      fake: () => new FakeDingtalk(APP_KEY, APP_SECRET, ROBOT_CODE).start(),
      env: (fake) => dingtalkEnv(fake),
      async seed(db) {
        for (const [code, id] of [['A1', 'zhangsan'], ['B1', 'lisi']]) await db.query('UPDATE people SET dingtalk_user_id = ? WHERE code = ?', [id, code]);
      },
    }),
  );
}
