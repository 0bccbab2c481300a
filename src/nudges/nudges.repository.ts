import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Nudges are recorded as audit entries (`task.nudge`); this reads them back. */
@Injectable()
export class NudgesRepository {
  /** When the task was last nudged (its recorded time, else the entry's); null if never. */
  async lastNudgeAt(m: EntityManager, taskId: string): Promise<Date | null> {
    const [last]: { nudged_at: string | null; at: Date }[] = await m.query(
      `SELECT after->>'nudgedAt' AS nudged_at, at FROM audit_log
        WHERE entity_type = 'task' AND entity_id = $1 AND action = 'task.nudge'
        ORDER BY id DESC LIMIT 1`,
      [taskId],
    );
    return last ? new Date(last.nudged_at ?? last.at) : null;
  }
}
