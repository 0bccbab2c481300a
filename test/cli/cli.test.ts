import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, dropDatabase } from '../support/databases.js';
import { cleanEnv, dist, runProcess } from '../support/processes.js';
import { docxBomb } from '../support/zip.js';

const cli = dist('src', 'cli', 'main.js');
const seed = join(process.cwd(), 'seeds', 'hongkou-2022-work-plan.txt');

describe('duban CLI', () => {
  let dir: string;
  let databaseUrl: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'duban-cli-'));
    databaseUrl = await createTestDatabase();
  });

  afterAll(async () => {
    if (databaseUrl) await dropDatabase(databaseUrl);
  });

  it('plan:parse --json prints only the plan JSON, with no database', async () => {
    const res = await runProcess(
      cli,
      ['plan:parse', seed, '--json'],
      cleanEnv({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }),
    );
    expect(res.code).toBe(0);
    const parsed = JSON.parse(res.stdout);
    expect(Object.keys(parsed)).toEqual(['plan', 'sections', 'units', 'warnings']);
    expect(parsed.plan).toEqual({
      title: '虹口区教育局2022年工作要点',
      docNumber: '虹教〔2022〕1号',
      issuer: '上海市虹口区教育局',
      issuedOn: '2022-03-15',
      year: 2022,
    });
    expect(parsed.sections).toHaveLength(7);
    expect(parsed.units).toHaveLength(23);
    expect(Object.keys(parsed.sections[0].items[0])).toEqual([
      'number',
      'title',
      'body',
      'units',
      'allUnits',
      'deadlineHints',
    ]);
  });

  it('plan:parse without --json prints a readable summary', async () => {
    const res = await runProcess(cli, ['plan:parse', seed], cleanEnv({}));
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('7 个板块，36 项要点，23 个责任单位');
  });

  it('exits 2 with a one-line reason for input that is not a plan', async () => {
    const empty = join(dir, 'empty.txt');
    await writeFile(empty, '');
    const binary = join(dir, 'image.txt');
    await writeFile(
      binary,
      Buffer.from([
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
      ]),
    );
    const prose = join(dir, 'letter.txt');
    await writeFile(prose, '各位同事：\n下周一上午召开全体会议，请准时参加。\n办公室\n');
    const cases: [string[], string][] = [
      [['plan:parse', empty, '--json'], '文件为空'],
      [['plan:parse', binary, '--json'], '不是文本文件'],
      [['plan:parse', prose, '--json'], '未识别出任何工作要点条目'],
      [['plan:parse', join(dir, 'missing.txt')], '找不到文件'],
      [['plan:parse'], '缺少文件参数'],
      [['plan:parse', prose, '--jsn'], '未知选项：--jsn'],
      [['plan:frobnicate'], '未知命令：plan:frobnicate'],
    ];
    for (const [args, reason] of cases) {
      const res = await runProcess(cli, args, cleanEnv({}));
      expect({ args, code: res.code, stdout: res.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr).toContain(reason);
    }
  });

  it('exits 2 with a one-line reason for a zip bomb, a lying zip header or an oversized file', async () => {
    const honest = join(dir, 'bomb.docx');
    await writeFile(honest, docxBomb({ documentMiB: 700 }));
    const lying = join(dir, 'lying.docx');
    await writeFile(lying, docxBomb({ documentMiB: 700, declaredDocumentBytes: 1000 }));
    const huge = join(dir, 'huge.txt');
    await writeFile(huge, Buffer.alloc(11 * 1024 * 1024, 0x41));
    const cases: [string, string][] = [
      [honest, '解压后的总大小超过 50 MB 的上限'],
      [lying, '正文（word/document.xml）解压后超过 20 MB 的上限'],
      [huge, '文件大小超过 10 MB 的上限'],
    ];
    for (const [file, reason] of cases) {
      const res = await runProcess(cli, ['plan:parse', file, '--json'], cleanEnv({}));
      expect({ file, code: res.code, stdout: res.stdout }).toEqual({ file, code: 2, stdout: '' });
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr).toContain(reason);
    }
  });

  it('plan:parse --json reads a plan of 100,000 items', async () => {
    const lines = ['某区教育局2022年工作要点', '一、重点工作'];
    for (let n = 1; n <= 100_000; n++) lines.push(`${n}.推进第${n}项。（责任科室：宣传科）`);
    const file = join(dir, 'large.txt');
    await writeFile(file, lines.join('\n'));
    const res = await runProcess(cli, ['plan:parse', file, '--json'], cleanEnv({}));
    expect(res.code).toBe(0);
    const parsed = JSON.parse(res.stdout);
    expect(parsed.sections[0].items).toHaveLength(100_000);
    expect(parsed.sections[0].items[99_999]).toMatchObject({ number: 100_000, units: ['宣传科'] });
  });

  it('plan:import stores the plan once and says so the second time', async () => {
    const env = cleanEnv({ DATABASE_URL: databaseUrl });
    const first = await runProcess(cli, ['plan:import', seed], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('已导入《虹口区教育局2022年工作要点》');
    expect(first.stdout).toContain('36 项要点');
    const second = await runProcess(cli, ['plan:import', seed], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('未做任何更改');
  });
});
