import { dialogues } from '../../../conversations';
import { startStageDecision } from '../../bot/workflowActions';
import type { Clock } from '../../clock';
import { zoneDate } from '../../clock';
import type { Step, Values } from '../../conversation/dialogue';
import { parseIsoDate } from '../../conversation/parse/dates';
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
 * The page asks what can be typed in one go — an opinion, a question for the applicant, a reason.
 * A stage whose dialogue walks through more (a finding's 六看, a 集体会审's participants, a
 * meeting's particulars) is done from the card, as the page says.
 */

/** The steps the page shows as a text box: a dialogue's free text. */
const TYPED = new Set(['opinion', 'question', 'reason']);
/** Steps the page answers itself: it keeps the outcomes the finding proposed (amending them is done in chat). */
const KEPT: Values = { amend: false };

const CHANNEL = 'web';

export interface PageField {
  key: string;
  label: string;
  prompt: string;
  hint: string;
}

export interface DecisionOption {
  op: string;
  label: string;
  style?: string;
  /** The text boxes to fill; undefined when this button is done from the card in chat. */
  fields?: PageField[];
  /** Why the button cannot be pressed now (a 集体会审 still waiting on opinions). */
  unavailable?: string;
  /** Said under the form: what the page keeps that chat would ask about. */
  note?: string;
}

const byName = new Map(dialogues.map((d) => [d.name, d]));

/** The steps of the button's dialogue the page fills, or undefined when it cannot fill them all. */
function pageSteps(dialogueName: string, prefill: Values): { steps: Step[]; values: Values; kept: boolean } | undefined {
  const dialogue = byName.get(dialogueName);
  if (!dialogue) return undefined;
  const values: Values = { ...prefill };
  const steps: Step[] = [];
  let kept = false;
  for (const step of dialogue.steps) {
    if (!(step.when?.(values) ?? true)) continue;
    if (step.key in KEPT) {
      values[step.key] = KEPT[step.key];
      kept = true;
    } else if (TYPED.has(step.key)) {
      steps.push(step);
      values[step.key] = '';
    } else {
      return undefined;
    }
  }
  return { steps, values: { ...prefill, ...Object.fromEntries(Object.entries(KEPT).filter(([k]) => k in values)) }, kept };
}

/** The card's buttons for the person whose turn it is, each with what the page asks. */
export async function decisionOptions(services: Services, person: Person, c: CaseRecord, stage: StageRecord): Promise<DecisionOption[]> {
  const stageDef = services.workflow.stageDefinition(c, stage);
  const options: DecisionOption[] = [];
  for (const button of stageButtons(services.workflow.definition(c.kind), stageDef, stage.id)) {
    const op = button.key.split(':')[2];
    const option: DecisionOption = { op, label: button.label, style: button.style };
    try {
      const start = await startStageDecision(services, person, CHANNEL, stage.id, op);
      const page = start && pageSteps(start.dialogue, start.prefill);
      if (page) {
        option.fields = page.steps.map((s) => ({ key: s.key, label: s.label, prompt: s.field.prompt, hint: s.field.hint }));
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
  const page = pageSteps(start.dialogue, start.prefill);
  const dialogue = byName.get(start.dialogue);
  if (!page || !dialogue) throw new UserFacingError('这一项需要逐项填写，请点击企业微信或钉钉中卡片上的按钮办理。');
  const now = clock.now();
  const values = page.values;
  const invalid: Record<string, string> = {};
  for (const step of page.steps) {
    const parsed = await step.field.parse(
      { kind: 'text', text: (form.get(step.key) ?? '').slice(0, 5000) },
      { person, today: parseIsoDate(zoneDate(now)), roster: services.roster, services, values },
      undefined,
    );
    if (parsed.ok === true) values[step.key] = parsed.value;
    else invalid[step.key] = parsed.ok === false ? parsed.error : step.field.hint;
  }
  if (Object.keys(invalid).length > 0) return { invalid };
  const { receipt } = await dialogue.submit(values, { person, draftId: `web:wfs:${stageId}:${op}`, channel: CHANNEL, now, services });
  return { done: receipt.map((m) => (m.kind === 'text' ? m.text : '')).filter(Boolean).join('\n') };
}
