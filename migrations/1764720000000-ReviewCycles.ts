import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Supervision review cycles (督导): recurring cadences, the cycles they open (one per plan,
 * cadence and period, even when several workers catch up at once), the tasks each cycle asks a
 * report on, the units' reports with the supervisors' ratings, and the reports' attachments.
 * Reminder occurrences need no change: their source column has no list of names to extend.
 */
export class ReviewCycles1764720000000 implements MigrationInterface {
  name = 'ReviewCycles1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE review_cadences (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id uuid NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('monthly', 'quarterly', 'cron')),
        cron text,
        open_at text NOT NULL DEFAULT '09:00',
        title text NOT NULL,
        scope jsonb NOT NULL,
        due_workdays int NOT NULL CHECK (due_workdays BETWEEN 0 AND 250),
        reminder_offsets jsonb NOT NULL DEFAULT '[]'::jsonb,
        starts_on date NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        stopped_at timestamptz,
        CHECK ((kind = 'cron') = (cron IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX review_cadences_plan_idx ON review_cadences (plan_id)`);

    await q.query(`
      CREATE TABLE review_cycles (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id uuid NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        cadence_id uuid REFERENCES review_cadences(id) ON DELETE CASCADE,
        period_key text,
        title text NOT NULL,
        scope jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('scheduled', 'open', 'closed')),
        opens_on date NOT NULL,
        due_workdays int NOT NULL CHECK (due_workdays BETWEEN 0 AND 250),
        due_on date NOT NULL,
        due_at timestamptz NOT NULL,
        reminder_offsets jsonb NOT NULL DEFAULT '[]'::jsonb,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        opened_at timestamptz,
        opened_by uuid REFERENCES users(id) ON DELETE SET NULL,
        closed_at timestamptz,
        closed_by uuid REFERENCES users(id) ON DELETE SET NULL,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((cadence_id IS NULL) = (period_key IS NULL))
      )`);
    // A period of a cadence is opened once, however many workers catch up at the same moment.
    await q.query(`
      CREATE UNIQUE INDEX review_cycles_period_key ON review_cycles (plan_id, cadence_id, period_key)
        WHERE cadence_id IS NOT NULL`);
    await q.query(`CREATE INDEX review_cycles_plan_idx ON review_cycles (plan_id, created_at)`);
    await q.query(
      `CREATE INDEX review_cycles_scheduled_idx ON review_cycles (opens_on) WHERE status = 'scheduled'`,
    );

    // What a cycle asks for: one report per task in scope, from the task's unit.
    await q.query(`
      CREATE TABLE review_cycle_tasks (
        cycle_id uuid NOT NULL REFERENCES review_cycles(id) ON DELETE CASCADE,
        task_id uuid NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        unit_id uuid NOT NULL REFERENCES units(id),
        PRIMARY KEY (cycle_id, task_id)
      )`);
    await q.query(
      `CREATE INDEX review_cycle_tasks_unit_idx ON review_cycle_tasks (unit_id, cycle_id)`,
    );

    await q.query(`
      CREATE TABLE review_cycle_reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        cycle_id uuid NOT NULL,
        task_id uuid NOT NULL,
        number int NOT NULL,
        body text NOT NULL,
        status text NOT NULL CHECK (status IN ('submitted', 'rated', 'returned')),
        rating text CHECK (rating IN ('good', 'fair', 'average', 'poor')),
        comment text,
        submitted_by uuid NOT NULL REFERENCES users(id),
        submitted_at timestamptz NOT NULL,
        decided_by uuid REFERENCES users(id),
        decided_at timestamptz,
        version int NOT NULL DEFAULT 1,
        FOREIGN KEY (cycle_id, task_id) REFERENCES review_cycle_tasks (cycle_id, task_id) ON DELETE CASCADE,
        UNIQUE (cycle_id, task_id, number),
        CHECK ((status = 'rated') = (rating IS NOT NULL))
      )`);

    await q.query(`
      CREATE TABLE review_cycle_report_attachments (
        id uuid PRIMARY KEY,
        report_id uuid NOT NULL REFERENCES review_cycle_reports(id) ON DELETE CASCADE,
        file_name text NOT NULL,
        content_type text NOT NULL,
        size_bytes bigint NOT NULL,
        sha256 text NOT NULL,
        storage_key text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX review_cycle_report_attachments_report_idx ON review_cycle_report_attachments (report_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM reminder_occurrences WHERE source = 'cycle.due'`);
    await q.query(`DROP TABLE review_cycle_report_attachments`);
    await q.query(`DROP TABLE review_cycle_reports`);
    await q.query(`DROP TABLE review_cycle_tasks`);
    await q.query(`DROP TABLE review_cycles`);
    await q.query(`DROP TABLE review_cadences`);
  }
}
