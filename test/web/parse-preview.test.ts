import { describe, expect, test } from '@jest/globals';
import { parsePlanDocument } from '../../src/plan-document/index.js';
import { readParsePreview } from '../../web/src/lib/parse-preview.js';
import { seedPlan, SEED_FILE } from '../support/seed.js';

describe('import preview of the console', () => {
  test('reads the parser’s own output of the seed: 7 sections, 36 items', async () => {
    const parsed = await parsePlanDocument(SEED_FILE, seedPlan());
    const preview = readParsePreview(parsed)!;
    expect(preview.sections).toHaveLength(7);
    expect(preview.itemCount).toBe(36);
    expect(preview.docNumber).toBe('虹教〔2022〕1号');
    const item21 = preview.sections.flatMap((s) => s.items).find((i) => i.number === 21);
    expect(item21?.deadline).toBe('2022-12-31');
  });

  test('reads it inside an envelope with what an import would create', async () => {
    const parsed = await parsePlanDocument(SEED_FILE, seedPlan());
    const preview = readParsePreview({ parse: parsed, wouldCreate: { tasks: 176, units: 24 } })!;
    expect(preview.itemCount).toBe(36);
    expect(preview.wouldCreate).toEqual({ tasks: 176, units: 24 });
  });

  test('gives nothing for an answer that is not a parse', () => {
    expect(readParsePreview({ message: 'x' })).toBeNull();
    expect(readParsePreview('text')).toBeNull();
  });
});
