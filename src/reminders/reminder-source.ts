import type { EntityManager } from 'typeorm';
import type { Audience, OutboxMessage } from '../notifications/outbox-message.js';

/**
 * Where reminders come from. Each source plans occurrences for its subjects (a task's deadline, a
 * milestone's date, …) and, when one fires, says what to send. Everything else — storing the
 * plan, queuing what falls due soon, firing exactly once, catching up after an outage without a
 * storm, delivering — is the scheduler's and the outbox's, the same for every source.
 */
export const REMINDER_SOURCES = [
  'task.deadline',
  'milestone.deadline',
  'task.escalation',
  'cycle.due',
] as const;
export type ReminderSourceName = (typeof REMINDER_SOURCES)[number];

/** One reminder planned for a subject. */
export interface PlannedOccurrence {
  /** Unique per subject and source; stable for the same reminder of the same deadline. */
  key: string;
  fireAt: Date;
  /** What the source needs to recognise the occurrence when it fires (JSON). */
  detail: Record<string, unknown>;
}

/** The whole plan of one subject: replaces whatever was scheduled for it before. */
export interface SubjectPlan {
  subjectId: string;
  taskId: string | null;
  milestoneId: string | null;
  /** Occurrences due before this instant are recorded as skipped, never sent. */
  plannedAt: Date;
  /** Empty when the subject needs no reminders (now). */
  occurrences: readonly PlannedOccurrence[];
}

/** An occurrence being fired, as stored. */
export interface FiringOccurrence {
  id: string;
  source: ReminderSourceName;
  subjectId: string;
  taskId: string | null;
  milestoneId: string | null;
  key: string;
  fireAt: Date;
  detail: Record<string, unknown>;
}

export type FireResult =
  /**
   * Messages to write to the outbox in the firing transaction; `next`: occurrences of the same
   * subject to add to its plan (a series that plans one step at a time).
   */
  | { kind: 'messages'; messages: OutboxMessage[]; next?: PlannedOccurrence[] }
  /** The occurrence no longer applies (the subject changed); it is recorded as cancelled. */
  | { kind: 'stale'; reason: string }
  /** It applies but nothing can be sent (e.g. no recipient); recorded as skipped with the reason. */
  | { kind: 'skipped'; reason: string };

/** The task an occurrence is about, as far as deciding its recipients needs. */
export interface OccurrenceTarget {
  unitId: string;
  /** The leader in charge of the unit, if one is set. */
  leaderId: string | null;
}

/** What an occurrence sends when it fires, and why — the same answer firing uses. */
export interface OccurrenceMessage {
  kind: string;
  audience: Audience;
  mandatory?: boolean;
  /** Why it fires, in words (e.g. “截止前 2 个工作日提醒”). */
  why: string;
}

export interface ReminderSource {
  readonly name: ReminderSourceName;
  /**
   * Without reading or writing anything: the message a still-valid occurrence sends, for the
   * schedule preview. `fire` takes kind and audience from here, so the preview cannot drift.
   */
  describe(
    occurrence: Pick<FiringOccurrence, 'detail'>,
    target: OccurrenceTarget,
  ): OccurrenceMessage;
  /** Inside the firing transaction: re-reads the subject and decides what to send. */
  fire(m: EntityManager, occurrence: FiringOccurrence, now: Date): Promise<FireResult>;
  /**
   * Plans of subjects that need reminders but have none stored (a database upgraded from before
   * occurrences were stored). Called once at start-up when the occurrence table is empty.
   */
  backfill(m: EntityManager, now: Date): Promise<SubjectPlan[]>;
}

export const SKIP_REASON = {
  pastWhenScheduled: '提醒时间在设定截止时间时已过，未发送',
  superseded: '服务停机期间错过，已由更晚的提醒代替',
  noRecipient: '责任单位没有联系人，也未设置联系邮箱',
  replanned: '截止时间、提醒策略或任务状态已变更，按新的计划提醒',
} as const;
