import { runMigrations as runQueueMigrations } from 'bullmq';
import pg from 'pg';

/**
 * Least privilege: the schema belongs to an owner role that runs the migrations; the application
 * connects as a role that may read and write the data but not change the schema, and may only
 * append to the audit trail (no UPDATE, DELETE or TRUNCATE, no DDL, no access to the chain's head).
 */

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function userOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

export function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'duban-setup' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates (or updates the password of) a login role with no rights of its own. */
export async function ensureLoginRole(
  ownerUrl: string,
  role: string,
  password: string,
): Promise<void> {
  await withClient(ownerUrl, async (c) => {
    const exists = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    const literal = `'${password.replace(/'/g, "''")}'`;
    await c.query(
      exists.rowCount
        ? `ALTER ROLE ${quoteIdent(role)} WITH LOGIN PASSWORD ${literal}`
        : `CREATE ROLE ${quoteIdent(role)} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${literal}`,
    );
  });
}

/** Brings BullMQ's own schema (its PostgreSQL backend) up to date, as the owner. */
export async function migrateQueueSchema(ownerUrl: string): Promise<void> {
  await withClient(ownerUrl, (c) => runQueueMigrations(c as never));
}

/** Gives the application role exactly the rights it needs, after every migration. */
export async function grantAppRole(ownerUrl: string, role: string): Promise<void> {
  const r = quoteIdent(role);
  await withClient(ownerUrl, async (c) => {
    const [{ db }] = (await c.query('SELECT current_database() AS db')).rows as { db: string }[];
    const statements = [
      `GRANT CONNECT ON DATABASE ${quoteIdent(db)} TO ${r}`,
      `REVOKE CREATE ON SCHEMA public FROM ${r}`,
      `GRANT USAGE ON SCHEMA public TO ${r}`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`,
      `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`,
      // The audit trail: append and read only; the chain's head is kept by the owner's trigger.
      `REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM ${r}`,
      `REVOKE ALL ON audit_chain_head FROM ${r}`,
      `GRANT SELECT ON audit_chain_head TO ${r}`,
      `REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON migrations FROM ${r}`,
    ];
    for (const sql of statements) await c.query(sql);
    const queueSchema = await c.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'bullmq'`);
    if (queueSchema.rowCount) {
      for (const sql of [
        `GRANT USAGE ON SCHEMA bullmq TO ${r}`,
        `GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA bullmq TO ${r}`,
        `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA bullmq TO ${r}`,
        `GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA bullmq TO ${r}`,
      ]) {
        await c.query(sql);
      }
    }
  });
}
