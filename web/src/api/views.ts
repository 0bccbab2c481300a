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
