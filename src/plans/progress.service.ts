import { Injectable } from '@nestjs/common';
import { type Actor, visibleUnit } from '../auth/permissions.js';
import { Clock } from '../common/clock.js';
import { NotFoundError } from '../common/errors.js';
import { type PlanProgress, planProgress } from './progress.js';
import { type PlanRef, ProgressRepository } from './progress.repository.js';

export interface PlanProgressView extends PlanProgress {
  plan: PlanRef;
  /** The instant the rollup was derived for (overdue depends on it). */
  asOf: string;
}

/**
 * Reads a plan's sections, items and tasks and rolls their status up (nothing is stored). Unit
 * roles see the plan's sections and items with their own unit's tasks only.
 */
@Injectable()
export class ProgressService {
  constructor(
    private readonly repo: ProgressRepository,
    private readonly clock: Clock,
  ) {}

  async ofPlan(actor: Actor, planId: string): Promise<PlanProgressView> {
    const outline = await this.repo.outline(planId, visibleUnit(actor));
    if (!outline) throw new NotFoundError(`工作要点 ${planId} 不存在`);
    const now = this.clock.now();
    return {
      plan: outline.plan,
      asOf: now.toISOString(),
      ...planProgress(outline.sections, now),
    };
  }
}
