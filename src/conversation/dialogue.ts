import type { OutboundMessage } from '../channels/port';
import type { Person } from '../roster/types';
import type { Field } from './field';

export type Values = Record<string, unknown>;

/**
 * One question of a dialogue. `K` is its key and `V` its field's value; `M` says whether submit
 * may receive null for it (a step asked only sometimes, or one the person may skip).
 */
export interface Step<K extends string = string, V = unknown, M extends boolean = boolean> {
  key: K;
  /** How the summary card names this answer. */
  label: string;
  field: Field<V>;
  /** Asked only when this holds for the answers so far. */
  when?: (values: Values) => boolean;
  /** The policy text this step comes from; 帮助 quotes it. */
  basis?: string;
  /** Ends the dialogue right after this answer, with this explanation, when it returns one. */
  stopIf?(value: V, values: Values): string | undefined;
  /** Type only: whether the answer may be missing (never set at run time). */
  readonly maybe?: M;
}

/**
 * The answers a dialogue's steps give, by key, each of its field's type (null where the step was
 * not asked or was skipped): what `submit` receives, so that a renamed step or a changed field
 * is a compile error in the dialogue, not a surprise at run time.
 */
export type Answers<T extends readonly Step[]> = {
  [S in T[number] as S['key']]: S extends Step<string, infer V, infer M> ? (true extends M ? V | null : V) : never;
};

export interface DialogueContext<S> {
  person: Person;
  /** Stable for one filled-in form: submitting it twice must create one record. */
  draftId: string;
  /** The messenger the person is using, for the audit trail. */
  channel: string;
  now: Date;
  services: S;
}

/**
 * A dialogue as declared: `P` is what the card or command that starts it prefills (the case a
 * decision is about), `T` its steps; submit receives both, typed.
 */
export interface DialogueDefinition<S, P extends object, T extends readonly Step[]> {
  name: string;
  /** Raise when steps change meaning: drafts of an older version are restarted politely. */
  version: number;
  title: string;
  /** Words that start it, e.g. 申请容错. */
  triggers: string[];
  /** Said before the first question; a function when it depends on prefilled values. */
  intro?: string | ((values: P) => string);
  /** A reason this person may not start it, or undefined. */
  refuse?(ctx: DialogueContext<S>): Promise<string | undefined>;
  steps: T;
  /** Its record prints a paper form: the summary shows 申请人 / 职务 / 申请时间 as the form will. */
  formHeader?: boolean;
  /** Saves the record and returns the receipt shown to the person. */
  submit(values: Answers<T> & P, ctx: DialogueContext<S>): Promise<{ receipt: OutboundMessage[]; recordRef: string }>;
}

/** A dialogue as the engine runs it: its answers are whatever its own steps produced. */
export interface Dialogue<S = unknown> extends Omit<DialogueDefinition<S, Values, readonly Step[]>, 'intro' | 'submit'> {
  intro?: string | ((values: Values) => string);
  submit(values: Values, ctx: DialogueContext<S>): Promise<{ receipt: OutboundMessage[]; recordRef: string }>;
}

type Extras<V> = Omit<Step<string, V>, 'key' | 'label' | 'field' | 'maybe'>;

/** Declares a step; its key, its field's value, and whether it may be missing are kept in its type. */
export function step<const K extends string, V>(key: K, label: string, field: Field<V> & { optional: true }, extras?: Extras<V>): Step<K, V, true>;
export function step<const K extends string, V>(key: K, label: string, field: Field<V>, extras: Extras<V> & { when: Step['when'] & {} }): Step<K, V, true>;
export function step<const K extends string, V>(key: K, label: string, field: Field<V>, extras?: Extras<V>): Step<K, V, false>;
export function step<K extends string, V>(key: K, label: string, field: Field<V>, extras: Extras<V> = {}): Step<K, V> {
  return { key, label, field, ...extras };
}

/**
 * Declares a dialogue: `dialogue<Services, Prefill>()({ ... })`. Curried so that the steps' types
 * are inferred while the services and the prefilled values are named.
 */
export function dialogue<S, P extends object = Values>() {
  return <const T extends readonly Step[]>(definition: DialogueDefinition<S, P, T>): Dialogue<S> => {
    const keys = new Set<string>();
    for (const s of definition.steps) {
      if (keys.has(s.key)) throw new Error(`dialogue ${definition.name}: step ${s.key} is declared twice`);
      keys.add(s.key);
    }
    // The engine hands submit what these steps produced and what the starting card prefilled:
    // the one place where the loose draft becomes the declared answers.
    return definition as unknown as Dialogue<S>;
  };
}

/**
 * A step's answer among the draft's values, typed by the step itself: what a later step's
 * listing or check reads, so that renaming the step it depends on cannot leave it reading nothing.
 */
export function answerOf<V>(values: Values, s: Step<string, V>): V | undefined {
  return values[s.key] as V | undefined;
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
