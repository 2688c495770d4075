import { talkLog } from './talkLog';

/** Every dialogue the bot offers, in the order the menu lists them. */
export const dialogues = [talkLog];
