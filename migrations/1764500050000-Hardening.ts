import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One plan per 文号; request rate windows; and an audit trail whose rows are chained by hash, so a
 * changed, removed or inserted row is detectable (`duban audit:verify`).
 */
export class Hardening1764500050000 implements MigrationInterface {
  name = 'Hardening1764500050000';

  async up(q: QueryRunner): Promise<void> {
    // Duplicates from before the constraint keep their rows under a marked number.
    await q.query(`
      UPDATE plans p SET doc_number = p.doc_number || '（重复导入 ' || left(p.id::text, 8) || '）'
        FROM (SELECT id, row_number() OVER (PARTITION BY doc_number ORDER BY imported_at, id) AS n
                FROM plans WHERE doc_number IS NOT NULL) d
       WHERE p.id = d.id AND d.n > 1`);
    await q.query(
      `CREATE UNIQUE INDEX plans_doc_number_key ON plans (doc_number) WHERE doc_number IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE rate_limits (
        key text PRIMARY KEY,
        window_started timestamptz NOT NULL,
        hits int NOT NULL
      )`);

    // The chain: each row's hash covers its content and the previous row's hash.
    await q.query(
      `ALTER TABLE audit_log ADD COLUMN seq bigint, ADD COLUMN prev_hash text, ADD COLUMN hash text`,
    );
    await q.query(`
      CREATE FUNCTION audit_row_digest(prev text, seq bigint, at timestamptz, actor_id uuid,
                                       actor text, action text, entity_type text, entity_id text,
                                       before jsonb, after jsonb, ip text)
        RETURNS text LANGUAGE sql IMMUTABLE AS $$
          SELECT encode(sha256(convert_to(jsonb_build_array(
            prev, seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
            actor_id, actor, action, entity_type, entity_id, before, after, ip)::text, 'UTF8')), 'hex')
        $$`);
    await q.query(`
      CREATE TABLE audit_chain_head (
        id int PRIMARY KEY CHECK (id = 1),
        seq bigint NOT NULL,
        hash text NOT NULL
      )`);
    // Existing rows, in the order they were written.
    await q.query(`
      DO $$
      DECLARE r record; prev text := ''; n bigint := 0;
      BEGIN
        ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update;
        FOR r IN SELECT * FROM audit_log ORDER BY at, id LOOP
          n := n + 1;
          UPDATE audit_log SET seq = n, prev_hash = prev,
                 hash = audit_row_digest(prev, n, r.at, r.actor_id, r.actor, r.action,
                                         r.entity_type, r.entity_id, r.before, r.after, r.ip)
           WHERE id = r.id RETURNING hash INTO prev;
        END LOOP;
        ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;
        INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, n, prev);
      END $$`);
    await q.query(
      `ALTER TABLE audit_log ALTER COLUMN seq SET NOT NULL, ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL`,
    );
    await q.query(`CREATE UNIQUE INDEX audit_log_seq_key ON audit_log (seq)`);
    // Runs with the owner's rights: the application can append to the chain, never rewrite its head.
    await q.query(`
      CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = public AS $$
      DECLARE head audit_chain_head%ROWTYPE;
      BEGIN
        -- The time of an entry is the database's, never the writer's: no back-dated rows.
        NEW.at := now();
        -- The head row's lock orders concurrent writers: one chain, no forks.
        UPDATE audit_chain_head SET seq = seq + 1 WHERE id = 1 RETURNING * INTO head;
        NEW.seq := head.seq;
        NEW.prev_hash := head.hash;
        NEW.hash := audit_row_digest(head.hash, head.seq, NEW.at, NEW.actor_id, NEW.actor,
                                     NEW.action, NEW.entity_type, NEW.entity_id, NEW.before,
                                     NEW.after, NEW.ip);
        UPDATE audit_chain_head SET hash = NEW.hash WHERE id = 1;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_chain()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_log_chain ON audit_log`);
    await q.query(`DROP FUNCTION audit_log_chain()`);
    await q.query(`DROP INDEX audit_log_seq_key`);
    await q.query(`DROP TABLE audit_chain_head`);
    await q.query(`ALTER TABLE audit_log DROP COLUMN hash, DROP COLUMN prev_hash, DROP COLUMN seq`);
    await q.query(
      `DROP FUNCTION audit_row_digest(text, bigint, timestamptz, uuid, text, text, text, text, jsonb, jsonb, text)`,
    );
    await q.query(`DROP TABLE rate_limits`);
    await q.query(`DROP INDEX plans_doc_number_key`);
  }
}
