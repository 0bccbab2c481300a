import type { MailContent } from './mail-layout.js';

export type Channel = 'email' | 'inbox';

/** Who a message is for. */
export type Audience =
  /** The unit's head and members (each by e-mail and in the inbox); without any, its contact address. */
  | { unitId: string }
  /** These accounts, each by e-mail and in the inbox. */
  | { userIds: readonly string[] };

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
}
