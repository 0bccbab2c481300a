import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Revised plans (调整): every version of a plan's document is kept with what changed from the one
 * before, and an item a revision removed stays (its tasks cancelled, their reports kept), marked
 * with the version that removed it.
 */
export class PlanVersions1764750000000 implements MigrationInterface {
  name = 'PlanVersions1764750000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE plan_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id uuid NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        version int NOT NULL CHECK (version >= 1),
        source_name text NOT NULL,
        source_hash text NOT NULL,
        document jsonb NOT NULL,
        diff jsonb,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_by_name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (plan_id, version)
      )`);
    await q.query(`ALTER TABLE items ADD COLUMN removed_in_version int`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE items DROP COLUMN removed_in_version`);
    await q.query(`DROP TABLE plan_versions`);
  }
}
