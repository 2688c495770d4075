import type { TalkRecords } from './domain/talks/talkRecords';
import type { RosterRepository } from './roster/rosterRepository';

/** The use cases and repositories that dialogues in conversations/ may call when they submit. */
export interface Services {
  roster: RosterRepository;
  talks: TalkRecords;
}
