import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { cleanEnv, dist, runProcess } from '../support/processes.js';
import { ALL_NEW_ITEMS, REVISED_SEED } from '../plans/revision-documents.js';

const cli = dist('src', 'cli', 'main.js');
const seed = join(process.cwd(), 'seeds', 'hongkou-2022-work-plan.txt');
/** Each command boots the application on its own; several of them per test on a busy machine. */
const SLOW = 240_000;

describe('duban plan:import --dry-run / --revise', () => {
  let dir: string;
  let databaseUrl: string;
  let env: NodeJS.ProcessEnv;
  let revised: string;
  let allNew: string;

  const counts = async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT (SELECT count(*) FROM plans)::int AS plans, (SELECT count(*) FROM items)::int AS items,
                (SELECT count(*) FROM sections)::int AS sections,
                (SELECT count(*) FROM tasks)::int AS tasks, (SELECT count(*) FROM units)::int AS units,
                (SELECT count(*) FROM plan_versions)::int AS versions,
                (SELECT count(*) FROM audit_log)::int AS audit,
                (SELECT count(*) FROM notifications)::int AS notifications,
                (SELECT count(*) FROM reminder_occurrences)::int AS occurrences,
                (SELECT string_agg(status || due_date, ',' ORDER BY id) FROM tasks) AS task_states`,
      );
      return rows[0] as Record<string, unknown>;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'duban-cli-revise-'));
    databaseUrl = await createTestDatabase();
    env = cleanEnv({ DATABASE_URL: databaseUrl });
    revised = join(dir, '2022工作要点（调整稿）.txt');
    await writeFile(revised, REVISED_SEED());
    allNew = join(dir, '全新稿.txt');
    await writeFile(allNew, ALL_NEW_ITEMS());
  });

  afterAll(async () => {
    if (databaseUrl) await dropDatabase(databaseUrl);
  }, SLOW);

  it(
    '--dry-run prints the preview JSON of a new plan and changes nothing',
    async () => {
      const start = await counts();
      const res = await runProcess(cli, ['plan:import', seed, '--dry-run'], env);
      expect(res.code).toBe(0);
      const preview = JSON.parse(res.stdout);
      expect(preview).toMatchObject({
        dryRun: true,
        status: 'new',
        existingPlanId: null,
        plan: { docNumber: '虹教〔2022〕1号', year: 2022 },
        counts: { sections: 7, items: 36 },
        revision: null,
      });
      expect(Object.keys(preview)).toEqual([
        'dryRun',
        'status',
        'existingPlanId',
        'message',
        'plan',
        'sections',
        'units',
        'counts',
        'warnings',
        'revision',
      ]);
      expect(await counts()).toEqual(start);
    },
    SLOW,
  );

  it(
    '--dry-run of a revised document prints the diff and changes nothing',
    async () => {
      expect((await runProcess(cli, ['plan:import', seed], env)).code).toBe(0);
      const start = await counts();
      const res = await runProcess(cli, ['plan:import', revised, '--dry-run'], env);
      expect(res.code).toBe(0);
      const preview = JSON.parse(res.stdout);
      expect(preview).toMatchObject({
        status: 'conflict',
        revision: {
          status: 'revision',
          baseVersion: 1,
          diff: { summary: { removed: 1, reworded: 1, unitsAdded: 1, deadlinesMoved: 1 } },
        },
      });
      const explicit = await runProcess(
        cli,
        ['plan:import', revised, '--dry-run', '--plan', preview.existingPlanId],
        env,
      );
      expect(explicit.code).toBe(0);
      expect(JSON.parse(explicit.stdout).diff).toEqual(preview.revision.diff);
      expect(await counts()).toEqual(start);
    },
    SLOW,
  );

  it(
    'without --revise a revised document exits 2 saying how to revise; with it, it is applied',
    async () => {
      const start = await counts();
      const refused = await runProcess(cli, ['plan:import', revised], env);
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe('');
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(refused.stderr).toContain('--revise');
      expect(await counts()).toEqual(start);

      const applied = await runProcess(cli, ['plan:import', revised, '--revise'], env);
      expect(applied.code).toBe(0);
      expect(applied.stdout).toContain('修订为第2版');
      expect(applied.stdout).toContain('撤销 1 项');
      const after = await counts();
      expect(after).toMatchObject({ versions: 2, tasks: (start.tasks as number) + 1 });
    },
    SLOW,
  );

  it(
    'exits 2 with a Chinese reason for bad input, changing nothing',
    async () => {
      const start = await counts();
      const cases: [string[], string][] = [
        [['plan:import', allNew, '--revise'], '即全部'],
        [['plan:import', revised, '--dry-run', '--plan', 'not-a-plan'], '不是有效的工作要点 id'],
        [['plan:import', revised, '--plan'], '--plan 缺少取值'],
        [['plan:import', revised, '--revise=yes'], '选项 --revise 不带取值'],
        [['plan:import', revised, '--frobnicate'], '未知选项：--frobnicate'],
        [['plan:import', revised, seed], '多余的参数'],
        [
          ['plan:import', revised, '--plan', '00000000-0000-4000-8000-000000000000'],
          '工作要点 00000000-0000-4000-8000-000000000000 不存在',
        ],
      ];
      for (const [args, reason] of cases) {
        const res = await runProcess(cli, args, env);
        expect({ args, code: res.code, stdout: res.stdout }).toEqual({ args, code: 2, stdout: '' });
        expect(res.stderr.trim().split('\n')).toHaveLength(1);
        expect(res.stderr).toContain(reason);
      }
      expect(await counts()).toEqual(start);
    },
    SLOW,
  );
});
