/** What several dialogues of conversations/ do alike: who may start them, and recording a stage’s decision. */
import type { OutboundMessage } from '../channels/port';
import type { StageEntry } from '../domain/workflow/record';
import type { Role } from '../roster/types';
import type { Services } from '../services';
import type { DialogueContext } from './dialogue';

/** A dialogue's `refuse` for what one role does: anyone else is told `refusal` (who does it, and what they can do instead). */
export function onlyFor(role: Role, refusal: string) {
  return async ({ person, services }: DialogueContext<Services>): Promise<string | undefined> =>
    (await services.roster.holdsAnyRole(person.id, role)) ? undefined : refusal;
}

/** What a stage's card prefills in the dialogue that decides it: the stage, and the case it belongs to. */
export interface StagePrefill {
  stageId: number;
  caseNumber: string;
}

/**
 * Records what a stage's dialogue concluded as that stage's entry, by the person answering; the
 * receipt is what the workflow says of it (the next approver, the 批复), the draft's record the case.
 */
export async function decideStage(
  values: StagePrefill,
  { person, channel, services }: DialogueContext<Services>,
  entry: StageEntry,
): Promise<{ receipt: OutboundMessage[]; recordRef: string }> {
  const message = await services.workflow.decide({ stageId: values.stageId, actor: person, entry, channel });
  return { recordRef: values.caseNumber, receipt: [{ kind: 'text', text: message }] };
}
