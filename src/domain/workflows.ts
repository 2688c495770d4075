import { adjustmentWorkflow } from './adjustment/definition';
import { clearanceWorkflow } from './clearance/definition';
import { filingWorkflow } from './filing/definition';
import { toleranceWorkflow } from './tolerance/definition';
import type { CaseKind, WorkflowDefinition } from './workflow/types';

/** Every chain the bot runs, declared as data: what the Workflow moves, and who reads each kind's cases. */
export const WORKFLOWS: WorkflowDefinition[] = [toleranceWorkflow, filingWorkflow, clearanceWorkflow, adjustmentWorkflow];

export function workflowOf(kind: CaseKind): WorkflowDefinition {
  return WORKFLOWS.find((d) => d.kind === kind)!;
}
