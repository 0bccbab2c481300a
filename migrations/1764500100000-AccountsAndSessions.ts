import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in sessions that can be revoked, API tokens with expiry and scopes, passwords that must be
 * changed after a reset, sign-in attempts with their outcome, and no signing secret in the database.
 */
export class AccountsAndSessions1764500100000 implements MigrationInterface {
  name = 'AccountsAndSessions1764500100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false,
                         ADD COLUMN password_changed_at timestamptz`,
    );

    await q.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        ip text,
        user_agent text,
        revoked_at timestamptz,
        revoked_reason text
      )`);
    await q.query(
      `CREATE INDEX sessions_user_live_idx ON sessions (user_id) WHERE revoked_at IS NULL`,
    );
    await q.query(`CREATE INDEX sessions_expires_at_idx ON sessions (expires_at)`);

    // Tokens made before expiry existed keep working for 90 days from now, with the full access
    // they had; new ones choose their expiry and scopes.
    await q.query(
      `ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz,
                              ADD COLUMN scopes text[] NOT NULL DEFAULT '{read,write}'`,
    );
    await q.query(`UPDATE api_tokens SET expires_at = now() + interval '90 days'`);
    await q.query(`ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL`);
    await q.query(`ALTER TABLE api_tokens ALTER COLUMN scopes SET DEFAULT '{read}'`);
    await q.query(
      `ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_scopes_check
         CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['read', 'write'])`,
    );
    await q.query(`CREATE INDEX api_tokens_user_created_idx ON api_tokens (user_id, created_at)`);

    // Every attempt is kept with what became of it: refused ones too, and an admin's unlock.
    await q.query(
      `ALTER TABLE login_attempts ADD COLUMN outcome text, ADD COLUMN reason text, ADD COLUMN user_agent text`,
    );
    await q.query(
      `UPDATE login_attempts SET outcome = CASE WHEN succeeded THEN 'succeeded' ELSE 'failed' END`,
    );
    await q.query(`ALTER TABLE login_attempts ALTER COLUMN outcome SET NOT NULL`);
    await q.query(
      `ALTER TABLE login_attempts ADD CONSTRAINT login_attempts_outcome_check
         CHECK (outcome IN ('pending', 'succeeded', 'failed', 'refused', 'unlocked'))`,
    );
    await q.query(`ALTER TABLE login_attempts DROP COLUMN succeeded`);
    await q.query(`CREATE INDEX login_attempts_ip_at_idx ON login_attempts (ip, at)`);
    await q.query(`CREATE INDEX login_attempts_at_idx ON login_attempts (at)`);

    // The signing secret comes from JWT_SECRET (or the data folder in embedded mode) now.
    await q.query(`DROP TABLE app_secrets`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE app_secrets (name text PRIMARY KEY, value text NOT NULL)`);
    await q.query(`DROP INDEX login_attempts_at_idx`);
    await q.query(`DROP INDEX login_attempts_ip_at_idx`);
    await q.query(`ALTER TABLE login_attempts ADD COLUMN succeeded boolean`);
    await q.query(`UPDATE login_attempts SET succeeded = (outcome = 'succeeded')`);
    await q.query(`DELETE FROM login_attempts WHERE outcome IN ('refused', 'unlocked', 'pending')`);
    await q.query(`ALTER TABLE login_attempts ALTER COLUMN succeeded SET NOT NULL`);
    await q.query(
      `ALTER TABLE login_attempts DROP COLUMN outcome, DROP COLUMN reason, DROP COLUMN user_agent`,
    );
    await q.query(`DROP INDEX api_tokens_user_created_idx`);
    await q.query(
      `ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_scopes_check, DROP COLUMN scopes, DROP COLUMN expires_at`,
    );
    await q.query(`DROP TABLE sessions`);
    await q.query(
      `ALTER TABLE users DROP COLUMN password_changed_at, DROP COLUMN must_change_password`,
    );
  }
}
