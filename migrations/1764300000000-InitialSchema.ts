import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764300000000 implements MigrationInterface {
  name = 'InitialSchema1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE units (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        email text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE plans (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title text NOT NULL,
        doc_number text,
        issuer text,
        issued_on date,
        year int NOT NULL,
        source_hash text NOT NULL UNIQUE,
        source_name text NOT NULL,
        reminder_policy jsonb,
        warnings jsonb NOT NULL DEFAULT '[]'::jsonb,
        imported_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE sections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id uuid NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        ordinal int NOT NULL,
        title text,
        UNIQUE (plan_id, ordinal)
      )`);
    await q.query(`
      CREATE TABLE items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id uuid NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        section_id uuid NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
        ordinal int NOT NULL,
        number int NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        all_units boolean NOT NULL DEFAULT false,
        deadline_hints jsonb NOT NULL DEFAULT '[]'::jsonb,
        UNIQUE (plan_id, ordinal)
      )`);
    await q.query(`CREATE INDEX items_section_id_idx ON items (section_id)`);
    await q.query(`
      CREATE TABLE tasks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        item_id uuid NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        unit_id uuid NOT NULL REFERENCES units(id),
        role text NOT NULL CHECK (role IN ('lead', 'co')),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
        due_date date NOT NULL,
        due_at timestamptz NOT NULL,
        reminders_planned_at timestamptz NOT NULL,
        completed_at timestamptz,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (item_id, unit_id)
      )`);
    await q.query(`CREATE INDEX tasks_unit_id_idx ON tasks (unit_id)`);
    await q.query(`CREATE INDEX tasks_due_at_idx ON tasks (due_at)`);
    await q.query(`CREATE INDEX tasks_open_idx ON tasks (status) WHERE status = 'open'`);
    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dedupe_key text NOT NULL UNIQUE,
        kind text NOT NULL,
        channel text NOT NULL DEFAULT 'email',
        task_id uuid REFERENCES tasks(id) ON DELETE CASCADE,
        recipient text,
        subject text,
        status text NOT NULL CHECK (status IN ('pending', 'sent', 'skipped', 'failed')),
        reason text,
        scheduled_for timestamptz NOT NULL,
        sent_at timestamptz,
        message_id text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX notifications_task_id_idx ON notifications (task_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE tasks`);
    await q.query(`DROP TABLE items`);
    await q.query(`DROP TABLE sections`);
    await q.query(`DROP TABLE plans`);
    await q.query(`DROP TABLE units`);
  }
}
