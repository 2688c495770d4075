import { dialogues } from '../../../conversations';
import { startStageDecision } from '../../bot/workflowActions';
import type { Clock } from '../../clock';
import { zoneDate } from '../../clock';
import type { Values } from '../../conversation/dialogue';
import type { FieldContext } from '../../conversation/field';
import { parseIsoDate } from '../../conversation/parse/dates';
import { SIX_LOOKS } from '../../domain/tolerance/policy';
import { stageButtons } from '../../domain/workflow/kinds';
import type { CaseRecord, StageRecord } from '../../domain/workflow/types';
import { UserFacingError } from '../../errors';
import type { Person } from '../../roster/types';
import type { Services } from '../../services';

/**
 * A decision taken on the case page is the card's: the same buttons (`wfs:<stage>:<op>`), the same
 * check that this person decides this stage now, and the same dialogue's submit, fed from the
 * page's form instead of a chat. Whichever of page and card comes second is told the stage was
 * already handled (the workflow's state check), and changes nothing.
 *
 * The page asks what one form can hold: an opinion, a question for the applicant, a reason, and a
 * finding's 六看 with its conclusion and proposed outcomes (choices shown as radio buttons and
 * check boxes, answered by number as in chat). A stage whose dialogue picks people or records a
 * meeting (a 集体会审's participants, a meeting's particulars) is done from the card, as the page says.
 */

/** The steps the page shows: free text, the 六看 of a finding, and the verdict's own steps. */
const ON_PAGE = new Set(['opinion', 'question', 'reason', ...SIX_LOOKS.map((l) => l.key), 'conclusion', 'outcomes', 'part']);
/** Steps the page answers itself: it keeps the outcomes the finding proposed (amending them is done in chat). */
const KEPT: Values = { amend: false };
/** The form's own names, never a step's. */
export const FORM_NAMES = new Set(['csrf', 'stage', 'op']);

const CHANNEL = 'web';

export interface PageField {
  key: string;
  label: string;
  prompt: string;
  hint: string;
  /** Radio buttons (one) or check boxes (several), posted as the options' numbers; a text box when absent. */
  choices?: { options: string[]; multiple: boolean };
  /** Asked only for some answers before it (the outcomes of a verdict that grants): left out otherwise. */
  conditional: boolean;
}

export interface DecisionOption {
  op: string;
  label: string;
  style?: string;
  /** The fields to fill; undefined when this button is done from the card in chat. */
  fields?: PageField[];
  /** Why the button cannot be pressed now (a 集体会审 still waiting on opinions). */
  unavailable?: string;
  /** Said under the form: what the page keeps that chat would ask about. */
  note?: string;
  /** The submit button's words when “确认<label>” would not fit (a finding's “开始核实”). */
  submit?: string;
}

const byName = new Map(dialogues.map((d) => [d.name, d]));

type Context = (values: Values) => FieldContext;

/**
 * The fields of the button's dialogue as one form, or undefined when a step it may ask is not one
 * the page can show. Each step is tried against every way the answers before it can go (each option
 * of a choice before it), so that a step asked for some answers only is shown as such.
 */
function pagePlan(dialogueName: string, prefill: Values, context: Context): { fields: PageField[]; kept: boolean } | undefined {
  const dialogue = byName.get(dialogueName);
  if (!dialogue) return undefined;
  let worlds: Values[] = [{ ...prefill }];
  const fields: PageField[] = [];
  let kept = false;
  for (const step of dialogue.steps) {
    const asked = worlds.filter((v) => step.when?.(v) ?? true);
    if (asked.length === 0) continue;
    if (step.key in KEPT) {
      kept = true;
      worlds = worlds.map((v) => ({ ...v, [step.key]: KEPT[step.key] }));
      continue;
    }
    if (!ON_PAGE.has(step.key)) return undefined;
    const choices = step.field.choicesFor?.(context(asked[0]));
    fields.push({
      key: step.key, label: step.label, prompt: step.field.prompt, hint: step.field.hint,
      ...(choices ? { choices: { options: [...choices.options], multiple: choices.multiple } } : {}),
      conditional: asked.length < worlds.length,
    });
    worlds = choices && !choices.multiple
      ? worlds.flatMap((v) => choices.options.map((o) => ({ ...v, [step.key]: o })))
      : worlds.map((v) => ({ ...v, [step.key]: '' }));
  }
  return { fields, kept };
}

const contextOf = (services: Services, person: Person, now: Date): Context => (values) => ({ person, today: parseIsoDate(zoneDate(now)), roster: services.roster, services, values });

/** The card's buttons for the person whose turn it is, each with what the page asks. */
export async function decisionOptions(services: Services, person: Person, c: CaseRecord, stage: StageRecord, now: Date): Promise<DecisionOption[]> {
  const stageDef = services.workflow.stageDefinition(c, stage);
  const options: DecisionOption[] = [];
  for (const button of stageButtons(services.workflow.definition(c.kind), stageDef, stage.id)) {
    const op = button.key.split(':')[2];
    const option: DecisionOption = { op, label: button.label, style: button.style };
    try {
      const start = await startStageDecision(services, person, CHANNEL, stage.id, op);
      const page = start && pagePlan(start.dialogue, start.prefill, contextOf(services, person, now));
      if (page) {
        option.fields = page.fields;
        if (stageDef.kind === 'finding' && op === 'decide') option.submit = '提交核实情况和认定意见';
        if (page.kept) option.note = '将按纪（工）委建议的处理方式办理；如需调整处理方式，请点击企业微信或钉钉中卡片上的按钮办理。';
      }
    } catch (error) {
      if (!(error instanceof UserFacingError)) throw error;
      option.unavailable = error.message;
    }
    options.push(option);
  }
  return options;
}

export type DecisionOutcome = { done: string } | { invalid: Record<string, string> };

/** Records the decision typed on the page; a stage already handled throws the workflow's UserFacingError. */
export async function decideOnPage(services: Services, clock: Clock, person: Person, stageId: number, op: string, form: URLSearchParams): Promise<DecisionOutcome> {
  const start = await startStageDecision(services, person, CHANNEL, stageId, op);
  if (!start) throw new UserFacingError('这个按钮已失效。');
  const now = clock.now();
  const context = contextOf(services, person, now);
  const page = pagePlan(start.dialogue, start.prefill, context);
  const dialogue = byName.get(start.dialogue);
  if (!page || !dialogue) throw new UserFacingError('这一项需要逐项填写，请点击企业微信或钉钉中卡片上的按钮办理。');
  const shown = new Map(page.fields.map((f) => [f.key, f]));
  // In the dialogue's order, as chat asks: a step left out by the answers before it is not read.
  const values: Values = { ...start.prefill };
  const invalid: Record<string, string> = {};
  for (const step of dialogue.steps) {
    if (!(step.when?.(values) ?? true)) continue;
    if (step.key in KEPT) {
      values[step.key] = KEPT[step.key];
      continue;
    }
    const field = shown.get(step.key)!;
    const answer = field.choices?.multiple ? form.getAll(step.key).join('、') : (form.get(step.key) ?? '');
    // Chat's “请回复序号” would puzzle someone looking at check boxes.
    if (field.choices && answer === '') {
      invalid[step.key] = field.choices.multiple ? '请至少勾选一项。' : '请选择一项。';
      continue;
    }
    const parsed = await step.field.parse({ kind: 'text', text: answer.slice(0, 5000) }, context(values), undefined);
    if (parsed.ok === true) values[step.key] = parsed.value;
    else invalid[step.key] = parsed.ok === false ? parsed.error : step.field.hint;
  }
  if (Object.keys(invalid).length > 0) return { invalid };
  const { receipt } = await dialogue.submit(values, { person, draftId: `web:wfs:${stageId}:${op}`, channel: CHANNEL, now, services });
  return { done: receipt.map((m) => (m.kind === 'text' ? m.text : '')).filter(Boolean).join('\n') };
}
