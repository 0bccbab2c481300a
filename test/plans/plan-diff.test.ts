import { describe, expect, it } from '@jest/globals';
import {
  diffPlans,
  impactByUnit,
  matchItems,
  needsRemovalConfirmation,
  similarity,
  type VersionDocument,
  type VersionItem,
} from '../../src/plans/plan-diff.js';
import { changeLine, revisionMailContent } from '../../src/plans/plan-revision-mail.js';
import { renderMail } from '../../src/notifications/mail-layout.js';

const item = (
  number: number,
  title: string,
  body: string,
  units: string[],
  extra: Partial<VersionItem> = {},
): VersionItem => ({
  itemId: `id-${number}`,
  section: 1,
  number,
  title,
  body,
  allUnits: false,
  deadlineHints: [],
  dueDate: '2026-12-31',
  assignments: units.map((unit, i) => ({ unit, role: i === 0 ? 'lead' : 'co' })),
  ...extra,
});

const doc = (items: VersionItem[]): VersionDocument => ({
  plan: {
    title: '某区教育局2026年工作要点',
    docNumber: '某教〔2026〕1号',
    issuer: null,
    issuedOn: null,
    year: 2026,
  },
  sections: [{ ordinal: 1, title: '重点工作' }],
  items,
});

const fresh = (i: VersionItem): VersionItem => ({ ...i, itemId: null });

const A = item(1, '深化理论学习', '组织全系统专题学习，推进理论武装走深走实。', [
  '组织科',
  '宣传科',
]);
const B = item(2, '加强宣传阵地建设', '完善融媒体平台，讲好区域教育故事。', ['宣传科']);
const C = item(3, '推进课程改革', '落实新课程方案，开展课堂教学评比活动。', ['教研室', '中教科']);

describe('plan diff (修订稿与当前版本的差异)', () => {
  it('finds no change in the same document', () => {
    const diff = diffPlans(doc([A, B, C]), doc([A, B, C].map(fresh)));
    expect(diff.summary).toEqual({
      added: 0,
      removed: 0,
      reworded: 0,
      renumbered: 0,
      unitsAdded: 0,
      unitsRemoved: 0,
      deadlinesMoved: 0,
      unchanged: 3,
    });
    expect(diff.changed).toEqual([]);
  });

  it('recognises an unchanged item that was renumbered after an insertion, by its text', () => {
    const inserted = item(2, '加强安全教育', '开展校园安全专项行动，排查隐患。', ['事务中心']);
    const next = [
      fresh(A),
      fresh(inserted),
      { ...fresh(B), number: 3 },
      { ...fresh(C), number: 4 },
    ];
    const diff = diffPlans(doc([A, B, C]), doc(next));
    expect(diff.summary).toMatchObject({ added: 1, removed: 0, renumbered: 2, reworded: 0 });
    expect(diff.added).toEqual([
      {
        section: 1,
        number: 2,
        title: '加强安全教育',
        units: [{ unit: '事务中心', role: 'lead' }],
        dueDate: '2026-12-31',
      },
    ]);
    expect(diff.changed.map((c) => [c.itemId, c.matchedBy, c.from.number, c.to.number])).toEqual([
      ['id-2', 'text', 2, 3],
      ['id-3', 'text', 3, 4],
    ]);
  });

  it('matches a reworded item in its place by section and number', () => {
    const reworded = {
      ...fresh(B),
      title: '加强宣传阵地和舆论引导',
      body: '完善融媒体平台，讲好区域教育故事，做好舆情应对。',
    };
    const diff = diffPlans(doc([A, B, C]), doc([fresh(A), reworded, fresh(C)]));
    expect(diff.changed).toEqual([
      expect.objectContaining({
        itemId: 'id-2',
        matchedBy: 'number',
        reworded: true,
        renumbered: false,
      }),
    ]);
  });

  it('matches a reworded and renumbered item by similarity, and an unrelated item in the same place not at all', () => {
    const moved = { ...fresh(C), number: 1, body: '落实新课程方案，开展课堂教学评比和展示活动。' };
    const unrelated = item(
      3,
      '做好信访工作',
      '规范热线工单办理流程，提高群众满意度。',
      ['办公室'],
      { itemId: null },
    );
    const pairs = matchItems([A, B, C], [moved, fresh(B), unrelated]);
    expect(pairs).toEqual([
      { old: 2, new: 0, matchedBy: 'similarity', similarity: expect.any(Number) },
      { old: 1, new: 1, matchedBy: 'text', similarity: 1 },
    ]);
    expect(pairs[0].similarity).toBeGreaterThanOrEqual(0.6);
    const diff = diffPlans(doc([A, B, C]), doc([moved, fresh(B), unrelated]));
    expect(diff.removed.map((r) => r.itemId)).toEqual(['id-1']);
    expect(diff.added.map((a) => a.title)).toEqual(['做好信访工作']);
  });

  it('reports units added and removed, roles changed, and a moved deadline that is not a rewording', () => {
    const before = item(1, '深化理论学习', '组织全系统专题学习，年内完成。', ['组织科', '宣传科'], {
      deadlineHints: [{ text: '年内', date: '2026-12-31' }],
    });
    const after = item(
      1,
      '深化理论学习',
      '组织全系统专题学习，6月底前完成。',
      ['宣传科', '人事科'],
      {
        itemId: null,
        deadlineHints: [{ text: '6月底前', date: '2026-06-30' }],
        dueDate: '2026-06-30',
      },
    );
    const diff = diffPlans(doc([before]), doc([after]));
    expect(diff.changed).toEqual([
      expect.objectContaining({
        reworded: false,
        unitsAdded: [{ unit: '人事科', role: 'co' }],
        unitsRemoved: [{ unit: '组织科', role: 'lead' }],
        rolesChanged: [{ unit: '宣传科', from: 'co', to: 'lead' }],
        deadline: { from: '2026-12-31', to: '2026-06-30' },
      }),
    ]);
    const impact = impactByUnit(diff, doc([after]));
    expect(impact.map((u) => [u.unit, u.changes.map((c) => c.kind)])).toEqual([
      ['人事科', ['assigned']],
      ['组织科', ['withdrawn']],
      ['宣传科', ['role', 'deadline']],
    ]);
    expect(changeLine(impact[2].changes[1])).toBe(
      '截止日期调整：第1项“深化理论学习”由 2026-12-31 调整为 2026-06-30',
    );
  });

  it('asks for confirmation when more than half of the items, or all, would go', () => {
    expect(needsRemovalConfirmation(0, 0)).toBe(false);
    expect(needsRemovalConfirmation(1, 1)).toBe(true);
    expect(needsRemovalConfirmation(1, 2)).toBe(false);
    expect(needsRemovalConfirmation(2, 3)).toBe(true);
    expect(needsRemovalConfirmation(18, 36)).toBe(false);
    expect(needsRemovalConfirmation(19, 36)).toBe(true);
    const diff = diffPlans(
      doc([A, B, C]),
      doc([item(1, '全新工作', '与原要点无关的内容。', ['宣传科'], { itemId: null })]),
    );
    expect(diff).toMatchObject({ requiresConfirmation: true, summary: { removed: 3, added: 1 } });
  });

  it('scores similarity on text without spaces and punctuation', () => {
    expect(similarity('推进课程改革。', '推进 课程改革')).toBe(1);
    expect(similarity('推进课程改革', '做好信访工作')).toBe(0);
  });

  it('escapes what a document says in the HTML of the unit message', () => {
    const mail = renderMail(
      revisionMailContent({
        planTitle: '<b>计划</b>',
        docNumber: null,
        version: 2,
        unitName: '宣传科',
        changes: [
          {
            kind: 'reworded',
            item: { section: 1, number: 1, title: '<script>x</script>' },
            renumberedFrom: null,
          },
        ],
      }),
    );
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.text).toContain('内容调整：第1项“<script>x</script>”的文字有修改');
  });
});
