import type { Clock } from '../clock';
import { insert, type Executor } from '../storage/sql';

export interface AuditEntry {
  actorId: number | null;
  channel?: string;
  /** What happened, e.g. case.submitted, stage.approved, click.refused. */
  action: string;
  /** What it happened to, e.g. case:12. */
  subject: string;
  detail?: Record<string, unknown>;
}

/** The append-only record of every state change and every refusal: rows are never updated. */
export class AuditLog {
  constructor(private readonly clock: Clock) {}

  async append(ex: Executor, entry: AuditEntry): Promise<void> {
    await insert(ex, 'audit_log', {
      at: this.clock.now().toISOString(),
      actor_id: entry.actorId,
      channel: entry.channel ?? null,
      action: entry.action,
      subject: entry.subject,
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
    });
  }
}
