import type { ChatContext, Chatter } from './base';

/** A fake messenger platform for a whole chat: its settings, its people's ids, and their phones. */
export interface Messenger {
  /** The settings that point the bot at the fake. */
  env: NodeJS.ProcessEnv;
  /** The roster column of this messenger's user ids. */
  column: 'wecom_user_id' | 'dingtalk_user_id';
  /** The id given to someone the sample roster has none for here. */
  idFor(code: string): string;
  chatter(code: string, userId: string, chat: ChatContext): Chatter;
  close(): Promise<void>;
}
