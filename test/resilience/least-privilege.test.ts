import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { loadConfig } from '../../src/config/config.js';
import { ensureLoginRole, withCredentials } from '../../src/database/app-role.js';
import { prepareDatabase } from '../../src/runtime.js';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase, withDatabase } from '../support/databases.js';
import { dist, runProcess, cleanEnv } from '../support/processes.js';
import { seedPlan, SEED_FILE } from '../support/seed.js';

const cli = dist('src', 'cli', 'main.js');

/**
 * The application runs as a role that cannot change the schema or rewrite the audit trail; the
 * trail is chained by hash, so an edit made with the owner's rights is found by `audit:verify`.
 */
describe('least privilege and a tamper-evident audit trail', () => {
  let ownerUrl: string;
  let appUrl: string;
  let role: string;
  let app: TestApp;

  beforeAll(async () => {
    ownerUrl = await createTestDatabase();
    role = `duban_app_${randomBytes(4).toString('hex')}`;
    await ensureLoginRole(ownerUrl, role, 'app-role-password');
    appUrl = withCredentials(ownerUrl, role, 'app-role-password');
    const database = await prepareDatabase(
      loadConfig({ DATABASE_URL: appUrl, MIGRATION_DATABASE_URL: ownerUrl, LOG_LEVEL: 'error' }),
    );
    expect(database.queueSchemaMigrated).toBe(true);
    app = await startTestApp({ databaseUrl: appUrl, queueSchemaMigrated: true });
  });

  afterAll(async () => {
    await app?.close();
    if (ownerUrl) await dropDatabase(ownerUrl);
    await withDatabase(ownerUrl.replace(/\/[^/]+$/, '/postgres'), async (c) => {
      await c.query(`DROP ROLE IF EXISTS "${role}"`);
    });
  });

  async function asApp<T>(sql: string): Promise<T> {
    return withDatabase(appUrl, async (c) => (await c.query(sql)).rows as T);
  }

  it('works as the application role: imports a plan and reads its audit trail', async () => {
    const [{ current_user }] = await app.db.query(`SELECT current_user`);
    expect(current_user).toBe(role);
    const supervisor = await signIn(app, 'supervisor');
    const imported = await request(app.baseUrl)
      .post('/api/v1/plans/import')
      .set('Authorization', supervisor.authorization)
      .attach('file', seedPlan(), SEED_FILE)
      .expect(201);
    expect(imported.body.counts.items).toBe(36);
    const audit = await request(app.baseUrl)
      .get('/api/v1/audit')
      .set('Authorization', supervisor.authorization)
      .query({ entityType: 'plan' })
      .expect(200);
    expect(audit.body.items[0].action).toBe('plan.import');
  });

  it.each([
    ['UPDATE audit_log SET actor = $$x$$', 'update'],
    ['DELETE FROM audit_log', 'delete'],
    ['TRUNCATE audit_log', 'truncate'],
    ['ALTER TABLE audit_log DISABLE TRIGGER ALL', 'alter'],
    ['DROP TABLE audit_log', 'drop'],
    ['UPDATE audit_chain_head SET seq = 0', 'head'],
    ['CREATE TABLE intruder (id int)', 'ddl'],
  ])('the application role may not: %s', async (sql) => {
    await expect(asApp(sql)).rejects.toMatchObject({ code: '42501' });
  });

  it('cannot back-date an entry: its time is the database’s', async () => {
    await asApp(
      `INSERT INTO audit_log (actor, action, entity_type, at) VALUES ('x', 'probe', 'test', '2001-01-01')`,
    );
    const [row] = await asApp<{ at: Date }[]>(
      `SELECT at FROM audit_log WHERE action = 'probe' ORDER BY seq DESC LIMIT 1`,
    );
    expect(Math.abs(new Date(row.at).getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('audit:verify finds the trail intact, then names an entry changed with the owner’s rights', async () => {
    const env = cleanEnv({
      DATABASE_URL: appUrl,
      MIGRATION_DATABASE_URL: ownerUrl,
      LOG_LEVEL: 'error',
    });
    const intact = await runProcess(cli, ['audit:verify'], env);
    expect(intact.stderr).toBe('');
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain('审计记录完整');
    const [{ seq, after }] = await withDatabase(
      ownerUrl,
      async (c) =>
        (await c.query(`SELECT seq, after FROM audit_log WHERE action = 'plan.import'`)).rows,
    );
    const setAfter = (value: unknown) =>
      withDatabase(ownerUrl, async (c) => {
        await c.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`);
        await c.query(`UPDATE audit_log SET after = $2 WHERE seq = $1`, [
          seq,
          JSON.stringify(value),
        ]);
        await c.query(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`);
      });
    await setAfter({ ...after, title: '改过的标题' });
    const tampered = await runProcess(cli, ['audit:verify'], env);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain(`第 ${seq} 条`);
    expect(tampered.stderr).toContain('内容与其哈希不符');
    // Put back as it was: the chain is whole again.
    await setAfter(after);
    expect((await runProcess(cli, ['audit:verify'], env)).code).toBe(0);
  });

  it('audit:verify names a deleted entry', async () => {
    const [{ seq }] = await withDatabase(ownerUrl, async (c) => {
      const rows = (await c.query(`SELECT seq FROM audit_log WHERE action = 'plan.import'`)).rows;
      await c.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`);
      await c.query(`DELETE FROM audit_log WHERE action = 'plan.import'`);
      await c.query(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`);
      return rows;
    });
    const env = cleanEnv({
      DATABASE_URL: appUrl,
      MIGRATION_DATABASE_URL: ownerUrl,
      LOG_LEVEL: 'error',
    });
    const res = await runProcess(cli, ['audit:verify'], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`第 ${seq}–${seq} 条记录缺失`);
  });
});
