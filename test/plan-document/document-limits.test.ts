import { describe, expect, it } from '@jest/globals';
import JSZip from 'jszip';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  parsePlanDocument,
  PLAN_DOCUMENT_LIMITS,
  PlanOverLimitError,
  PlanParseError,
  readPlanDocument,
  type ParseBudget,
  type PlanDocumentLimit,
} from '../../src/plan-document/index.js';
import { makeDocx } from '../support/docx.js';
import { docxBomb, manyEntriesZip } from '../support/zip.js';
import { documentXml, p } from './numbered-docx.js';

/*
 * Documents the importer must refuse with a reason instead of running out of memory, time or
 * stack: zip bombs, lying zip headers, deeply nested XML, documents past the time or memory
 * budget. Each refusal is a PlanOverLimitError naming the limit, in one line of Chinese.
 */

const SMALL_PLAN = readFileSync(resolve('test/fixtures/plans/small-plan.txt'));
const MiB = 1024 * 1024;

async function refusal(
  fileName: string,
  content: Buffer,
  budget?: ParseBudget,
): Promise<PlanOverLimitError> {
  try {
    await parsePlanDocument(fileName, content, budget);
  } catch (error) {
    if (error instanceof PlanOverLimitError) return error;
    throw error;
  }
  throw new Error(`${fileName} was accepted`);
}

function expectRefusal(error: PlanOverLimitError, limit: PlanDocumentLimit, says: string): void {
  expect(error.limit).toBe(limit);
  expect(error.message).toMatch(/^文档超出导入限制：/);
  expect(error.message).toContain(says);
  expect(error.message.split('\n')).toHaveLength(1);
}

/** A plan of `items` items in 20 sections, as plain text. */
function largePlan(items: number): Buffer {
  const numerals = '一二三四五六七八九十';
  const lines = ['某区教育局2022年工作要点'];
  for (let n = 1; n <= items; n++) {
    const section = Math.floor(((n - 1) * 20) / items);
    if (n === 1 || section !== Math.floor(((n - 2) * 20) / items))
      lines.push(`${section < 10 ? '' : '十'}${numerals[section % 10]}、第${section + 1}板块`);
    lines.push(`${n}.推进第${n}项工作。6月底前完成。（责任科室：宣传科、组织科）`);
  }
  return Buffer.from(lines.join('\n'));
}

/** Threads of this process (Linux). */
function threadCount(): number {
  return readdirSync('/proc/self/task').length;
}

describe('plan document limits', () => {
  it('names every limit in one place, each far above a real plan', () => {
    expect(PLAN_DOCUMENT_LIMITS).toEqual({
      maxFileBytes: 10 * MiB,
      maxZipEntries: 2000,
      maxUncompressedBytes: 50 * MiB,
      maxDocumentPartBytes: 20 * MiB,
      maxOtherPartBytes: 10 * MiB,
      maxXmlDepth: 1000,
      timeoutMs: 30_000,
      maxHeapMb: 512,
    });
  });

  it('refuses a zip bomb by its declared size before inflating it', async () => {
    // 700 MiB of zeros in about 700 KB, headers telling the truth.
    const bomb = docxBomb({ documentMiB: 700 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expectRefusal(
      await refusal('bomb.docx', bomb),
      'maxUncompressedBytes',
      '解压后的总大小超过 50 MB',
    );
  });

  it('stops inflating a part whose header understates its size at the part limit', async () => {
    const bomb = docxBomb({ documentMiB: 700, declaredDocumentBytes: 1000 });
    expectRefusal(
      await refusal('bomb.docx', bomb),
      'maxDocumentPartBytes',
      '正文（word/document.xml）解压后超过 20 MB',
    );
    const stylesBomb = docxBomb({ documentMiB: 0, stylesMiB: 100 });
    expectRefusal(
      await refusal('bomb.docx', stylesBomb),
      'maxOtherPartBytes',
      'word/styles.xml 解压后超过 10 MB',
    );
  });

  it('counts the bytes inflated over all parts, whatever the headers say', async () => {
    const bomb = docxBomb({ documentMiB: 3, declaredDocumentBytes: 1000, stylesMiB: 3 });
    const budget = {
      maxUncompressedBytes: 5 * MiB,
      maxDocumentPartBytes: 4 * MiB,
      maxOtherPartBytes: 4 * MiB,
    };
    expectRefusal(await refusal('bomb.docx', bomb, budget), 'maxUncompressedBytes', '5 MB');
  });

  it('refuses a zip archive of too many entries before reading them', async () => {
    expectRefusal(
      await refusal('entries.docx', manyEntriesZip(5000)),
      'maxZipEntries',
      '文件数超过 2000 个',
    );
  });

  it('refuses a file over the size limit without reading it', async () => {
    expectRefusal(
      await refusal('plan.txt', SMALL_PLAN, { maxFileBytes: 500 }),
      'maxFileBytes',
      '文件大小超过 500 字节',
    );
  });

  it('refuses XML nested 100,000 levels deep with a reason, in the worker and in this thread', async () => {
    const depth = 100_000;
    const nested =
      '<w:sdt><w:sdtContent>'.repeat(depth) +
      p('1.推进工作。（责任科室：宣传科）') +
      '</w:sdtContent></w:sdt>'.repeat(depth);
    const docx = await makeDocxXml(documentXml(nested));
    expectRefusal(await refusal('deep.docx', docx), 'maxXmlDepth', '嵌套超过 1000 层');
    await expect(readPlanDocument('deep.docx', docx)).rejects.toBeInstanceOf(PlanOverLimitError);
    // Runs nested 100,000 levels deep inside one paragraph.
    const runs = '<w:r>'.repeat(depth) + '<w:t>甲</w:t>' + '</w:r>'.repeat(depth);
    const inline = await makeDocxXml(documentXml(`<w:p>${runs}</w:p>`));
    expectRefusal(await refusal('deep.docx', inline), 'maxXmlDepth', '1000 层');
  });

  it('reads content nested below the depth limit like any other', async () => {
    const depth = 400;
    const plan = [
      p('某区教育局2022年工作要点'),
      p('一、重点工作'),
      p('1.推进工作。6月底前完成。（责任科室：宣传科）'),
    ].join('');
    const nested =
      '<w:sdt><w:sdtContent>'.repeat(depth) + plan + '</w:sdtContent></w:sdt>'.repeat(depth);
    const parsed = await parsePlanDocument('nested.docx', await makeDocxXml(documentXml(nested)));
    expect(parsed.sections).toEqual([
      {
        ordinal: 1,
        title: '重点工作',
        items: [
          {
            number: 1,
            title: '推进工作',
            body: '6月底前完成。',
            units: ['宣传科'],
            allUnits: false,
            deadlineHints: [{ text: '6月底前', date: '2022-06-30' }],
          },
        ],
      },
    ]);
  });

  it('stops a parse that runs past its time budget, and parses the next document as usual', async () => {
    const large = largePlan(100_000);
    expectRefusal(
      await refusal('large.txt', large, { timeoutMs: 200 }),
      'timeoutMs',
      '解析超过 0.2 秒的时间上限',
    );
    const plan = await parsePlanDocument('small-plan.txt', SMALL_PLAN);
    expect(plan.plan.title).toBe('江湾区教育局2023年工作要点');
  });

  it('stops a parse that needs more memory than its budget', async () => {
    expectRefusal(
      await refusal('large.txt', largePlan(100_000), { maxHeapMb: 16 }),
      'maxHeapMb',
      '所需内存超过 16 MB 的上限',
    );
  });

  it('leaves no thread behind, whatever became of the parse', async () => {
    // Start the process's thread pools first (zlib inflates on libuv's).
    await parsePlanDocument('small-plan.txt', SMALL_PLAN);
    await parsePlanDocument(
      'small-plan.docx',
      readFileSync(resolve('test/fixtures/plans/small-plan.docx')),
    );
    const before = threadCount();
    const large = largePlan(50_000);
    const outcomes = await Promise.allSettled([
      parsePlanDocument('small-plan.txt', SMALL_PLAN),
      parsePlanDocument('large.txt', large, { timeoutMs: 100 }),
      parsePlanDocument('large.txt', large, { maxHeapMb: 16 }),
      parsePlanDocument('bomb.docx', docxBomb({ documentMiB: 100, declaredDocumentBytes: 10 })),
      parsePlanDocument('empty.txt', Buffer.from(' \n')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
    ]);
    expect((outcomes[4] as PromiseRejectedResult).reason).toBeInstanceOf(PlanParseError);
    expect(threadCount()).toBe(before);
  });
});

/** A .docx whose word/document.xml is `xml`. */
async function makeDocxXml(xml: string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(await makeDocx(['x']));
  zip.file('word/document.xml', xml);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
