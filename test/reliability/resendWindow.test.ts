import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { Deployment, faultTestsEnabled } from '../support/reliability';

const SEND = '/cgi-bin/message/send';

/**
 * The window the issue measured: WeCom takes a message/send but answers slowly, and the process dies
 * (here: cut off from MariaDB and shut, its last writes never made, as SIGKILL leaves it) before it
 * can write that the message went out. Another instance takes the claim over once it is 60 s old and
 * sends the message again. The resend is the same request byte for byte with enable_duplicate_check,
 * so WeCom, which took the first, does not deliver it twice.
 */
describe.runIf(faultTestsEnabled)('a message/send in flight when its process dies', () => {
  let deployment: Deployment;
  afterEach(async () => deployment?.close());

  it('is sent again by another instance after the claim expires, byte for byte, and delivered once', { timeout: 60_000 }, async () => {
    deployment = await new Deployment().open({ proxyDatabase: true });
    const first = await deployment.startBot({ WECOM_API_TIMEOUT_MS: '3000' });
    // WeCom takes the message and its answer never comes back.
    deployment.fake.fail(SEND, 'answerLost');
    await first.bot.outbox.enqueue([{ channel: 'wecom', recipient: 'liuyang', message: { kind: 'text', text: '您的容错免责申请已受理（编号 RC2026-0007）。' } }]);
    void first.bot.worker.kick('outbox');
    const deadline = Date.now() + 10_000;
    while (deployment.fake.calls(SEND).length === 0) {
      if (Date.now() > deadline) throw new Error('the message was never sent');
      await sleep(10);
    }
    // The process dies with the call in flight: nothing it would still write reaches the database.
    deployment.dbProxy!.pause();
    await first.close();
    deployment.dbProxy!.resume();
    const [claimed]: { status: string; claimed_by: string }[] = await deployment.db.query('SELECT status, claimed_by FROM outbox');
    expect(claimed.status).toBe('sending');

    await deployment.startBot();
    deployment.clock.advance(61_000);
    await deployment.settle({ advanceMs: 0 });

    const calls = deployment.fake.calls(SEND);
    expect(calls).toHaveLength(2);
    expect(calls[1].raw).toBe(calls[0].raw);
    expect(calls[0].body).toMatchObject({ enable_duplicate_check: 1, duplicate_check_interval: 1800 });
    expect(deployment.fake.delivered()).toHaveLength(1);
    const [sent]: { status: string; claimed_by: string }[] = await deployment.db.query('SELECT status, claimed_by FROM outbox');
    expect(sent.status).toBe('sent');
    expect(sent.claimed_by).not.toBe(claimed.claimed_by);
  });
});
