import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { runMigrations } from '../../src/database/data-source.js';

function run(): string {
  const id = process.env.DUBAN_TEST_RUN;
  if (!id) throw new Error('test run not prepared (globalSetup did not run)');
  return id;
}

export async function withDatabase<T>(
  url: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function serverUrl(): string {
  const url = process.env.DUBAN_TEST_PG_SERVER;
  if (!url) throw new Error('test PostgreSQL not prepared (globalSetup did not run)');
  return url;
}

/** A fresh, migrated database cloned from the template; dropped by `dropDatabase`. */
export async function createTestDatabase(): Promise<string> {
  const template = new URL(serverUrl());
  template.pathname = `/${run()}_template`;
  // Cheap when the template is already current: the first file of a run migrates it.
  await runMigrations(template.toString());
  const name = `${run()}_${randomBytes(6).toString('hex')}`;
  await withDatabase(serverUrl(), (c) =>
    c.query(`CREATE DATABASE "${name}" TEMPLATE "${run()}_template"`),
  );
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await withDatabase(serverUrl(), (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** Redis for the Redis-backend suites, or null when none could be had (never null with CI=true). */
export function testRedisUrl(): string | null {
  return process.env.DUBAN_TEST_REDIS ?? null;
}

/** A fresh database with no schema at all (dropped by `dropDatabase`). */
export async function createEmptyDatabase(): Promise<string> {
  const name = `${run()}_${randomBytes(6).toString('hex')}`;
  await withDatabase(serverUrl(), (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}
