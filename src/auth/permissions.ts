/**
 * Who may do what, in one place. Pure: no Nest, no database. Every controller and service asks
 * `can` (through Authorizer) before acting; the permission test walks every role × action.
 */
export const ROLES = ['admin', 'leader', 'supervisor', 'unit_head', 'unit_member'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: '系统管理员',
  leader: '局领导',
  supervisor: '督导室',
  unit_head: '科室负责人',
  unit_member: '科室联络员',
};

export interface Actor {
  userId: string;
  role: Role;
  unitId: string | null;
  name: string;
}

export const ACTIONS = [
  'plan.read',
  'plan.import',
  'plan.policy',
  'unit.read',
  'unit.contact.read',
  'unit.update',
  'user.read',
  'user.manage',
  'task.read',
  'task.acknowledge',
  'task.start',
  'task.submit',
  'task.assign',
  'task.close',
  'task.cancel',
  'task.reopen',
  'task.nudge',
  'submission.read',
  'submission.decide',
  'milestone.read',
  'milestone.manage',
  'milestone.complete',
  'extension.read',
  'extension.request',
  'extension.decide',
  'audit.read',
  'delivery.read',
  'delivery.retry',
  'calendar.manage',
  'cycle.read',
  'cycle.manage',
  'cycle.rate',
  'cycle.results.read',
  'cycle.report',
  'digest.read',
  'digest.leaders.read',
  'plan.ledger.read',
  'unit.calendar_feed',
] as const;
export type Action = (typeof ACTIONS)[number];

/** What the action is done to, when it matters: the unit owning the task. */
export interface Target {
  unitId?: string | null;
}

type Rule = (actor: Actor, target: Target) => boolean;

const anyone: Rule = () => true;
const roles =
  (...allowed: Role[]): Rule =>
  (actor) =>
    allowed.includes(actor.role);
const isUnitRole = (actor: Actor) => actor.role === 'unit_head' || actor.role === 'unit_member';
/** A unit's own people, acting for their unit's tasks only. */
const ownUnit: Rule = (actor, target) =>
  isUnitRole(actor) &&
  actor.unitId !== null &&
  target.unitId !== undefined &&
  target.unitId === actor.unitId;
/** Everyone who oversees reads everything; a unit reads its own. */
const readTask: Rule = (actor, target) =>
  actor.role === 'admin' ||
  actor.role === 'leader' ||
  actor.role === 'supervisor' ||
  ownUnit(actor, target);
const supervisor = roles('supervisor');

const RULES: Record<Action, Rule> = {
  'plan.read': anyone,
  'plan.import': roles('admin', 'supervisor'),
  'plan.policy': supervisor,
  'unit.read': anyone,
  /** A unit's contact mailbox: overseers see every unit's, a unit's people only their own. */
  'unit.contact.read': readTask,
  'unit.update': roles('admin', 'supervisor'),
  'user.read': roles('admin', 'leader', 'supervisor'),
  'user.manage': roles('admin'),
  'task.read': readTask,
  'task.acknowledge': ownUnit,
  'task.start': ownUnit,
  'task.submit': ownUnit,
  'task.assign': supervisor,
  'task.close': supervisor,
  'task.cancel': supervisor,
  'task.reopen': supervisor,
  'task.nudge': supervisor,
  'submission.read': readTask,
  'submission.decide': supervisor,
  'milestone.read': readTask,
  'milestone.manage': (actor, target) =>
    actor.role === 'supervisor' || (actor.role === 'unit_head' && ownUnit(actor, target)),
  /** Marking a milestone done (or open again): the unit's own people, or a supervisor. */
  'milestone.complete': (actor, target) => actor.role === 'supervisor' || ownUnit(actor, target),
  'extension.read': readTask,
  'extension.request': ownUnit,
  'extension.decide': supervisor,
  'audit.read': roles('admin', 'leader', 'supervisor'),
  /** The delivery ledger: every message and its delivery state. */
  'delivery.read': roles('admin', 'leader', 'supervisor'),
  'delivery.retry': roles('admin', 'supervisor'),
  /** Entering an official holiday schedule. */
  'calendar.manage': roles('admin'),
  /** Supervision review cycles (督导): everyone sees the cycles; a unit sees its own reports. */
  'cycle.read': readTask,
  /** Creating, opening, editing and closing cycles and their cadences. */
  'cycle.manage': roles('admin', 'supervisor'),
  /** Rating (好/较好/一般/差) or returning a unit's cycle report. */
  'cycle.rate': supervisor,
  /** Results by unit and section, and the 通报 bulletin draft. */
  'cycle.results.read': roles('admin', 'leader', 'supervisor'),
  /** Reporting to a cycle, for the unit's own tasks. */
  'cycle.report': ownUnit,
  /** A unit's weekly digest: overseers preview any unit's, a unit's people their own. */
  'digest.read': readTask,
  /** The leaders' plan-wide digest. */
  'digest.leaders.read': roles('admin', 'leader', 'supervisor'),
  /** The progress ledger (.xlsx); a unit's people get their own unit's rows only. */
  'plan.ledger.read': anyone,
  /** Creating or replacing a unit's secret calendar-feed address: the admin or the unit's head. */
  'unit.calendar_feed': (actor, target) =>
    actor.role === 'admin' || (actor.role === 'unit_head' && ownUnit(actor, target)),
};

export function can(actor: Actor, action: Action, target: Target = {}): boolean {
  return RULES[action](actor, target);
}

/** Unit roles see only their unit's tasks in lists; null = no restriction. */
export function visibleUnit(actor: Actor): string | null {
  return isUnitRole(actor) ? actor.unitId : null;
}
