import { ChannelHarness, registerHarness, type Stack } from '../../support/channelHarness';
import { FakeWecom } from '../../support/fakeWecom';
import { AGENT_ID, SAMPLE, SECRET, wecomEnv } from './callbacks';

export { stacks } from '../../support/channelHarness';

export class WecomHarness extends ChannelHarness<FakeWecom> {
  /** The bot clock as a unix timestamp, as WeCom writes it. */
  now(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }
}

/** A bot with WeCom pointed at a fake API, set up and torn down around each test of the describe. */
export function wecomHarness(stack: Stack): WecomHarness {
  return registerHarness(new WecomHarness(stack, { fake: () => new FakeWecom(SAMPLE.corpId, SECRET, AGENT_ID).start(), env: (fake) => wecomEnv(fake) }));
}
