import type { OutboundMessage } from '../channels/port';
import type { Person } from '../roster/types';
import type { Field } from './field';

export type Values = Record<string, unknown>;

export interface Step<V = unknown> {
  key: string;
  /** How the summary card names this answer. */
  label: string;
  field: Field<V>;
  /** Asked only when this holds for the answers so far. */
  when?: (values: Values) => boolean;
  /** The policy text this step comes from; 帮助 quotes it. */
  basis?: string;
  /** Ends the dialogue right after this answer, with this explanation, when it returns one. */
  stopIf?: (value: V, values: Values) => string | undefined;
}

export interface DialogueContext<S> {
  person: Person;
  /** Stable for one filled-in form: submitting it twice must create one record. */
  draftId: string;
  /** The messenger the person is using, for the audit trail. */
  channel: string;
  now: Date;
  services: S;
}

export interface Dialogue<S = unknown> {
  name: string;
  /** Raise when steps change meaning: drafts of an older version are restarted politely. */
  version: number;
  title: string;
  /** Words that start it, e.g. 申请容错. */
  triggers: string[];
  /** Said before the first question; a function when it depends on prefilled values. */
  intro?: string | ((values: Values) => string);
  /** A reason this person may not start it, or undefined. */
  refuse?(ctx: DialogueContext<S>): Promise<string | undefined>;
  steps: Step[];
  /** Its record prints a paper form: the summary shows 申请人 / 职务 / 申请时间 as the form will. */
  formHeader?: boolean;
  /** Saves the record and returns the receipt shown to the person. */
  submit(values: Values, ctx: DialogueContext<S>): Promise<{ receipt: OutboundMessage[]; recordRef: string }>;
}

/** Declares a step; the generic keeps the field's value type and stopIf's in step. */
export function step<V>(key: string, label: string, field: Field<V>, extras: Omit<Step<V>, 'key' | 'label' | 'field'> = {}): Step {
  return { key, label, field, ...extras } as Step;
}

export function dialogue<S>(definition: Dialogue<S>): Dialogue<S> {
  const keys = new Set<string>();
  for (const s of definition.steps) {
    if (keys.has(s.key)) throw new Error(`dialogue ${definition.name}: step ${s.key} is declared twice`);
    keys.add(s.key);
  }
  return definition;
}

/** The next step still to ask: the first that applies and has no answer yet. */
export function nextStep(d: Dialogue<unknown>, values: Values): Step | undefined {
  return d.steps.find((s) => (s.when?.(values) ?? true) && !(s.key in values));
}

/**
 * Whether the answers so far decide which steps apply: no step's `when` reads an answer still to
 * come. Until then the number of steps is not known, and is not promised.
 */
export function stepsSettled(d: Dialogue<unknown>, values: Values): boolean {
  const pending = new Set(d.steps.map((s) => s.key).filter((key) => !(key in values)));
  let readsPending = false;
  const watched = new Proxy(values, {
    get(target, key) {
      if (typeof key === 'string' && pending.has(key)) readsPending = true;
      return Reflect.get(target, key);
    },
    has(target, key) {
      if (typeof key === 'string' && pending.has(key)) readsPending = true;
      return Reflect.has(target, key);
    },
  });
  for (const s of d.steps) s.when?.(watched);
  return !readsPending;
}

/** The steps that apply to these answers, in order: what the summary lists and submit receives. */
export function applicableSteps(d: Dialogue<unknown>, values: Values): Step[] {
  return d.steps.filter((s) => s.when?.(values) ?? true);
}
