import { Inject, Injectable } from '@nestjs/common';
import { describeDeadline } from '../calendar/business-time.js';
import { WorkingCalendar } from '../calendar/working-calendar.js';
import { APP_CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import type { EntityManager } from '../database/transactor.js';
import type { OutboxMessage } from '../notifications/outbox-message.js';
import { offsetInWords, parseOffset } from '../reminders/reminder-policy.js';
import { deadlineOccurrences } from '../reminders/reminder-schedule.js';
import type {
  FireResult,
  FiringOccurrence,
  OccurrenceMessage,
  OccurrenceTarget,
  ReminderSource,
  SubjectPlan,
} from '../reminders/reminder-source.js';
import { cycleReminderContent } from './cycle-mail.js';
import { type Cycle, CyclesRepository, type RequestedTask } from './cycles.repository.js';

/**
 * Reminders before a review cycle is due, to every unit that still owes a report (none yet, or
 * its report was returned), by the cycle's offsets (working days before the due date, at 09:00).
 */
@Injectable()
export class CycleDueSource implements ReminderSource {
  readonly name = 'cycle.due' as const;

  constructor(
    private readonly repo: CyclesRepository,
    private readonly calendar: WorkingCalendar,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The plan of a cycle: its reminders while it is open, else none. */
  plan(
    cycle: Pick<Cycle, 'id' | 'status' | 'dueAt' | 'reminderOffsets'>,
    plannedAt: Date,
  ): SubjectPlan {
    return {
      subjectId: cycle.id,
      taskId: null,
      milestoneId: null,
      plannedAt,
      occurrences:
        cycle.status === 'open' && cycle.reminderOffsets.length > 0
          ? deadlineOccurrences(
              cycle.dueAt,
              { offsets: cycle.reminderOffsets, sendAt: '09:00' },
              this.calendar,
              this.config.businessTz,
            )
          : [],
    };
  }

  /** A cycle reminder goes to each unit that still owes a report (one message per unit). */
  describe(
    occurrence: Pick<FiringOccurrence, 'detail'>,
    target: OccurrenceTarget,
  ): OccurrenceMessage {
    return {
      kind: 'cycle.reminder',
      audience: { unitId: target.unitId },
      why: `督导报送${offsetInWords(parseOffset(String(occurrence.detail.offset)))}提醒`,
    };
  }

  async fire(m: EntityManager, occurrence: FiringOccurrence): Promise<FireResult> {
    const cycle = await this.repo.find(m, occurrence.subjectId);
    if (!cycle || cycle.status !== 'open') return { kind: 'stale', reason: '督导周期已结束' };
    if (cycle.dueAt.toISOString() !== occurrence.detail.dueAt) {
      return { kind: 'stale', reason: '截止时间已变更' };
    }
    const owed = (await this.repo.requestedTasks(m, cycle.id)).filter((t) => t.owed);
    if (owed.length === 0) return { kind: 'skipped', reason: '各单位均已报送' };
    const plan = await this.repo.plan(m, cycle.planId);
    const offset = parseOffset(String(occurrence.detail.offset));
    const byUnit = new Map<string, RequestedTask[]>();
    for (const t of owed) {
      let list = byUnit.get(t.unitId);
      if (!list) byUnit.set(t.unitId, (list = []));
      list.push(t);
    }
    const messages: OutboxMessage[] = [...byUnit.values()].map((list) => ({
      kind: this.describe(occurrence, { unitId: list[0].unitId, leaderId: null }).kind,
      dedupeKey: `cycle.reminder:${occurrence.id}:${list[0].unitId}`,
      taskId: null,
      occurrenceId: occurrence.id,
      audience: { unitId: list[0].unitId },
      content: cycleReminderContent({
        planTitle: plan?.title ?? '',
        cycleTitle: cycle.title,
        unitName: list[0].unitName,
        due: describeDeadline(cycle.dueAt, this.config.businessTz),
        tasks: list,
        workdaysLeft: offset.kind === 'workdays' ? -offset.workdays : null,
        link: { label: '在督办系统中报送', url: `${this.config.publicUrl}/cycles/${cycle.id}` },
      }),
    }));
    return { kind: 'messages', messages };
  }

  async backfill(m: EntityManager, now: Date): Promise<SubjectPlan[]> {
    const open = await this.repo.openCycles(m);
    return open.map((c) => this.plan(c, now));
  }
}
