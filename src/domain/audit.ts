import type { Clock } from '../clock';
import { NotAllowedError } from '../errors';
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

/** Someone was refused something: the action names what, and ends in `.refused`. */
export interface Refusal extends AuditEntry {
  actorId: number;
  channel: string;
  action: `${string}.refused`;
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

  /**
   * Writes a refusal's line and returns the error that tells the person why, to be thrown. Pass
   * the database itself, not a transaction the throw is about to roll back along with the line.
   */
  async refusal(ex: Executor, entry: Refusal, message: string): Promise<NotAllowedError> {
    await this.append(ex, entry);
    return new NotAllowedError(message);
  }
}

/** Refusals written straight to the database: for the chat actions, which hold no transaction. */
export class Refusals {
  constructor(
    private readonly db: Executor,
    private readonly audit: AuditLog,
  ) {}

  record(entry: Refusal): Promise<void> {
    return this.audit.append(this.db, entry);
  }

  refuse(entry: Refusal, message: string): Promise<NotAllowedError> {
    return this.audit.refusal(this.db, entry, message);
  }
}
