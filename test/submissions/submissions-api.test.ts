import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ParsedMail } from 'mailparser';
import request from 'supertest';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { makeDocx } from '../support/docx.js';
import { eventually, seedPlan, SEED_FILE } from '../support/seed.js';
import { startSmtp, type TestSmtp } from '../support/smtp.js';

interface TaskView {
  id: string;
  item: { number: number; title: string };
  unit: { id: string; name: string };
  status: string;
  version: number;
}

interface AttachmentView {
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
}

interface SubmissionView {
  id: string;
  taskId: string;
  number: number;
  body: string;
  status: string;
  submittedBy: { id: string; name: string };
  decidedBy: { id: string; name: string } | null;
  decidedAt: string | null;
  decisionComment: string | null;
  version: number;
  attachments: AttachmentView[];
  task?: { id: string; status: string; version: number };
}

type User = Awaited<ReturnType<typeof signIn>>;

// A small but real PDF, with binary bytes after the header so a download must be byte-exact.
const PDF = Buffer.concat([
  Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1'),
  Buffer.from([0, 1, 2, 250, 251, 252, 253, 254, 255]),
  Buffer.from('\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
]);
// A Windows program: "MZ" header, NUL bytes, "PE" signature.
const EXE = Buffer.concat([
  Buffer.from('MZ'),
  Buffer.alloc(58),
  Buffer.from('PE\0\0'),
  Buffer.alloc(200),
]);

describe('progress reports (进展报告)', () => {
  let databaseUrl: string;
  let smtp: TestSmtp;
  let app: TestApp;
  let supervisor: User;
  let supervisor2: User;
  let member: User;
  let outsider: User;
  let tasks: TaskView[];
  const as = (user: User | null) => {
    const agent = request(app.baseUrl);
    const wrap =
      (method: 'get' | 'post') =>
      (path: string): request.Test => {
        const req = agent[method](`/api/v1${path}`);
        return user ? req.set('Authorization', user.authorization) : req;
      };
    return { get: wrap('get'), post: wrap('post') };
  };
  const taskOf = (itemNumber: number) =>
    tasks.find((t) => t.item.number === itemNumber && t.unit.name === '宣传科')!;
  const storedFiles = async () =>
    (await readdir(join(app.config.dataDir, 'attachments')).catch(() => [] as string[])).sort();
  /** The mail to `email` whose subject contains `subject`, once it has arrived. */
  const mailTo = (email: string, subject: string): Promise<ParsedMail> =>
    eventually(async () => {
      const found = smtp.messages.filter(
        (m) => addressesOf(m).includes(email) && (m.subject ?? '').includes(subject),
      );
      return found.length ? found[found.length - 1] : undefined;
    }, 20_000);

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    smtp = await startSmtp();
    app = await startTestApp({ databaseUrl, smtpUrl: smtp.url });
    supervisor = await signIn(app, 'supervisor');
    supervisor2 = await signIn(app, 'supervisor');
    await as(supervisor).post('/plans/import').attach('file', seedPlan(), SEED_FILE).expect(201);
    const all = await as(supervisor).get('/tasks?unit=宣传科&pageSize=200').expect(200);
    tasks = all.body.items;
    member = await signIn(app, 'unit_member', '宣传科');
    outsider = await signIn(app, 'unit_member', '组织科');
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  describe('the whole workflow on item 1 (宣传科 leads)', () => {
    let first: SubmissionView;
    let second: SubmissionView;
    let docx: Buffer;
    const comment = '请补充第二季度的数据，并附活动照片。';

    it('the unit signs for its task and reports with attachments', async () => {
      const task = taskOf(1);
      expect(task.status).toBe('assigned');
      await as(member).post(`/tasks/${task.id}/acknowledge`).send({}).expect(200);
      docx = await makeDocx(['一、工作进展', '已完成宣传方案。']);
      const res = await as(member)
        .post(`/tasks/${task.id}/submissions`)
        .field('body', '一季度已完成宣传方案并组织了三场宣讲。')
        .attach('attachments', docx, '一季度进展.docx')
        .attach('attachments', PDF, 'scan (1).pdf')
        .expect(201);
      first = res.body;
      expect(first).toMatchObject({
        taskId: task.id,
        number: 1,
        status: 'submitted',
        body: '一季度已完成宣传方案并组织了三场宣讲。',
        submittedBy: { id: member.userId },
        decidedBy: null,
        task: { id: task.id, status: 'submitted' },
      });
      expect(first.attachments).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            fileName: '一季度进展.docx',
            contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
            sizeBytes: docx.length,
          }),
          expect.objectContaining({
            fileName: 'scan (1).pdf',
            contentType: 'application/pdf',
            sizeBytes: PDF.length,
          }),
        ]),
      );
      expect(first.attachments).toHaveLength(2);
      const shown = await as(member).get(`/tasks/${task.id}`).expect(200);
      expect(shown.body.status).toBe('submitted');

      // Stored under random names, never the client's, and nothing left under a temporary name.
      const files = await storedFiles();
      expect(files).toHaveLength(2);
      for (const f of files) expect(f).toMatch(/^[0-9a-f-]{36}$/);
      const stored = await Promise.all(
        files.map((f) => readFile(join(app.config.dataDir, 'attachments', f))),
      );
      expect(stored.some((b) => b.equals(PDF))).toBe(true);
      expect(stored.some((b) => b.equals(docx))).toBe(true);
    });

    it('refuses a second report while the first awaits review, naming the status', async () => {
      const res = await as(member)
        .post(`/tasks/${taskOf(1).id}/submissions`)
        .send({ body: '补充说明' })
        .expect(409);
      expect(res.body).toMatchObject({ statusCode: 409, details: { currentStatus: 'submitted' } });
      expect(res.body.message).toContain('已报送');
    });

    it('a supervisor must give a reason to return a report', async () => {
      for (const body of [{}, { comment: '   ' }, { comment: 'x'.repeat(2001) }]) {
        const res = await as(supervisor)
          .post(`/submissions/${first.id}/reject`)
          .send(body)
          .expect(400);
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain('comment');
      }
    });

    it('a supervisor returns it; the unit member is told by mail and in the inbox', async () => {
      const res = await as(supervisor)
        .post(`/submissions/${first.id}/reject`)
        .send({ comment, version: first.version })
        .expect(200);
      expect(res.body).toMatchObject({
        id: first.id,
        status: 'returned',
        decisionComment: comment,
        decidedBy: { id: supervisor.userId },
        task: { status: 'returned' },
      });

      const mail = await mailTo(member.email, '退回');
      expect(mail.subject).toBe(`【进展报告被退回】第1项“${taskOf(1).item.title}”请修改后重新报送`);
      expect(mail.text).toContain(comment);
      expect(String(mail.html)).toContain(comment);

      const inbox = await as(member).get('/notifications').expect(200);
      const entry = inbox.body.items.find(
        (n: { kind: string }) => n.kind === 'submission.returned',
      );
      expect(entry).toMatchObject({ taskId: taskOf(1).id, subject: mail.subject });
      expect(entry.body).toContain(comment);
    });

    it('a returned report cannot be approved afterwards', async () => {
      const res = await as(supervisor2)
        .post(`/submissions/${first.id}/approve`)
        .send({})
        .expect(409);
      expect(res.body.details).toMatchObject({ currentStatus: 'returned' });
    });

    it('the unit reports again as version 2; the supervisor approves and the task is closed', async () => {
      const task = taskOf(1);
      const res = await as(member)
        .post(`/tasks/${task.id}/submissions`)
        .send({ body: '已补充第二季度数据：宣讲 12 场，覆盖 3000 人。' })
        .expect(201);
      second = res.body;
      expect(second).toMatchObject({ number: 2, status: 'submitted', attachments: [] });

      const approved = await as(supervisor2)
        .post(`/submissions/${second.id}/approve`)
        .send({ comment: '同意办结。' })
        .expect(200);
      expect(approved.body).toMatchObject({
        status: 'approved',
        decidedBy: { id: supervisor2.userId },
        decisionComment: '同意办结。',
        task: { status: 'closed' },
      });
      const shown = await as(member).get(`/tasks/${task.id}`).expect(200);
      expect(shown.body.status).toBe('closed');
      expect(shown.body.completedAt).not.toBeNull();

      const mail = await mailTo(member.email, '已通过');
      expect(mail.text).toContain('同意办结。');
      expect(mail.text).toContain('第 2 次报送');
    });

    it('keeps every version with its own text, files and decision, newest first', async () => {
      const res = await as(member)
        .get(`/tasks/${taskOf(1).id}/submissions`)
        .expect(200);
      expect(res.body).toMatchObject({ total: 2, page: 1 });
      const [newest, oldest] = res.body.items as SubmissionView[];
      expect(newest).toMatchObject({ id: second.id, number: 2, status: 'approved' });
      expect(oldest).toMatchObject({
        id: first.id,
        number: 1,
        status: 'returned',
        body: '一季度已完成宣传方案并组织了三场宣讲。',
        decisionComment: comment,
        decidedBy: { id: supervisor.userId },
      });
      expect(oldest.attachments.map((a) => a.fileName).sort()).toEqual([
        'scan (1).pdf',
        '一季度进展.docx',
      ]);
      const paged = await as(supervisor)
        .get(`/tasks/${taskOf(1).id}/submissions?page=2&pageSize=1`)
        .expect(200);
      expect(paged.body).toMatchObject({ total: 2, page: 2, pageSize: 1 });
      expect(paged.body.items.map((s: SubmissionView) => s.number)).toEqual([1]);
    });

    it('an approved report cannot be decided again', async () => {
      const again = await as(supervisor)
        .post(`/submissions/${second.id}/approve`)
        .send({})
        .expect(409);
      expect(again.body.details).toMatchObject({ currentStatus: 'approved' });
      const back = await as(supervisor)
        .post(`/submissions/${second.id}/return`)
        .send({ comment: '再看看' })
        .expect(409);
      expect(back.body.details).toMatchObject({ currentStatus: 'approved' });
    });

    it('lets the unit and a supervisor download the same bytes, and nobody else', async () => {
      const pdf = first.attachments.find((a) => a.fileName === 'scan (1).pdf')!;
      for (const user of [member, supervisor]) {
        const res = await fetch(`${app.baseUrl}/api/v1/attachments/${pdf.id}`, {
          headers: { authorization: user.authorization },
        });
        expect(res.status).toBe(200);
        expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
        expect(res.headers.get('content-type')).toBe('application/pdf');
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('content-disposition')).toBe(
          `attachment; filename="scan (1).pdf"; filename*=UTF-8''scan%20%281%29.pdf`,
        );
      }
      const word = first.attachments.find((a) => a.fileName === '一季度进展.docx')!;
      const res = await fetch(`${app.baseUrl}/api/v1/attachments/${word.id}`, {
        headers: { authorization: member.authorization },
      });
      expect(Buffer.from(await res.arrayBuffer()).equals(docx)).toBe(true);
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="attachment.docx"; filename*=UTF-8''${encodeURIComponent('一季度进展.docx')}`,
      );

      const foreign = await as(outsider).get(`/attachments/${pdf.id}`);
      expect([403, 404]).toContain(foreign.status);
      expect(foreign.text).not.toContain('%PDF');
      await as(null).get(`/attachments/${pdf.id}`).expect(401);
      await as(member).get('/attachments/00000000-0000-4000-8000-000000000000').expect(404);
      await as(member).get('/attachments/..%2F..%2Fetc%2Fpasswd').expect(404);
      // Another unit may not read the reports either.
      await as(outsider)
        .get(`/tasks/${taskOf(1).id}/submissions`)
        .expect(403);
    });
  });

  it('two supervisors approving the same report at once: exactly one succeeds', async () => {
    const task = taskOf(2);
    const submitted = await as(member)
      .post(`/tasks/${task.id}/submissions`)
      .send({ body: '德育工作进展：已完成。' })
      .expect(201);
    const id = submitted.body.id as string;
    const results = await Promise.all(
      [supervisor, supervisor2].map((s) =>
        as(s).post(`/submissions/${id}/approve`).send({ version: submitted.body.version }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.body.details).toMatchObject({ currentStatus: 'approved' });
    const history = await as(supervisor).get(`/tasks/${task.id}/submissions`).expect(200);
    expect(history.body.items).toHaveLength(1);
    expect(history.body.items[0].status).toBe('approved');
    const audit = await as(supervisor)
      .get(`/audit?entityType=submission&entityId=${id}`)
      .expect(200);
    expect(audit.body.items.map((e: { action: string }) => e.action).sort()).toEqual([
      'submission.approve',
      'submission.submit',
    ]);
    await mailTo(member.email, '第2项“');
    const [{ n }] = await app.db.query(
      `SELECT count(*)::int AS n FROM notifications WHERE kind = 'submission.approved' AND task_id = $1 AND channel = 'email'`,
      [task.id],
    );
    expect(n).toBe(1);
  });

  it('shows hostile text in a report and a comment escaped in the mail', async () => {
    const task = taskOf(9);
    const body = '<script>alert("报告")</script>已完成<b>自查</b>';
    const submitted = await as(member)
      .post(`/tasks/${task.id}/submissions`)
      .field('body', body)
      .expect(201);
    expect(submitted.body.body).toBe(body);
    await as(supervisor)
      .post(`/submissions/${submitted.body.id}/reject`)
      .send({ comment: '<script>steal()</script><img src=x onerror="alert(1)">请重写' })
      .expect(200);
    const mail = await mailTo(member.email, '第9项“');
    const html = String(mail.html);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>自查');
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;报告&quot;)&lt;/script&gt;已完成&lt;b&gt;自查&lt;/b&gt;',
    );
    expect(html).toContain(
      '&lt;script&gt;steal()&lt;/script&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;请重写',
    );
    expect(mail.text).toContain('<script>steal()</script><img src=x onerror="alert(1)">请重写');
  });

  describe('refusals', () => {
    it('rejects files that are not what their names claim, or of types not allowed', async () => {
      const target = taskOf(13);
      const before = await storedFiles();
      const disguised = await as(member)
        .post(`/tasks/${target.id}/submissions`)
        .field('body', '见附件')
        .attach('attachments', PDF, 'ok.pdf')
        .attach('attachments', EXE, '进展报告.pdf')
        .expect(400);
      expect(disguised.body.message).toContain('“进展报告.pdf”');
      expect(disguised.body.details[0].field).toBe('attachments');

      const program = await as(member)
        .post(`/tasks/${target.id}/submissions`)
        .field('body', '见附件')
        .attach('attachments', EXE, 'setup.exe')
        .expect(400);
      expect(program.body.message).toContain('“setup.exe”');
      expect(program.body.message).toContain('.pdf');

      const tooMany = as(member).post(`/tasks/${target.id}/submissions`).field('body', '见附件');
      for (let i = 0; i < 6; i++) tooMany.attach('attachments', PDF, `p${i}.pdf`);
      const many = await tooMany.expect(400);
      expect(many.body.message).toContain('最多上传 5 个附件');

      const wrongField = await as(member)
        .post(`/tasks/${target.id}/submissions`)
        .field('body', '见附件')
        .attach('file', PDF, 'a.pdf')
        .expect(400);
      expect(wrongField.body.message).toContain('attachments');

      const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]);
      const huge = await as(member)
        .post(`/tasks/${target.id}/submissions`)
        .field('body', '见附件')
        .attach('attachments', big, '全年台账.pdf')
        .expect(413);
      expect(huge.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
      expect(huge.body.message).toContain('“全年台账.pdf”超过 10 MB');

      // Nothing was recorded and nothing left on disk.
      const after = await as(member).get(`/tasks/${target.id}/submissions`).expect(200);
      expect(after.body.total).toBe(0);
      const unchanged = await as(member).get(`/tasks/${target.id}`).expect(200);
      expect(unchanged.body).toMatchObject({ status: 'assigned', version: target.version });
      expect(await storedFiles()).toEqual(before);
    });

    it("lets only the task's own unit report, and only supervisors decide", async () => {
      const task = taskOf(13);
      const before = await storedFiles();
      const foreign = await as(outsider)
        .post(`/tasks/${task.id}/submissions`)
        .field('body', '越权报送')
        .attach('attachments', PDF, 'x.pdf')
        .expect(403);
      expect(foreign.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
      await as(supervisor).post(`/tasks/${task.id}/submissions`).send({ body: '代报' }).expect(403);
      await as(null).post(`/tasks/${task.id}/submissions`).send({ body: '匿名' }).expect(401);
      // Someone changed the task since this member looked: 409, and the file is not kept.
      const stale = await as(member)
        .post(`/tasks/${task.id}/submissions`)
        .field('body', '按旧版本报送')
        .field('version', String(task.version + 5))
        .attach('attachments', PDF, 'x.pdf')
        .expect(409);
      expect(stale.body.details).toMatchObject({ currentVersion: task.version });
      expect(await storedFiles()).toEqual(before);

      const mine = await as(member)
        .post(`/tasks/${task.id}/submissions`)
        .send({ body: '本单位报送' })
        .expect(201);
      await as(member).post(`/submissions/${mine.body.id}/approve`).send({}).expect(403);
      await as(outsider)
        .post(`/submissions/${mine.body.id}/reject`)
        .send({ comment: '不行' })
        .expect(403);
      await as(null).post(`/submissions/${mine.body.id}/approve`).send({}).expect(401);
      await as(supervisor)
        .post('/submissions/00000000-0000-4000-8000-000000000000/approve')
        .send({})
        .expect(404);
      const history = await as(supervisor).get(`/tasks/${task.id}/submissions`).expect(200);
      expect(history.body.items.map((s: SubmissionView) => [s.number, s.status])).toEqual([
        [1, 'submitted'],
      ]);
      // The refused attempts are on the record.
      const refused = await as(supervisor).get(`/audit?actorId=${outsider.userId}`).expect(200);
      expect(refused.body.items.map((e: { action: string }) => e.action)).toContain('forbidden');
    });

    it('rejects an empty, blank or overlong report', async () => {
      const task = taskOf(13);
      const cases: [request.Test, string][] = [
        [as(member).post(`/tasks/${task.id}/submissions`).send({}), 'body'],
        [as(member).post(`/tasks/${task.id}/submissions`).send({ body: ' \n ' }), 'body'],
        [
          as(member)
            .post(`/tasks/${task.id}/submissions`)
            .send({ body: '字'.repeat(20_001) }),
          'body',
        ],
        [as(member).post(`/tasks/${task.id}/submissions`).field('body', ''), 'body'],
        [as(member).post(`/tasks/${task.id}/submissions`).send({ body: 'ok', extra: 1 }), 'extra'],
      ];
      for (const [req, field] of cases) {
        const res = await req.expect(400);
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      }
      await as(member)
        .post('/tasks/00000000-0000-4000-8000-000000000000/submissions')
        .send({ body: '不存在的任务' })
        .expect(404);
    });
  });

  it('records submit, return and approve with their actors in the audit trail', async () => {
    const res = await as(supervisor).get('/audit?entityType=submission&pageSize=200').expect(200);
    const entries = res.body.items as {
      action: string;
      actorId: string;
      actor: string;
      entityId: string;
      before: { status?: string } | null;
      after: { status?: string; comment?: string };
    }[];
    const history = await as(supervisor)
      .get(`/tasks/${taskOf(1).id}/submissions`)
      .expect(200);
    const [second, first] = history.body.items as SubmissionView[];
    const of = (id: string) =>
      entries
        .filter((e) => e.entityId === id)
        .map((e) => [e.action, e.actorId])
        .reverse();
    expect(of(first.id)).toEqual([
      ['submission.submit', member.userId],
      ['submission.return', supervisor.userId],
    ]);
    expect(of(second.id)).toEqual([
      ['submission.submit', member.userId],
      ['submission.approve', supervisor2.userId],
    ]);
    const returned = entries.find(
      (e) => e.entityId === first.id && e.action === 'submission.return',
    )!;
    expect(returned.before).toMatchObject({ status: 'submitted' });
    expect(returned.after).toMatchObject({
      status: 'returned',
      comment: '请补充第二季度的数据，并附活动照片。',
    });
    const [{ name }] = await app.db.query(`SELECT name FROM users WHERE id = $1`, [
      supervisor.userId,
    ]);
    expect(returned.actor).toBe(name);
    await as(member).get('/audit?entityType=submission').expect(403);
  });

  it('documents the endpoints in OpenAPI', async () => {
    const res = await request(app.baseUrl).get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/tasks/{id}/submissions',
        '/api/v1/submissions/{id}/approve',
        '/api/v1/submissions/{id}/reject',
        '/api/v1/attachments/{id}',
      ]),
    );
  });
});

function addressesOf(mail: ParsedMail): string[] {
  const to = mail.to;
  const list = Array.isArray(to) ? to : to ? [to] : [];
  return list.flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));
}
