import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Weekly digests — each recipient's digest claimed once per ISO week, and the weeks whose run
 * finished — and the secret calendar-feed address of each unit (only its hash is stored).
 */
export class DigestsAndExports1764730000000 implements MigrationInterface {
  name = 'DigestsAndExports1764730000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE digest_runs (
        recipient text NOT NULL,
        iso_week text NOT NULL CHECK (iso_week ~ '^[0-9]{4}-W[0-9]{2}$'),
        kind text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (recipient, iso_week)
      )`);
    await q.query(`
      CREATE TABLE digest_weeks (
        iso_week text PRIMARY KEY CHECK (iso_week ~ '^[0-9]{4}-W[0-9]{2}$'),
        slot_at timestamptz NOT NULL,
        sent int NOT NULL,
        empty int NOT NULL,
        completed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE unit_calendar_feeds (
        unit_id uuid PRIMARY KEY REFERENCES units(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE unit_calendar_feeds`);
    await q.query(`DROP TABLE digest_weeks`);
    await q.query(`DROP TABLE digest_runs`);
  }
}
