import type { DataSource } from 'typeorm';
import type { AuditLog } from '../../domain/audit';
import type { RosterRepository } from '../../roster/rosterRepository';
import type { Person } from '../../roster/types';
import type { Session, Sessions, SignInChannel, SignInFlow } from '../sessions';

const FLOW_WORDS: Record<SignInFlow, string> = { oauth: '企业微信网页授权', qr: '扫码登录', jsapi: '钉钉免登', dev: '开发登录' };

/** How someone signed in, as the console's footer says it: 企业微信扫码登录, 钉钉免登 … */
export const signInWords = (channel: SignInChannel, flow: SignInFlow): string =>
  flow === 'qr' ? `${channel === 'wecom' ? '企业微信' : '钉钉'}${FLOW_WORDS.qr}` : FLOW_WORDS[flow];

export type SignInOutcome = { person: Person; token: string; session: Session } | { refused: string };

/**
 * Signing someone in once their messenger has named them: only a person on the roster (and not
 * left) gets a session. Both outcomes are audited: `signin` with the person, `signin.refused`
 * with the messenger's id, since there is no person to name.
 */
export class SignIn {
  constructor(
    private readonly db: DataSource,
    private readonly roster: RosterRepository,
    private readonly sessions: Sessions,
    private readonly audit: AuditLog,
  ) {}

  async complete(channel: SignInChannel, flow: SignInFlow, userId: string | undefined, address: string): Promise<SignInOutcome> {
    const person = userId === undefined ? undefined : await this.find(channel, userId);
    if (!person) {
      await this.audit.append(this.db, {
        actorId: null,
        channel: 'web',
        action: 'signin.refused',
        subject: `${channel}:${userId ?? '(not a member)'}`.slice(0, 100),
        detail: { messenger: channel, flow, address },
      });
      return { refused: userId === undefined ? '您不是本单位通讯录中的成员，无法登录。' : '您不在本系统的名册中，无法登录。如有疑问请联系党群工作部。' };
    }
    const { token, session } = await this.sessions.create(person.id, channel, flow);
    await this.audit.append(this.db, {
      actorId: person.id,
      channel: 'web',
      action: 'signin',
      subject: `person:${person.code}`,
      detail: { messenger: channel, flow, address },
    });
    return { person, token, session };
  }

  async signOut(token: string, session: Session, address: string): Promise<void> {
    await this.sessions.end(token);
    const person = await this.roster.person(session.personId);
    await this.audit.append(this.db, {
      actorId: session.personId,
      channel: 'web',
      action: 'signout',
      subject: `person:${person?.code ?? session.personId}`,
      detail: { messenger: session.channel, flow: session.flow, address },
    });
  }

  private find(channel: SignInChannel, userId: string): Promise<Person | undefined> {
    // The development sign-in names people by their roster code, as the simulator does.
    return this.roster.personByIdentity({ channel: channel === 'dev' ? 'simulator' : channel, channelUserId: userId });
  }
}
