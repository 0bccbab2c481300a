import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/permissions.js';
import { InvalidInputException, NotFoundError } from '../common/errors.js';
import { type EntityManager, Transactor } from '../database/transactor.js';
import { PolicyValidationError } from '../reminders/reminder-policy.js';
import { ReminderScheduler } from '../reminders/reminder-scheduler.service.js';
import {
  DEFAULT_ESCALATION_LADDER,
  type EscalationLadder,
  parseEscalationLadder,
} from './escalation-ladder.js';
import { EscalationSource } from './escalation.source.js';
import { EscalationsRepository } from './escalations.repository.js';

export interface LadderView {
  ladder: EscalationLadder;
  /** True when the default ladder applies (nothing set). */
  isDefault: boolean;
}

function parse(input: unknown): EscalationLadder {
  try {
    return parseEscalationLadder(input);
  } catch (error) {
    if (error instanceof PolicyValidationError) {
      throw new InvalidInputException(error.message, [
        { field: error.field, message: error.message },
      ]);
    }
    throw error;
  }
}

/** The escalation ladder of a plan and of single items, and re-planning after a change. */
@Injectable()
export class EscalationsService {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: EscalationsRepository,
    private readonly source: EscalationSource,
    private readonly scheduler: ReminderScheduler,
    private readonly audit: AuditService,
  ) {}

  async planLadder(planId: string): Promise<LadderView> {
    const ladder = await this.repo.planLadder(this.tx.manager, planId);
    if (ladder === undefined) throw new NotFoundError(`工作要点 ${planId} 不存在`);
    return { ladder: ladder ?? DEFAULT_ESCALATION_LADDER, isDefault: ladder === null };
  }

  /** Sets a plan's ladder (null: back to the default) and re-plans its waiting tasks' escalation. */
  async setPlanLadder(actor: Actor, planId: string, input: unknown): Promise<LadderView> {
    const ladder = input === null ? null : parse(input);
    const scheduled = await this.tx.run(async (m) => {
      const changed = await this.repo.setPlanLadder(m, planId, ladder);
      if (!changed) throw new NotFoundError(`工作要点 ${planId} 不存在`);
      const queued = await this.replan(m, { planId });
      await this.audit.record(m, {
        actor,
        action: 'plan.escalation',
        entityType: 'plan',
        entityId: planId,
        before: changed.before,
        after: ladder,
      });
      return queued;
    });
    this.scheduler.queueSoon(scheduled);
    return { ladder: ladder ?? DEFAULT_ESCALATION_LADDER, isDefault: ladder === null };
  }

  /** Sets one item's own ladder (null: the plan's applies). */
  async setItemLadder(actor: Actor, itemId: string, input: unknown): Promise<LadderView> {
    const ladder = input === null ? null : parse(input);
    const { scheduled, effective } = await this.tx.run(async (m) => {
      const changed = await this.repo.setItemLadder(m, itemId, ladder);
      if (!changed) throw new NotFoundError(`条目 ${itemId} 不存在`);
      const queued = await this.replan(m, { itemId });
      await this.audit.record(m, {
        actor,
        action: 'item.escalation',
        entityType: 'item',
        entityId: itemId,
        before: changed.before,
        after: ladder,
      });
      return {
        scheduled: queued,
        effective: ladder ?? (await this.repo.planLadder(m, changed.planId)) ?? null,
      };
    });
    this.scheduler.queueSoon(scheduled);
    return { ladder: effective ?? DEFAULT_ESCALATION_LADDER, isDefault: effective === null };
  }

  private async replan(m: EntityManager, scope: { planId?: string; itemId?: string }) {
    const ids = await this.repo.waitingTaskIds(m, scope);
    return this.scheduler.replan(m, 'task.escalation', await this.source.plansOf(m, ids));
  }
}
