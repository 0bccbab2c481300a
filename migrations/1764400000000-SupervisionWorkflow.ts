import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Accounts, the task lifecycle, progress reports, extensions, milestones and the audit trail. */
export class SupervisionWorkflow1764400000000 implements MigrationInterface {
  name = 'SupervisionWorkflow1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        password_hash text,
        role text NOT NULL CHECK (role IN ('admin', 'leader', 'supervisor', 'unit_head', 'unit_member')),
        unit_id uuid REFERENCES units(id),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (role NOT IN ('unit_head', 'unit_member') OR unit_id IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`);
    await q.query(`CREATE INDEX users_unit_id_idx ON users (unit_id)`);
    await q.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE login_attempts (
        id bigserial PRIMARY KEY,
        email text NOT NULL,
        ip text,
        succeeded boolean NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX login_attempts_email_at_idx ON login_attempts (lower(email), at)`);
    await q.query(`CREATE TABLE app_secrets (name text PRIMARY KEY, value text NOT NULL)`);

    // Task lifecycle: open/done become assigned/closed.
    await q.query(`ALTER TABLE tasks DROP CONSTRAINT tasks_status_check`);
    await q.query(
      `UPDATE tasks SET status = CASE status WHEN 'done' THEN 'closed' ELSE 'assigned' END`,
    );
    await q.query(`ALTER TABLE tasks ALTER COLUMN status SET DEFAULT 'assigned'`);
    await q.query(`
      ALTER TABLE tasks ADD CONSTRAINT tasks_status_check CHECK (status IN
        ('assigned', 'acknowledged', 'in_progress', 'submitted', 'returned', 'closed', 'cancelled'))`);
    await q.query(`DROP INDEX tasks_open_idx`);
    await q.query(
      `CREATE INDEX tasks_active_idx ON tasks (status) WHERE status NOT IN ('closed', 'cancelled')`,
    );

    await q.query(`
      CREATE TABLE submissions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task_id uuid NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        number int NOT NULL,
        body text NOT NULL,
        status text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'approved', 'returned')),
        submitted_by uuid NOT NULL REFERENCES users(id),
        submitted_at timestamptz NOT NULL DEFAULT now(),
        decided_by uuid REFERENCES users(id),
        decided_at timestamptz,
        decision_comment text,
        version int NOT NULL DEFAULT 1,
        UNIQUE (task_id, number)
      )`);
    await q.query(`
      CREATE TABLE attachments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        submission_id uuid NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
        file_name text NOT NULL,
        content_type text NOT NULL,
        size_bytes int NOT NULL,
        sha256 text NOT NULL,
        storage_key text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX attachments_submission_id_idx ON attachments (submission_id)`);
    await q.query(`
      CREATE TABLE extension_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task_id uuid NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        requested_by uuid NOT NULL REFERENCES users(id),
        reason text NOT NULL,
        current_due_at timestamptz NOT NULL,
        proposed_due_date date NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
        decided_by uuid REFERENCES users(id),
        decided_at timestamptz,
        decision_comment text,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX extension_requests_task_id_idx ON extension_requests (task_id)`);
    await q.query(`
      CREATE UNIQUE INDEX extension_requests_one_pending ON extension_requests (task_id) WHERE status = 'pending'`);
    await q.query(`
      CREATE TABLE milestones (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task_id uuid NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        title text NOT NULL,
        due_date date NOT NULL,
        due_at timestamptz NOT NULL,
        reminders_planned_at timestamptz NOT NULL,
        done_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX milestones_task_id_idx ON milestones (task_id)`);

    await q.query(
      `ALTER TABLE notifications ADD COLUMN user_id uuid REFERENCES users(id) ON DELETE CASCADE`,
    );
    await q.query(`ALTER TABLE notifications ADD COLUMN body text`);
    await q.query(`ALTER TABLE notifications ADD COLUMN html text`);
    await q.query(`ALTER TABLE notifications ADD COLUMN attempts int NOT NULL DEFAULT 0`);
    await q.query(
      `CREATE INDEX notifications_pending_idx ON notifications (created_at) WHERE status = 'pending' AND channel = 'email'`,
    );
    await q.query(`ALTER TABLE notifications ADD COLUMN read_at timestamptz`);
    await q.query(
      `ALTER TABLE notifications ADD COLUMN milestone_id uuid REFERENCES milestones(id) ON DELETE CASCADE`,
    );
    await q.query(
      `CREATE INDEX notifications_inbox_idx ON notifications (user_id, created_at DESC) WHERE channel = 'inbox'`,
    );

    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid,
        actor text NOT NULL,
        action text NOT NULL,
        entity_type text NOT NULL,
        entity_id text,
        before jsonb,
        after jsonb,
        ip text
      )`);
    await q.query(`CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, at)`);
    await q.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at)`);
    await q.query(`CREATE INDEX audit_log_at_idx ON audit_log (at)`);
    // The record cannot be edited: not through the API, not through SQL from the application.
    await q.query(`
      CREATE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log entries cannot be changed or deleted';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_immutable()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_immutable()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_immutable()`);
    await q.query(`DROP INDEX notifications_inbox_idx`);
    await q.query(`DROP INDEX notifications_pending_idx`);
    await q.query(
      `ALTER TABLE notifications DROP COLUMN milestone_id, DROP COLUMN read_at, DROP COLUMN attempts, DROP COLUMN html, DROP COLUMN body, DROP COLUMN user_id`,
    );
    await q.query(`DROP TABLE milestones`);
    await q.query(`DROP TABLE extension_requests`);
    await q.query(`DROP TABLE attachments`);
    await q.query(`DROP TABLE submissions`);
    await q.query(`DROP INDEX tasks_active_idx`);
    await q.query(`ALTER TABLE tasks DROP CONSTRAINT tasks_status_check`);
    await q.query(
      `UPDATE tasks SET status = CASE status WHEN 'closed' THEN 'done' ELSE 'open' END`,
    );
    await q.query(`ALTER TABLE tasks ALTER COLUMN status SET DEFAULT 'open'`);
    await q.query(
      `ALTER TABLE tasks ADD CONSTRAINT tasks_status_check CHECK (status IN ('open', 'done'))`,
    );
    await q.query(`CREATE INDEX tasks_open_idx ON tasks (status) WHERE status = 'open'`);
    await q.query(`DROP TABLE app_secrets`);
    await q.query(`DROP TABLE login_attempts`);
    await q.query(`DROP TABLE api_tokens`);
    await q.query(`DROP TABLE users`);
  }
}
