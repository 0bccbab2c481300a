import pg from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from './migrations.js';

/** Limits that keep one bug (a lock held too long, a hung statement) from holding the pool. */
export interface PoolSettings {
  /** Connections per process. */
  max: number;
  /** How long a request waits for a free connection before failing (→ 503). */
  acquireTimeoutMs: number;
  /** Longest statement the server runs before cancelling it. */
  statementTimeoutMs: number;
  /** A transaction left idle this long is ended by the server, releasing its locks. */
  idleInTransactionTimeoutMs: number;
}

export const DEFAULT_POOL: PoolSettings = {
  max: 10,
  acquireTimeoutMs: 10_000,
  statementTimeoutMs: 30_000,
  idleInTransactionTimeoutMs: 30_000,
};

/** One definition of the database connection, used by Nest, the CLI and the tests. */
export function dataSourceOptions(
  url: string,
  pool: PoolSettings = DEFAULT_POOL,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [...ENTITIES],
    migrations: [...MIGRATIONS],
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: false,
    extra: {
      max: pool.max,
      connectionTimeoutMillis: pool.acquireTimeoutMs,
      statement_timeout: pool.statementTimeoutMs,
      idle_in_transaction_session_timeout: pool.idleInTransactionTimeoutMs,
      application_name: 'duban',
    },
  };
}

/** Arbitrary constant naming the advisory lock that serialises schema migrations. */
const MIGRATION_LOCK = 0x64756261; // "duba"

/**
 * Applies pending migrations. Processes started at once on one database take turns under a
 * PostgreSQL advisory lock, so each migration runs exactly once and no process fails.
 */
export async function runMigrations(url: string): Promise<string[]> {
  const lock = new pg.Client({ connectionString: url, application_name: 'duban-migrate' });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const ds = new DataSource({
      ...dataSourceOptions(url, { ...DEFAULT_POOL, max: 2, statementTimeoutMs: 0 }),
    });
    await ds.initialize();
    try {
      const ran = await ds.runMigrations({ transaction: 'each' });
      return ran.map((m) => m.name);
    } finally {
      await ds.destroy();
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.end();
  }
}

/** TypeORM CLI entry: `typeorm-ts-node-esm -d src/database/data-source.ts …` needs DATABASE_URL. */
export default new DataSource(
  dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://localhost/duban'),
);
