import type { MailContent } from './mail-layout.js';

export type Channel = 'email' | 'inbox' | 'webhook';

/** The channels a person can switch kinds of message off on. */
export type PersonalChannel = 'email' | 'inbox';

export type UnitRole = 'unit_head' | 'unit_member';
export type StaffRole = 'admin' | 'leader' | 'supervisor';

/** Who a message is for. */
export type Audience =
  /**
   * A unit: its people (each by e-mail and in the inbox) — only those with `unitRoles` when given,
   * falling back to all of them when the unit has nobody in those roles — or, without any
   * account, its contact address; and the unit's group-robot webhooks unless `webhooks` is false.
   */
  | { unitId: string; unitRoles?: readonly UnitRole[]; webhooks?: boolean }
  /** These accounts, each by e-mail and in the inbox. */
  | { userIds: readonly string[] }
  /** Everyone active in these roles, and these accounts. */
  | { roles: readonly StaffRole[]; userIds?: readonly string[] };

/**
 * One event's message, before it is expanded into one outbox row per recipient and channel. Its
 * content is fixed here, when the message is decided, and stored with every row.
 */
export interface OutboxMessage {
  /** e.g. 'reminder', 'milestone.reminder', 'submission.returned', 'nudge'. */
  kind: string;
  /** Identity of the event; each row's key adds the recipient and the channel. */
  dedupeKey: string;
  taskId: string | null;
  milestoneId?: string | null;
  occurrenceId?: string | null;
  audience: Audience;
  content: MailContent;
  /** When the message was due (a reminder's planned time); default: now. Lag is measured from it. */
  scheduledFor?: Date | null;
  /** A message no one can switch off (a red card): personal preferences do not apply. */
  mandatory?: boolean;
}
