import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { escapeText, foldLine, renderCalendar } from '../../src/exports/ics.js';
import { signIn, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { seedPlan, SEED_FILE } from '../support/seed.js';

const PUBLIC_URL = 'https://duban.example.org';

/** supertest: keep a binary body as a Buffer. */
function binary(res: request.Response, done: (err: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

interface IcsProperty {
  name: string;
  params: Record<string, string>;
  value: string;
}

/**
 * A strict RFC 5545 reader for what the feed uses: CRLF only, physical lines of at most 75
 * octets, folding by a leading space, BEGIN/END nesting, TEXT unescaping. Throws on anything else.
 */
function parseIcs(text: string): { calendar: IcsProperty[]; events: IcsProperty[][] } {
  if (!text.endsWith('\r\n')) throw new Error('does not end with CRLF');
  const physical = text.slice(0, -2).split('\r\n');
  for (const line of physical) {
    if (line.includes('\n') || line.includes('\r')) throw new Error('bare line break');
    if (Buffer.byteLength(line, 'utf8') > 75) throw new Error(`line over 75 octets: ${line}`);
  }
  const logical: string[] = [];
  for (const line of physical) {
    if (line.startsWith(' ')) {
      if (logical.length === 0) throw new Error('continuation first');
      logical[logical.length - 1] += line.slice(1);
    } else logical.push(line);
  }
  const unescape = (v: string) =>
    v.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
  const calendar: IcsProperty[] = [];
  const events: IcsProperty[][] = [];
  const stack: string[] = [];
  for (const line of logical) {
    const m = /^([A-Z][A-Z0-9-]*)((?:;[A-Z-]+=[^:;]+)*):(.*)$/.exec(line);
    if (!m) throw new Error(`malformed line: ${line}`);
    const [, name, paramText, raw] = m;
    if (name === 'BEGIN') {
      stack.push(raw);
      if (raw === 'VEVENT') events.push([]);
      continue;
    }
    if (name === 'END') {
      if (stack.pop() !== raw) throw new Error(`unbalanced END:${raw}`);
      continue;
    }
    if (/(^|[^\\])[;,]/.test(raw) && ['SUMMARY', 'DESCRIPTION'].includes(name)) {
      throw new Error(`unescaped separator in ${name}`);
    }
    const params = Object.fromEntries(
      paramText
        .split(';')
        .filter(Boolean)
        .map((p) => p.split('=') as [string, string]),
    );
    const prop = { name, params, value: unescape(raw) };
    if (stack.at(-1) === 'VEVENT') events[events.length - 1].push(prop);
    else if (stack.at(-1) === 'VCALENDAR') calendar.push(prop);
    else throw new Error(`property outside a component: ${line}`);
  }
  if (stack.length) throw new Error('unclosed component');
  return { calendar, events };
}

const prop = (event: IcsProperty[], name: string) => event.find((p) => p.name === name);

describe('ICS writing', () => {
  it('escapes TEXT and folds long lines without splitting a character', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
    const long = `SUMMARY:${'督办'.repeat(40)}`;
    const folded = foldLine(long);
    for (const line of folded.split('\r\n')) {
      expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    }
    expect(folded.replace(/\r\n /g, '')).toBe(long);
    const text = renderCalendar({
      name: '测试',
      description: 'x',
      tz: 'Asia/Shanghai',
      stamp: new Date('2026-01-01T00:00:00Z'),
      events: [
        {
          uid: 'task-1@duban',
          date: '2026-12-31',
          summary: 'A, B; <b>C</b>',
          description: '第一行\n第二行',
          url: 'https://duban.example.org/tasks/1',
          sequence: 2,
        },
      ],
    });
    const [event] = parseIcs(text).events;
    expect(prop(event, 'SUMMARY')!.value).toBe('A, B; <b>C</b>');
    expect(prop(event, 'DESCRIPTION')!.value).toBe('第一行\n第二行');
    expect(prop(event, 'DTEND')!.value).toBe('20270101');
  });
});

describe('exports: progress ledger and calendar feeds', () => {
  let databaseUrl: string;
  let app: TestApp;
  let planId: string;
  let supervisor: string;
  let member: { authorization: string };
  let financeId: string;

  const as = (authorization: string) =>
    request.agent(app.baseUrl).set('Authorization', authorization);
  const workbook = async (authorization: string) => {
    const res = await as(authorization)
      .get(`/api/v1/plans/${planId}/ledger.xlsx`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('虹口区教育局2022年工作要点-督办台账.xlsx')}`,
    );
    const book = new ExcelJS.Workbook();
    const body = res.body as Buffer;
    await book.xlsx.load(
      body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
    );
    const sheet = book.getWorksheet('督办台账')!;
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    return rows;
  };

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    app = await startTestApp({ databaseUrl, workers: false, env: { PUBLIC_URL } });
    supervisor = (await signIn(app, 'supervisor')).authorization;
    const imported = await as(supervisor)
      .post('/api/v1/plans/import')
      .attach('file', seedPlan(), SEED_FILE)
      .expect(201);
    planId = imported.body.planId;
    [{ id: financeId }] = await app.db.query(`SELECT id FROM units WHERE name = '计财科'`);
    member = await signIn(app, 'unit_member', '计财科');
    const [task] = await app.db.query<{ id: string }[]>(
      `SELECT t.id FROM tasks t JOIN items i ON i.id = t.item_id
        WHERE t.unit_id = $1 AND i.number = 30`,
      [financeId],
    );
    await as(member.authorization)
      .post(`/api/v1/tasks/${task.id}/submissions`)
      .send({ body: '2022年教育经费预算已编制完成，\n重点项目绩效评价方案已报局党委审议。' })
      .expect(201);
  });

  afterAll(async () => {
    await app?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('exports the ledger as .xlsx, one row per task, matching the database', async () => {
    const rows = await workbook(supervisor);
    expect(rows[0]).toEqual([
      '序号',
      '板块',
      '条目编号',
      '条目',
      '责任单位',
      '角色',
      '截止时间',
      '状态',
      '是否逾期',
      '最近报送时间',
      '最近报送摘要',
      '督办等级',
      '督导评价',
    ]);
    const db = await app.db.query<
      {
        ordinal: number;
        section: string;
        number: number;
        title: string;
        unit: string;
        role: string;
        due: string;
        status: string;
        escalation_level: string;
        report: string | null;
      }[]
    >(
      `SELECT s.ordinal, s.title AS section, i.number, i.title, u.name AS unit, t.role,
              to_char(t.due_date, 'YYYY-MM-DD') AS due, t.status, t.escalation_level,
              (SELECT body FROM submissions WHERE task_id = t.id ORDER BY number DESC LIMIT 1) AS report
         FROM tasks t JOIN items i ON i.id = t.item_id JOIN sections s ON s.id = i.section_id
         JOIN units u ON u.id = t.unit_id
        ORDER BY s.ordinal, i.ordinal, (t.role = 'lead') DESC, u.name, t.id`,
    );
    const data = rows.slice(1);
    expect(data).toHaveLength(db.length);
    const statusLabel: Record<string, string> = { assigned: '已交办', submitted: '已报送' };
    data.forEach((row, i) => {
      const d = db[i];
      expect(row[0]).toBe(i + 1);
      expect(row[1]).toMatch(new RegExp(`^[一二三四五六七]、${d.section ?? ''}$`));
      expect(row[2]).toBe(d.number);
      expect(row[3]).toBe(d.title);
      expect(row[4]).toBe(d.unit);
      expect(row[5]).toBe(d.role === 'lead' ? '牵头' : '配合');
      expect(String(row[6]).slice(0, 10)).toBe(d.due);
      expect(row[7]).toBe(statusLabel[d.status]);
      expect(row[8]).toBe('是'); // 2022 deadlines
      expect(row[11]).toBe({ none: '无', yellow: '黄牌', red: '红牌' }[d.escalation_level]);
      expect(row[12] ?? '').toBe('');
      if (d.report) {
        expect(row[9]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
        expect(row[10]).toBe(`〔待审核〕${d.report.replace(/\s+/g, ' ')}`);
      } else {
        expect(row[9] ?? '').toBe('');
      }
    });
    expect(data.filter((r) => r[10]).map((r) => [r[2], r[4]])).toEqual([[30, '计财科']]);
  });

  it("gives a unit's people only their own unit's rows; an unknown plan is 404", async () => {
    const rows = (await workbook(member.authorization)).slice(1);
    expect(rows.map((r) => r[2])).toEqual([9, 10, 13, 24, 30, 33]);
    expect(new Set(rows.map((r) => r[4]))).toEqual(new Set(['计财科']));
    await as(supervisor)
      .get('/api/v1/plans/00000000-0000-4000-8000-000000000000/ledger.xlsx')
      .expect(404);
  });

  it("serves each unit's deadlines at a secret address that only the admin or unit head sets", async () => {
    await as(member.authorization).post(`/api/v1/units/${financeId}/calendar-feed`).expect(403);
    const otherHead = await signIn(app, 'unit_head', '宣传科');
    await as(otherHead.authorization).post(`/api/v1/units/${financeId}/calendar-feed`).expect(403);
    const head = await signIn(app, 'unit_head', '计财科');
    const created = await as(head.authorization)
      .post(`/api/v1/units/${financeId}/calendar-feed`)
      .expect(201);
    const url = created.body.url as string;
    expect(url).toMatch(new RegExp(`^${PUBLIC_URL}/ics/units/[A-Za-z0-9_-]{43}\\.ics$`));
    const path = url.slice(PUBLIC_URL.length);
    // Only a hash of the token is stored.
    const token = path.slice('/ics/units/'.length, -'.ics'.length);
    const stored = await app.db.query<
      {
        token_hash: string;
      }[]
    >(`SELECT token_hash FROM unit_calendar_feeds`);
    expect(stored).toHaveLength(1);
    expect(stored[0].token_hash).not.toContain(token);

    // No sign-in; a browser-like Accept header still gets the calendar, not the web console.
    const res = await request(app.baseUrl)
      .get(path)
      .set('Accept', 'text/html,*/*')
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const { calendar, events } = parseIcs((res.body as Buffer).toString('utf8'));
    expect(calendar.find((p) => p.name === 'VERSION')!.value).toBe('2.0');
    expect(calendar.find((p) => p.name === 'X-WR-CALNAME')!.value).toBe('计财科 督办截止日期');
    const tasks = await app.db.query<{ id: string; due: string; number: number; title: string }[]>(
      `SELECT t.id, to_char(t.due_date, 'YYYYMMDD') AS due, i.number, i.title
         FROM tasks t JOIN items i ON i.id = t.item_id WHERE t.unit_id = $1 ORDER BY i.number`,
      [financeId],
    );
    expect(events).toHaveLength(tasks.length);
    for (const task of tasks) {
      const event = events.find((e) => prop(e, 'UID')!.value === `task-${task.id}@duban`)!;
      expect(event).toBeDefined();
      expect(prop(event, 'DTSTART')).toEqual({
        name: 'DTSTART',
        params: { VALUE: 'DATE' },
        value: task.due,
      });
      expect(prop(event, 'SUMMARY')!.value).toContain(`第${task.number}条 ${task.title}`);
      expect(prop(event, 'URL')!.value).toBe(`${PUBLIC_URL}/tasks/${task.id}`);
      expect(prop(event, 'DTSTAMP')!.value).toMatch(/^\d{8}T\d{6}Z$/);
    }

    // The admin replaces the address: the old one stops working at once.
    const admin = await signIn(app, 'admin');
    const replaced = await as(admin.authorization)
      .post(`/api/v1/units/${financeId}/calendar-feed`)
      .expect(201);
    expect(replaced.body.url).not.toBe(url);
    const gone = await request(app.baseUrl).get(path).expect(404);
    expect(gone.body.message).toBe('日历订阅地址无效或已更换');
    await request(app.baseUrl).get(replaced.body.url.slice(PUBLIC_URL.length)).expect(200);
    await request(app.baseUrl).get('/ics/units/nonsense.ics').expect(404);
  });
});
