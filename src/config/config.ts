import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { passwordProblem } from '../auth/password-policy.js';
import { CronError, parseCron } from '../digests/digest-schedule.js';

/** Typed, validated runtime configuration. Built once at start-up from the environment. */
export interface AppConfig {
  /** PostgreSQL connection string; null → embedded PostgreSQL under `dataDir`. */
  readonly databaseUrl: string | null;
  /** The schema owner's connection for migrations; null → DATABASE_URL's role migrates too. */
  readonly migrationDatabaseUrl: string | null;
  /** Redis connection string; null → BullMQ runs on its PostgreSQL backend in the same database. */
  readonly redisUrl: string | null;
  /** SMTP server for outgoing mail; null → mail is written as .eml files to `<dataDir>/outbox`. */
  readonly smtpUrl: string | null;
  readonly mailFrom: string;
  /** Longest an SMTP server may stay silent (connecting, greeting, any reply) before a send fails. */
  readonly smtpTimeoutMs: number;
  readonly port: number;
  /** IANA zone for business dates (deadlines, "today", reminder hours). */
  readonly businessTz: string;
  readonly dataDir: string;
  readonly embeddedPgPort: number;
  /** How often the reminder reconciler rebuilds missing jobs, in seconds (0 = only at start-up). */
  readonly reconcileIntervalSeconds: number;
  /** Import the seed plan when `npm start` finds an empty database. */
  readonly seedOnEmpty: boolean;
  /** Key prefix of the queues in Redis (several installations can share one Redis). */
  readonly queuePrefix: string;
  /** First admin account, created on an empty database. */
  readonly adminEmail: string | null;
  readonly adminPassword: string | null;
  /** Jobs a worker process runs at once, per queue. */
  readonly workerConcurrency: number;
  /** A job's lock; a killed worker's jobs are taken over within about 1.5× this (seconds). */
  readonly jobLockSeconds: number;
  /** How far ahead reminders are put on the queue; later ones wait in Postgres (hours). */
  readonly reminderHorizonHours: number;
  /** How often the queue is checked for loss (a wiped Redis, emptied job tables), in seconds. */
  readonly queueCheckSeconds: number;
  /** First retry delay of a failed delivery; later ones grow from it (ms). */
  readonly deliveryRetryBaseMs: number;
  /** Delivery attempts before a message is dead-lettered (failed, no more automatic retries). */
  readonly deliveryMaxAttempts: number;
  /** Public address of the web console, for links in messages (e.g. https://duban.example.org). */
  readonly publicUrl: string;
  /**
   * Secret that signs sign-in tokens (JWT_SECRET, at least 32 bytes). Null → generated into
   * `<dataDir>/jwt-secret` in embedded mode; required when DATABASE_URL is set (see requireJwtSecret).
   */
  readonly jwtSecret: string | null;
  /** Express `trust proxy` (TRUST_PROXY): false, a hop count, or trusted proxy addresses/CIDRs. */
  readonly trustProxy: TrustProxy;
  /** Database pool limits (DB_POOL_SIZE, DB_ACQUIRE_TIMEOUT_MS, DB_STATEMENT_TIMEOUT_MS, DB_IDLE_IN_TRANSACTION_TIMEOUT_MS). */
  readonly dbPool: {
    max: number;
    acquireTimeoutMs: number;
    statementTimeoutMs: number;
    idleInTransactionTimeoutMs: number;
  };
  /** Bearer token required by GET /metrics; null → open (keep /metrics off the public network). */
  readonly metricsToken: string | null;
  /** A worker process's own /health and /metrics on this port; null → none. */
  readonly workerHealthPort: number | null;
  /** Serve the API documentation (Swagger UI at /api/docs); off by default in production. */
  readonly apiDocs: boolean;
  readonly logLevel: LogLevel;
  readonly logFormat: 'json' | 'text';
  /** Weekly digests (DIGEST_CRON, DIGEST_SEND_EMPTY, DIGEST_CHECK_SECONDS). */
  readonly digest: {
    /** Five-field cron in BUSINESS_TZ; a day off moves it to the next working day, same time. */
    cron: string;
    /** Send a digest that has nothing in it. */
    sendEmpty: boolean;
    /** How often a worker checks whether the week's digest is due, in seconds (0 = never). */
    checkSeconds: number;
  };
}

export type TrustProxy = false | number | readonly string[];

export type LogLevel = 'error' | 'warn' | 'log' | 'debug' | 'verbose';
const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    zh: string,
    en: string,
  ) {
    super(`配置错误 ${variable}：${zh} / Invalid configuration ${variable}: ${en}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function optional(env: Env, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

function url(env: Env, name: string, protocols: readonly string[], example: string): string | null {
  const value = optional(env, name);
  if (value === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(
      name,
      `不是合法的地址，例如 ${example}`,
      `not a valid URL, e.g. ${example}`,
    );
  }
  if (!protocols.includes(parsed.protocol)) {
    const list = protocols.join(' ');
    throw new ConfigError(name, `协议须为 ${list}`, `protocol must be one of ${list}`);
  }
  return value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = optional(env, name);
  if (value === null) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new ConfigError(
      name,
      `“${value}”须为 ${min}–${max} 之间的整数`,
      `"${value}" must be an integer between ${min} and ${max}`,
    );
  }
  return n;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const value = optional(env, name)?.toLowerCase();
  if (value === undefined || value === null) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new ConfigError(name, `“${value}”须为 true 或 false`, `"${value}" must be true or false`);
}

function timeZone(env: Env, name: string, fallback: string): string {
  const value = optional(env, name) ?? fallback;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
  } catch {
    throw new ConfigError(
      name,
      `“${value}”不是有效的 IANA 时区，例如 Asia/Shanghai`,
      `"${value}" is not a valid IANA time zone, e.g. Asia/Shanghai`,
    );
  }
  return value;
}

function mailbox(env: Env, name: string, fallback: string): string {
  const value = optional(env, name) ?? fallback;
  // Accept "addr@host" or "Name <addr@host>".
  if (!/^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/.test(value)) {
    throw new ConfigError(
      name,
      `“${value}”不是合法的邮箱地址，例如 督办系统 <duban@example.org>`,
      `"${value}" is not a valid mailbox, e.g. Duban <duban@example.org>`,
    );
  }
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = optional(env, name);
  if (value === null) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    const list = allowed.join('|');
    throw new ConfigError(name, `“${value}”须为 ${list} 之一`, `"${value}" must be one of ${list}`);
  }
  return value as T;
}

function prefix(env: Env, name: string, fallback: string): string {
  const value = optional(env, name) ?? fallback;
  if (!/^(?:[A-Za-z0-9_-]{1,64}|\{[A-Za-z0-9_-]{1,62}\})$/.test(value)) {
    throw new ConfigError(
      name,
      `“${value}”只能含字母、数字、- 和 _（Redis Cluster 可写成 {duban}）`,
      `"${value}" may only contain letters, digits, - and _ (or be a hash tag such as {duban})`,
    );
  }
  return value;
}

function adminEmail(env: Env): string | null {
  const value = optional(env, 'ADMIN_EMAIL');
  if (value !== null && !/^[^\s@<>]+@[^\s@<>]+$/.test(value)) {
    throw new ConfigError(
      'ADMIN_EMAIL',
      `“${value}”不是合法的邮箱地址`,
      `"${value}" is not a valid email address`,
    );
  }
  return value;
}

function adminPassword(env: Env, email: string | null): string | null {
  const value = env.ADMIN_PASSWORD ?? null;
  if (!value) return null;
  const problem = passwordProblem(value, {
    email: email ?? 'admin@localhost.localdomain',
    name: '系统管理员',
  });
  if (problem !== null) {
    throw new ConfigError(
      'ADMIN_PASSWORD',
      problem,
      'too weak: at least 10 characters, not a common password, no runs or repeats, not containing the e-mail name',
    );
  }
  return value;
}

const GENERATE_SECRET = 'openssl rand -base64 48';

function jwtSecret(env: Env): string | null {
  const value = optional(env, 'JWT_SECRET');
  if (value !== null && Buffer.byteLength(value, 'utf8') < 32) {
    throw new ConfigError(
      'JWT_SECRET',
      `至少 32 字节，例如用 ${GENERATE_SECRET} 生成`,
      `must be at least 32 bytes, e.g. from ${GENERATE_SECRET}`,
    );
  }
  return value;
}

/**
 * A process that signs or checks sign-in tokens against an external database needs JWT_SECRET,
 * the same in every API process of the installation. (Embedded mode generates one into DATA_DIR.)
 */
export function requireJwtSecret(config: Pick<AppConfig, 'jwtSecret' | 'databaseUrl'>): void {
  if (config.jwtSecret === null && config.databaseUrl !== null) {
    throw new ConfigError(
      'JWT_SECRET',
      `使用外部数据库（DATABASE_URL）时必须设置，且所有 API 进程相同；例如用 ${GENERATE_SECRET} 生成`,
      `required with DATABASE_URL and the same in every API process; e.g. from ${GENERATE_SECRET}`,
    );
  }
}

const NAMED_SUBNETS = ['loopback', 'linklocal', 'uniquelocal'];

function trustProxyEntry(entry: string): boolean {
  if (NAMED_SUBNETS.includes(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const max = family === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}

function trustProxy(env: Env): TrustProxy {
  const value = optional(env, 'TRUST_PROXY');
  if (value === null || ['false', 'off', 'no', '0'].includes(value.toLowerCase())) return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 10) {
      throw new ConfigError(
        'TRUST_PROXY',
        `“${value}”：代理层数须为 0–10`,
        `"${value}": the hop count must be 0-10`,
      );
    }
    return hops;
  }
  const entries = value.split(',').map((e) => e.trim());
  const bad = entries.filter((e) => !trustProxyEntry(e));
  if (bad.length) {
    throw new ConfigError(
      'TRUST_PROXY',
      `“${bad.join(', ')}”无效：须为代理层数（如 1）、loopback、linklocal、uniquelocal，或以逗号分隔的 IP 地址/网段（如 10.0.0.0/8）`,
      `"${bad.join(', ')}" is invalid: give a hop count (e.g. 1), loopback, linklocal, uniquelocal, or comma-separated addresses/CIDRs (e.g. 10.0.0.0/8)`,
    );
  }
  return entries;
}

function cron(env: Env, name: string, fallback: string): string {
  const value = optional(env, name) ?? fallback;
  try {
    return parseCron(value).source;
  } catch (error) {
    if (!(error instanceof CronError)) throw error;
    throw new ConfigError(
      name,
      `“${value}”：${error.message}`,
      `"${value}" is not a five-field cron expression (minute hour day month weekday), e.g. "30 8 * * 1"`,
    );
  }
}

function publicUrl(env: Env): string {
  const value =
    url(env, 'PUBLIC_URL', ['http:', 'https:'], 'https://duban.example.org') ??
    `http://localhost:${optional(env, 'PORT') ?? '3000'}`;
  return value.replace(/\/+$/, '');
}

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): AppConfig {
  const dataDir = optional(env, 'DATA_DIR') ?? '.data';
  const admin = adminEmail(env);
  return {
    databaseUrl: url(
      env,
      'DATABASE_URL',
      ['postgres:', 'postgresql:'],
      'postgres://user:pass@host:5432/duban',
    ),
    migrationDatabaseUrl: url(
      env,
      'MIGRATION_DATABASE_URL',
      ['postgres:', 'postgresql:'],
      'postgres://owner:pass@host:5432/duban',
    ),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:'], 'smtp://user:pass@host:587'),
    mailFrom: mailbox(env, 'MAIL_FROM', '督办系统 <duban@localhost>'),
    smtpTimeoutMs: integer(env, 'SMTP_TIMEOUT_MS', 20_000, 100, 300_000),
    port: integer(env, 'PORT', 3000, 0, 65535),
    businessTz: timeZone(env, 'BUSINESS_TZ', 'Asia/Shanghai'),
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(cwd, dataDir),
    embeddedPgPort: integer(env, 'EMBEDDED_PG_PORT', 54329, 1, 65535),
    reconcileIntervalSeconds: integer(env, 'RECONCILE_INTERVAL_SECONDS', 600, 0, 86400),
    seedOnEmpty: boolean(env, 'SEED_ON_EMPTY', true),
    queuePrefix: prefix(env, 'QUEUE_PREFIX', 'duban'),
    workerConcurrency: integer(env, 'WORKER_CONCURRENCY', 8, 1, 256),
    jobLockSeconds: integer(env, 'JOB_LOCK_SECONDS', 15, 2, 600),
    reminderHorizonHours: integer(env, 'REMINDER_HORIZON_HOURS', 24, 1, 24 * 14),
    queueCheckSeconds: integer(env, 'QUEUE_CHECK_SECONDS', 10, 0, 3600),
    deliveryRetryBaseMs: integer(env, 'DELIVERY_RETRY_BASE_MS', 30_000, 10, 3_600_000),
    deliveryMaxAttempts: integer(env, 'DELIVERY_MAX_ATTEMPTS', 15, 1, 50),
    publicUrl: publicUrl(env),
    adminEmail: admin,
    adminPassword: adminPassword(env, admin),
    jwtSecret: jwtSecret(env),
    trustProxy: trustProxy(env),
    dbPool: {
      max: integer(env, 'DB_POOL_SIZE', 10, 1, 200),
      acquireTimeoutMs: integer(env, 'DB_ACQUIRE_TIMEOUT_MS', 10_000, 100, 600_000),
      statementTimeoutMs: integer(env, 'DB_STATEMENT_TIMEOUT_MS', 30_000, 100, 3_600_000),
      idleInTransactionTimeoutMs: integer(
        env,
        'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS',
        30_000,
        100,
        3_600_000,
      ),
    },
    apiDocs: boolean(env, 'API_DOCS', env.NODE_ENV !== 'production'),
    metricsToken: optional(env, 'METRICS_TOKEN'),
    workerHealthPort:
      optional(env, 'WORKER_HEALTH_PORT') === null
        ? null
        : integer(env, 'WORKER_HEALTH_PORT', 0, 0, 65535),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'log'),
    logFormat: oneOf(env, 'LOG_FORMAT', ['json', 'text'] as const, 'json'),
    digest: {
      cron: cron(env, 'DIGEST_CRON', '30 8 * * 1'),
      sendEmpty: boolean(env, 'DIGEST_SEND_EMPTY', false),
      checkSeconds: integer(env, 'DIGEST_CHECK_SECONDS', 300, 0, 86400),
    },
  };
}
