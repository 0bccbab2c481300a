import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { cleanEnv, dist, runProcess } from '../support/processes.js';

const cli = dist('src', 'cli', 'main.js');
const seed = join(process.cwd(), 'seeds', 'hongkou-2022-work-plan.txt');

describe('duban user:create', () => {
  let databaseUrl: string;
  let app: TestApp;
  const run = (args: string[]) =>
    runProcess(cli, ['user:create', ...args], cleanEnv({ DATABASE_URL: databaseUrl }));

  async function signIn(email: string, password: string) {
    const res = await request(app.baseUrl)
      .post('/api/v1/auth/login')
      .send({ email, password })
      .expect(200);
    const me = await request(app.baseUrl)
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${res.body.accessToken}`)
      .expect(200);
    return { authorization: `Bearer ${res.body.accessToken}`, me: me.body };
  }

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    // The units come from the plan.
    const imported = await runProcess(
      cli,
      ['plan:import', seed],
      cleanEnv({ DATABASE_URL: databaseUrl }),
    );
    expect(imported.code).toBe(0);
    app = await startTestApp({ databaseUrl, workers: false });
  });

  afterAll(async () => {
    await app?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('creates a unit member who can then sign in and sees the unit’s tasks', async () => {
    const res = await run([
      '--email',
      'Zhang.San@Example.org',
      '--name',
      '张三',
      '--role',
      'unit_member',
      '--unit',
      '宣传科',
      '--password',
      'bright-orchid-2718',
    ]);
    expect(res).toEqual({
      code: 0,
      stdout: '已创建用户 张三 <zhang.san@example.org>（科室联络员，宣传科）\n',
      stderr: '',
    });
    const { authorization, me } = await signIn('zhang.san@example.org', 'bright-orchid-2718');
    const [unit]: { id: string }[] = await app.db.query(
      `SELECT id FROM units WHERE name = '宣传科'`,
    );
    expect(me).toMatchObject({ name: '张三', role: 'unit_member', unitId: unit.id });
    const tasks = await request(app.baseUrl)
      .get('/api/v1/tasks')
      .set('Authorization', authorization)
      .expect(200);
    expect(tasks.body.total).toBeGreaterThan(0);
    expect(new Set(tasks.body.items.map((t: { unit: { name: string } }) => t.unit.name))).toEqual(
      new Set(['宣传科']),
    );
    // The command leaves a trace like any other account creation.
    const [entry]: { actor: string; action: string; after: { email: string } }[] =
      await app.db.query(
        `SELECT actor, action, after FROM audit_log WHERE action = 'user.create' AND after->>'email' = $1`,
        ['zhang.san@example.org'],
      );
    expect(entry).toMatchObject({ actor: '系统', action: 'user.create' });
  });

  it('without --password makes one up, prints it once, and it signs in', async () => {
    const res = await run(['--email=li.si@example.org', '--name=李四', '--role=supervisor']);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe('');
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('已创建用户 李四 <li.si@example.org>（督导室）');
    const match = /^初始密码（只显示这一次，请妥善转交）：(\S{16,})$/.exec(lines[1]);
    expect(match).not.toBeNull();
    const password = match![1];
    const { me } = await signIn('li.si@example.org', password);
    expect(me).toMatchObject({ name: '李四', role: 'supervisor', unitId: null });
    const [row]: { password_hash: string }[] = await app.db.query(
      `SELECT password_hash FROM users WHERE email = 'li.si@example.org'`,
    );
    expect(row.password_hash.startsWith('$argon2id$')).toBe(true);
    expect(row.password_hash).not.toContain(password);
  });

  it('exits 2 with a one-line reason for bad input, creating nobody', async () => {
    const [{ n: before }]: { n: number }[] = await app.db.query(
      `SELECT count(*)::int AS n FROM users`,
    );
    const base = ['--name', '王五', '--password', 'bright-orchid-2718'];
    const cases: [string[], string][] = [
      [
        ['--email', 'wang@example.org', ...base, '--role', 'unit_member', '--unit', '不存在科'],
        '责任单位“不存在科”不存在',
      ],
      [['--email', 'wang@example.org', ...base, '--role', 'boss'], '角色“boss”无效'],
      [['--email', 'wang@example.org', ...base, '--role', 'unit_head'], '必须属于一个责任单位'],
      [['--email', 'not-an-address', ...base, '--role', 'leader'], '不是合法的邮箱地址'],
      [['--email', 'zhang.san@example.org', ...base, '--role', 'leader'], '已被使用'],
      [[...base, '--role', 'leader'], '缺少 --email'],
      [
        [
          '--email',
          'wang@example.org',
          '--name',
          '王五',
          '--role',
          'leader',
          '--password',
          'short',
        ],
        '密码至少 10 位',
      ],
      [
        [
          '--email',
          'wang@example.org',
          '--name',
          '王五',
          '--role',
          'leader',
          '--password',
          'password2024',
        ],
        '密码过于常见',
      ],
      [
        [
          '--email',
          'wang.wu@example.org',
          '--name',
          '王五',
          '--role',
          'leader',
          '--password',
          'wang.wu-at-work',
        ],
        '密码不能包含邮箱名',
      ],
      [
        ['--email', 'wang@example.org', ...base, '--role', 'leader', '--admin'],
        '未知选项：--admin',
      ],
      [['--email', 'wang@example.org', ...base, '--role'], '选项 --role 缺少取值'],
    ];
    for (const [args, reason] of cases) {
      const res = await run(args);
      expect({ args, code: res.code, stdout: res.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect({ args, lines: res.stderr.trim().split('\n').length }).toEqual({ args, lines: 1 });
      expect(res.stderr).toContain(reason);
    }
    const [{ n: after }]: { n: number }[] = await app.db.query(
      `SELECT count(*)::int AS n FROM users`,
    );
    expect(after).toBe(before);
    // One process per case, eleven cases: more than the default minute on a busy machine.
  }, 180_000);
});
