import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Escalation (黄牌/红牌) on tasks, the ladder per plan and per item, the leader in charge of a
 * unit, group-robot webhooks per unit, per-user channel preferences, and official calendar
 * schedules entered by an admin.
 */
export class EscalationsAndChannels1764600000000 implements MigrationInterface {
  name = 'EscalationsAndChannels1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tasks
        ADD COLUMN escalation_level text NOT NULL DEFAULT 'none'
          CHECK (escalation_level IN ('none', 'yellow', 'red')),
        ADD COLUMN escalated_at timestamptz`);
    await q.query(
      `CREATE INDEX tasks_escalation_idx ON tasks (escalation_level) WHERE escalation_level <> 'none'`,
    );
    await q.query(`ALTER TABLE plans ADD COLUMN escalation_ladder jsonb`);
    await q.query(`ALTER TABLE items ADD COLUMN escalation_ladder jsonb`);
    // 分管局领导: the leader a unit's red cards go to (all leaders when unset).
    await q.query(
      `ALTER TABLE units ADD COLUMN leader_id uuid REFERENCES users(id) ON DELETE SET NULL`,
    );

    await q.query(`
      CREATE TABLE unit_webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        unit_id uuid NOT NULL REFERENCES units(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('wecom', 'dingtalk')),
        url text NOT NULL,
        secret text,
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX unit_webhooks_unit_idx ON unit_webhooks (unit_id)`);
    await q.query(
      `ALTER TABLE notifications ADD COLUMN webhook_id uuid REFERENCES unit_webhooks(id) ON DELETE SET NULL`,
    );

    // Which kinds of message a person receives on which channel (absent = on).
    await q.query(`
      CREATE TABLE notification_preferences (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('email', 'inbox')),
        enabled boolean NOT NULL,
        PRIMARY KEY (user_id, kind, channel)
      )`);

    await q.query(`
      CREATE TABLE calendar_days (
        day date PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('workday', 'holiday')),
        note text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_days`);
    await q.query(`DROP TABLE notification_preferences`);
    await q.query(`ALTER TABLE notifications DROP COLUMN webhook_id`);
    await q.query(`DROP TABLE unit_webhooks`);
    await q.query(`ALTER TABLE units DROP COLUMN leader_id`);
    await q.query(`ALTER TABLE items DROP COLUMN escalation_ladder`);
    await q.query(`ALTER TABLE plans DROP COLUMN escalation_ladder`);
    await q.query(`DROP INDEX tasks_escalation_idx`);
    await q.query(`ALTER TABLE tasks DROP COLUMN escalated_at, DROP COLUMN escalation_level`);
  }
}
