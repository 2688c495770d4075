import type { Person } from '../roster/types';
import type { RosterRepository } from '../roster/rosterRepository';
import type { Services } from '../services';
import type { CalendarDate } from './parse/dates';

/** What a person sent at a step: typed text, a tapped option, or a file from the messenger. */
export type FieldInput =
  | { kind: 'text'; text: string }
  | { kind: 'option'; index: number }
  | { kind: 'attachment'; attachment: Attachment };

export interface Attachment {
  channel: string;
  mediaKind: 'file' | 'image' | 'video';
  mediaId: string;
  fileName?: string;
  receivedAt: string;
  /** The received_files row the attachment field recorded it as (fetched and kept from there). */
  fileId?: number;
}

export interface FieldContext {
  person: Person;
  today: CalendarDate;
  roster: RosterRepository;
  /** The same services dialogues submit to, for fields whose choices come from records. */
  services: Services;
  /** Values already given in this dialogue, for fields whose choices depend on them. */
  values: Record<string, unknown>;
}

export type Parsed<T> =
  | { ok: true; value: T }
  | { ok: false; error: string }
  /** Several things match: ask which, each option being an input that parses unambiguously. */
  | { ok: 'clarify'; question: string; options: { label: string; input: string }[] }
  /** Keep what arrived so far and stay on the step (attachments come one message at a time). */
  | { ok: 'partial'; value: T; message: string }
  /** The person asked what the question means (不太清楚): explain, and ask again; not a wrong answer. */
  | { ok: 'explain'; message: string };

export interface Field<T> {
  /** The question, as the bot asks it. */
  prompt: string;
  /** What a valid answer looks like, with an example; shown after a wrong answer and in 帮助. */
  hint: string;
  optional?: boolean;
  /** Tappable answers, when the field has a short fixed set of them; a tap arrives as an option index. */
  buttons?: readonly string[];
  /** Tappable answers that depend on the dialogue's values (a chain's verdicts, prefilled by its card). */
  buttonsFor?(ctx: FieldContext): readonly string[] | undefined;
  /**
   * The options of a choice whose options come from the dialogue's values, for a form that shows
   * them all at once (the case page); an answer is then the option's number, as in chat.
   */
  choicesFor?(ctx: FieldContext): { options: readonly string[]; multiple: boolean };
  /** A numbered list shown under the question (long choice lists that do not fit on buttons). */
  listing?(ctx: FieldContext): Promise<string | undefined> | string | undefined;
  parse(input: FieldInput, ctx: FieldContext, previous: T | undefined): Promise<Parsed<T>> | Parsed<T>;
  /** The value as the summary card shows it. */
  format(value: T): string;
  /** What the answered question's card says once greyed out, when "已选择：<value>" would not fit. */
  closedLabel?(value: T): string;
}

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });
