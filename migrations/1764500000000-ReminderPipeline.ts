import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One reminder pipeline: every scheduled reminder (of any source) is a row in
 * `reminder_occurrences`, written in the transaction that decides it; every message is an outbox
 * row per recipient and channel whose content is stored with it, delivered outside any
 * transaction under a lease, with retries that outlast outages.
 */
export class ReminderPipeline1764500000000 implements MigrationInterface {
  name = 'ReminderPipeline1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reminder_occurrences (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        source text NOT NULL,
        subject_id uuid NOT NULL,
        task_id uuid REFERENCES tasks(id) ON DELETE CASCADE,
        milestone_id uuid REFERENCES milestones(id) ON DELETE CASCADE,
        occurrence_key text NOT NULL,
        fire_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('scheduled', 'fired', 'skipped', 'cancelled')),
        reason text,
        detail jsonb NOT NULL DEFAULT '{}'::jsonb,
        queued_at timestamptz,
        fired_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (source, subject_id, occurrence_key)
      )`);
    // The reconciler reads only what is scheduled, by fire time: its cost follows the horizon,
    // not the year of reminders ahead.
    await q.query(
      `CREATE INDEX reminder_occurrences_scheduled_idx ON reminder_occurrences (fire_at) WHERE status = 'scheduled'`,
    );
    await q.query(
      `CREATE INDEX reminder_occurrences_subject_idx ON reminder_occurrences (subject_id, source)`,
    );
    await q.query(`CREATE INDEX reminder_occurrences_task_idx ON reminder_occurrences (task_id)`);
    await q.query(
      `CREATE INDEX reminder_occurrences_milestone_idx ON reminder_occurrences (milestone_id) WHERE milestone_id IS NOT NULL`,
    );

    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_status_check`);
    await q.query(`
      ALTER TABLE notifications ADD CONSTRAINT notifications_status_check
        CHECK (status IN ('pending', 'sending', 'sent', 'skipped', 'failed'))`);
    await q.query(`ALTER TABLE notifications ADD COLUMN lease_until timestamptz`);
    await q.query(`ALTER TABLE notifications ADD COLUMN next_attempt_at timestamptz`);
    await q.query(`ALTER TABLE notifications ADD COLUMN updated_at timestamptz`);
    await q.query(
      `ALTER TABLE notifications ADD COLUMN occurrence_id uuid REFERENCES reminder_occurrences(id) ON DELETE SET NULL`,
    );
    // A message's content is fixed when it is decided: no e-mail row without a body from now on.
    await q.query(`
      ALTER TABLE notifications ADD CONSTRAINT notifications_email_content
        CHECK (channel <> 'email' OR status = 'skipped' OR (subject IS NOT NULL AND body IS NOT NULL))
        NOT VALID`);
    await q.query(`DROP INDEX notifications_pending_idx`);
    await q.query(`
      CREATE INDEX notifications_undelivered_idx ON notifications (coalesce(next_attempt_at, lease_until, created_at))
        WHERE status IN ('pending', 'sending', 'failed') AND channel <> 'inbox'`);

    // Reminders are now planned as occurrences. What was due before this upgrade is history:
    // planning starts now, so nothing already due is sent again.
    await q.query(
      `UPDATE tasks SET reminders_planned_at = greatest(reminders_planned_at, now())
        WHERE status IN ('assigned', 'acknowledged', 'in_progress', 'returned')`,
    );
    await q.query(
      `UPDATE milestones SET reminders_planned_at = greatest(reminders_planned_at, now())
        WHERE done_at IS NULL`,
    );
    // Undelivered e-mail of the old pipeline without stored content cannot be sent faithfully.
    await q.query(
      `UPDATE notifications SET status = 'skipped', reason = coalesce(reason, '升级前未发出的旧提醒（无正文），已由新的提醒计划代替')
        WHERE channel = 'email' AND status IN ('pending', 'failed') AND body IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX notifications_undelivered_idx`);
    await q.query(
      `CREATE INDEX notifications_pending_idx ON notifications (created_at) WHERE status = 'pending' AND channel = 'email'`,
    );
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_email_content`);
    await q.query(
      `ALTER TABLE notifications DROP COLUMN occurrence_id, DROP COLUMN updated_at, DROP COLUMN next_attempt_at, DROP COLUMN lease_until`,
    );
    await q.query(`UPDATE notifications SET status = 'pending' WHERE status = 'sending'`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_status_check`);
    await q.query(`
      ALTER TABLE notifications ADD CONSTRAINT notifications_status_check
        CHECK (status IN ('pending', 'sent', 'skipped', 'failed'))`);
    await q.query(`DROP TABLE reminder_occurrences`);
  }
}
