import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { resolve } from 'node:path';
import pg from 'pg';
import { runMigrations } from '../../src/database/data-source.js';
import { startEmbeddedDatabase } from '../../src/database/embedded-database.js';
import { TEMPLATE_DB, withDatabase } from './databases.js';

declare global {
  var __dubanTestTeardown: (() => Promise<void>)[] | undefined;
}

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host, port, timeout: 500 });
    socket.once('connect', () => {
      socket.end();
      done(true);
    });
    socket.once('error', () => done(false));
    socket.once('timeout', () => {
      socket.destroy();
      done(false);
    });
  });
}

async function findRedis(): Promise<{ url: string | null; why: string; stop?: () => Promise<void> }> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, why: 'REDIS_URL' };
  if (await portOpen('127.0.0.1', 6379)) return { url: 'redis://127.0.0.1:6379', why: 'local Redis on 6379' };
  const port = 6390 + Math.floor(Math.random() * 500);
  const child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const spawned = await new Promise<boolean>((done) => {
    child.once('error', () => done(false));
    setTimeout(() => void portOpen('127.0.0.1', port).then(done), 500);
  });
  if (!spawned) return { url: null, why: 'no REDIS_URL, nothing on 127.0.0.1:6379 and no redis-server on the PATH' };
  return {
    url: `redis://127.0.0.1:${port}`,
    why: `redis-server started on ${port}`,
    stop: async () => {
      child.kill('SIGTERM');
    },
  };
}

/**
 * Starts what the suites share: a PostgreSQL server (DATABASE_URL's, or an embedded one) with a
 * migrated template database that each test file clones, and a Redis for the Redis-backend suites.
 */
export default async function globalSetup(): Promise<void> {
  const teardown: (() => Promise<void>)[] = [];
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const embedded = await startEmbeddedDatabase({
      dataDir: resolve('.test-data'),
      port: 54339,
      database: 'postgres',
    });
    serverUrl = embedded.url;
    teardown.push(() => embedded.stop());
  }
  const server = new URL(serverUrl);
  server.pathname = '/postgres';
  process.env.DUBAN_TEST_PG_SERVER = server.toString();

  await withDatabase(server.toString(), async (client: pg.Client) => {
    const stale = await client.query(
      `SELECT datname FROM pg_database WHERE datname LIKE 'duban_test_%' OR datname = $1`,
      [TEMPLATE_DB],
    );
    for (const row of stale.rows as { datname: string }[]) {
      await client.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
    }
    await client.query(`CREATE DATABASE "${TEMPLATE_DB}"`);
  });
  const template = new URL(server);
  template.pathname = `/${TEMPLATE_DB}`;
  await runMigrations(template.toString());

  const redis = await findRedis();
  if (redis.stop) teardown.push(redis.stop);
  if (redis.url) process.env.DUBAN_TEST_REDIS = redis.url;
  else if (process.env.CI === 'true') throw new Error(`CI needs Redis: ${redis.why}`);
  else process.stderr.write(`\n*** Redis-backend suites will NOT run: ${redis.why} ***\n\n`);
  globalThis.__dubanTestTeardown = teardown;
}
