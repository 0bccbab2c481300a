import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for work that grows with the installation: the task list filtered by unit and status
 * (ordered by deadline), and the reconciler's look for scheduled reminders not on the queue yet
 * (without it every pass walks the whole queued window).
 */
export class ListAndQueueIndexes1764740000000 implements MigrationInterface {
  name = 'ListAndQueueIndexes1764740000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX tasks_unit_status_due_idx ON tasks (unit_id, status, due_at)`);
    await q.query(`CREATE INDEX tasks_status_due_idx ON tasks (status, due_at)`);
    await q.query(
      `CREATE INDEX reminder_occurrences_unqueued_idx ON reminder_occurrences (fire_at)
        WHERE status = 'scheduled' AND queued_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX reminder_occurrences_unqueued_idx`);
    await q.query(`DROP INDEX tasks_status_due_idx`);
    await q.query(`DROP INDEX tasks_unit_status_due_idx`);
  }
}
