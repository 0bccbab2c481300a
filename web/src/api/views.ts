/**
 * Response shapes the server's OpenAPI document does not describe yet (its handlers declare no
 * response type, or declare nested objects without their fields). Each mirrors what the named
 * server code returns; when the server documents one, regenerate the client and delete it here.
 */
import type { components } from './schema';
import type { Role, SessionUser } from '../auth/session';

type Schemas = components['schemas'];

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** TaskViewDto, with the fields of `item` and `unit` (src/tasks/tasks.service.ts TaskView). */
export type TaskView = Omit<Schemas['TaskViewDto'], 'item' | 'unit'> & {
  item: { id: string; number: number; title: string };
  unit: { id: string; name: string };
};

/** POST /auth/login (src/auth/auth.service.ts). */
export interface LoginResult {
  accessToken: string;
  expiresIn: number;
  user: SessionUser;
}

export interface ParseWarning {
  line: number;
  message: string;
}

export interface DeadlineHint {
  text: string;
  date: string;
}

/** A plan row (src/plans/plan.entity.ts). */
export interface PlanView {
  id: string;
  title: string;
  docNumber: string | null;
  issuer: string | null;
  issuedOn: string | null;
  year: number;
  sourceName: string;
  reminderPolicy: { offsets: string[]; sendAt: string } | null;
  warnings: ParseWarning[];
  importedAt: string;
}

export interface ItemView {
  id: string;
  planId: string;
  sectionId: string;
  ordinal: number;
  number: number;
  title: string;
  body: string;
  allUnits: boolean;
  deadlineHints: DeadlineHint[];
}

/** GET /plans/{id} (src/plans/plans.service.ts get). */
export interface PlanDetail {
  plan: PlanView;
  sections: {
    id: string;
    planId: string;
    ordinal: number;
    title: string | null;
    items: ItemView[];
  }[];
}

/** POST /plans/import (src/plans/plans.service.ts ImportResult). */
export interface ImportResult {
  planId: string;
  created: boolean;
  message: string;
  title: string;
  year: number;
  counts: { sections: number; items: number; units: number; tasks: number };
  warnings: ParseWarning[];
}

export interface UnitView {
  id: string;
  name: string;
  email: string | null;
  /** 分管局领导 (a user with role leader), or null. */
  leaderId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  unitId: string | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** GET /notifications (src/notifications/notifications.service.ts InboxItem). */
export interface InboxItem {
  id: string;
  kind: string;
  taskId: string | null;
  subject: string | null;
  body: string | null;
  createdAt: string;
  readAt: string | null;
}

/** GET /audit (src/audit/audit.service.ts AuditRecord). */
export interface AuditRecord {
  id: string;
  at: string;
  actorId: string | null;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
}

export interface CreatedToken {
  id: string;
  name: string;
  token: string;
}

export type SubmissionView = Schemas['SubmissionViewDto'];
export type ExtensionRequestView = Schemas['ExtensionRequestViewDto'];
export type MilestoneView = Schemas['MilestoneViewDto'];
export type PlanProgress = Schemas['PlanProgressDto'];
export type SectionProgress = Schemas['SectionProgressDto'];
export type OutboxEntry = Schemas['OutboxEntryDto'];
export type OutboxMessage = Schemas['OutboxMessageDto'];
export type ReminderPreview = Schemas['ReminderPreviewResultDto'];

/** POST /plans/import?dryRun=true (src/plans/plans.service.ts ImportPreview). */
export interface ImportPreview {
  dryRun: true;
  /** new: would be imported; already-imported: would change nothing; conflict: would answer 409. */
  status: 'new' | 'already-imported' | 'conflict';
  existingPlanId: string | null;
  message: string;
  plan: {
    title: string;
    docNumber: string | null;
    issuer: string | null;
    issuedOn: string | null;
    year: number | null;
  };
  sections: {
    ordinal: number;
    title: string | null;
    items: {
      number: number;
      title: string;
      body: string;
      units: string[];
      allUnits: boolean;
      dueDate: string;
      deadlineHints: DeadlineHint[];
      tasks: number;
    }[];
  }[];
  units: { name: string; known: boolean }[];
  counts: { sections: number; items: number; tasks: number; units: number; newUnits: number };
  warnings: ParseWarning[];
}

export type PreviewItem = ImportPreview['sections'][number]['items'][number];

/** GET /auth/tokens (src/auth/auth.service.ts ApiTokenView). */
export interface ApiTokenView {
  id: string;
  name: string;
  scopes: ('read' | 'write')[];
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  status: 'active' | 'expired' | 'revoked';
}

/** POST /users/{id}/password-reset (src/users/users.service.ts resetPassword). */
export interface PasswordReset {
  temporaryPassword: string;
  mustChangePassword: boolean;
}

/** GET /notifications/ledger (src/notifications/ledger.service.ts LedgerEntry). */
export interface LedgerEntry {
  id: string;
  kind: string;
  channel: string;
  taskId: string | null;
  milestoneId: string | null;
  userId: string | null;
  recipient: string | null;
  subject: string | null;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';
  /** Why it was skipped, or the last delivery error. */
  reason: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  /** Failed with no automatic retry left. */
  deadLetter: boolean;
  messageId: string | null;
  createdAt: string;
  sentAt: string | null;
  updatedAt: string | null;
}

/** GET /units/{id}/webhooks (src/notifications/unit-webhooks.service.ts UnitWebhookView). */
export interface WebhookView {
  id: string;
  unitId: string;
  kind: 'wecom' | 'dingtalk';
  kindLabel: string;
  /** Masked: the secret part of the address is never shown again. */
  url: string;
  hasSecret: boolean;
  enabled: boolean;
  createdAt: string;
}

/** POST /webhooks/{id}/test. */
export interface WebhookTestResult {
  ok: boolean;
  error: string | null;
}

/** GET /me/notification-preferences (src/notifications/preferences.service.ts Preference). */
export interface PreferenceView {
  kind: string;
  label: string;
  channel: 'email' | 'inbox';
  enabled: boolean;
  /** Cannot be switched off (红牌督办). */
  mandatory: boolean;
}

/** GET /calendar/{year} (src/calendar/calendar-admin.service.ts YearView). */
export interface CalendarYear {
  year: number;
  /** built-in: shipped with Duban; admin: entered by an admin; none: Monday–Friday assumed. */
  source: 'built-in' | 'admin' | 'none';
  holidays: { date: string; name: string }[];
  workdays: { date: string; name: string }[];
}

/** PUT /calendar/{year} body (src/calendar/calendar-schedule.ts YearScheduleInput). */
export interface CalendarSchedule {
  holidays: { name: string; from: string; to?: string }[];
  workdays: { name: string; date: string }[];
}

/** The item and unit of a queued report's or request's task (TaskSummaryDto's nested objects). */
interface TaskSummaryRefs {
  item: { number: number; title: string };
  unit: { id: string; name: string };
}

/** GET /submissions?status=submitted: the approval queue, oldest first. */
export type QueuedSubmission = Omit<Schemas['QueuedSubmissionDto'], 'task'> & {
  task: Omit<Schemas['TaskSummaryDto'], 'item' | 'unit'> & TaskSummaryRefs;
};

/** GET /extension-requests?status=pending: requests waiting for a decision, oldest first. */
export type QueuedExtensionRequest = Omit<Schemas['QueuedExtensionRequestDto'], 'task'> & {
  task: Omit<Schemas['ExtensionTaskSummaryDto'], 'item' | 'unit'> & TaskSummaryRefs;
};
