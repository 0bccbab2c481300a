import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { PlansService } from '../../src/plans/plans.service.js';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { docxBomb, manyEntriesZip } from '../support/zip.js';

/*
 * Hostile and huge documents through the real API: refused with 413 and the reason, parsed off
 * the event loop, while the service goes on answering.
 */

/** A plan of `count` items whose title, date and doc number give no year. */
function largePlanWithoutYear(count: number): Buffer {
  const numerals = '一二三四五六七八九十';
  const lines = ['某区教育局工作要点'];
  for (let n = 1; n <= count; n++) {
    const section = Math.floor(((n - 1) * 20) / count);
    if (n === 1 || section !== Math.floor(((n - 2) * 20) / count))
      lines.push(`${section < 10 ? '' : '十'}${numerals[section % 10]}、第${section + 1}板块`);
    lines.push(`${n}.推进第${n}项。6月底前完成。（责任科室：宣传科、组织科）`);
  }
  return Buffer.from(lines.join('\n'));
}

describe('plan import API with hostile and huge documents', () => {
  let databaseUrl: string;
  let app: TestApp;
  let api: () => ReturnType<typeof request.agent>;
  let plans: PlansService;
  const health = async (): Promise<number> => (await fetch(`${app.baseUrl}/api/v1/health`)).status;
  const counts = async () =>
    (
      await app.db.query(
        `SELECT (SELECT count(*) FROM plans)::int AS plans, (SELECT count(*) FROM items)::int AS items`,
      )
    )[0] as { plans: number; items: number };

  /** Runs `during` each time the service starts parsing a document, until `run` resolves. */
  async function whileParsing<T>(during: () => void, run: () => Promise<T>): Promise<T> {
    const parse = plans.parse.bind(plans);
    plans.parse = (fileName, content) => {
      during();
      return parse(fileName, content);
    };
    try {
      return await run();
    } finally {
      plans.parse = parse;
    }
  }

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    app = await startTestApp({ databaseUrl, workers: false });
    plans = app.app.get(PlansService);
    const supervisor = await signIn(app, 'supervisor');
    const agent = request.agent(app.baseUrl).set('Authorization', supervisor.authorization);
    api = () => agent;
  });

  afterAll(async () => {
    await app?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('refuses zip bombs with 413 naming the limit, answering /health while and after', async () => {
    const cases: [Buffer, string, string][] = [
      // 700 MiB of zeros in ~700 KB, honest headers: refused before inflating.
      [docxBomb({ documentMiB: 700 }), 'maxUncompressedBytes', '解压后的总大小超过 50 MB'],
      // The same with headers claiming 1,000 bytes: inflating stops at the part limit.
      [
        docxBomb({ documentMiB: 700, declaredDocumentBytes: 1000 }),
        'maxDocumentPartBytes',
        '解压后超过 20 MB',
      ],
      [manyEntriesZip(5000), 'maxZipEntries', '文件数超过 2000 个'],
    ];
    const during: Promise<number>[] = [];
    await whileParsing(
      () => during.push(health()),
      async () => {
        for (const [bomb, limit, reason] of cases) {
          expect(bomb.length).toBeLessThan(1024 * 1024);
          const res = await api()
            .post('/api/v1/plans/import')
            .attach('file', bomb, 'plan.docx')
            .expect(413);
          expect(res.body).toEqual({
            statusCode: 413,
            error: 'Payload Too Large',
            message: expect.stringContaining(reason),
            details: { limit },
          });
          expect(res.body.message).toMatch(/^文档超出导入限制：[^\n]+$/);
        }
      },
    );
    expect(await Promise.all(during)).toEqual([200, 200, 200]);
    expect(await health()).toBe(200);
    expect(await counts()).toEqual({ plans: 0, items: 0 });
  });

  it('parses a 100,000-item document off the event loop: /health answers before the import does', async () => {
    const order: string[] = [];
    let answered: Promise<number> = Promise.resolve(0);
    const res = await whileParsing(
      () => {
        answered = health().then((status) => {
          order.push('health');
          return status;
        });
      },
      () =>
        api()
          .post('/api/v1/plans/import')
          .attach('file', largePlanWithoutYear(100_000), 'plan.txt')
          .then((r) => {
            order.push('import');
            return r;
          }),
    );
    // Parsed within the budget (no 413); refused afterwards for its missing year.
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('无法确定工作要点的年份');
    expect(await answered).toBe(200);
    expect(order).toEqual(['health', 'import']);
    expect(await counts()).toEqual({ plans: 0, items: 0 });
  });
});
