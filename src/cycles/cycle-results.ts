/**
 * A cycle's results — per task, per unit, per section: on time, late, missing, ratings — and the
 * judgements the 通报 bulletin draws from them. Pure.
 */
import { RATING_LABELS, RATINGS, type CycleReportStatus, type Rating } from './cycle-rules.js';

/** One task the cycle asked about, with its reports' facts. */
export interface RequestFacts {
  taskId: string;
  unitId: string;
  unitName: string;
  sectionOrdinal: number;
  sectionTitle: string | null;
  itemNumber: number;
  itemTitle: string;
  role: 'lead' | 'co';
  /** When the first report on the task in this cycle was submitted, if any. */
  firstSubmittedAt: Date | null;
  /** The latest report, if any. */
  latest: { status: CycleReportStatus; rating: Rating | null; comment: string | null } | null;
}

/**
 * on_time/late: reported (judged by the first report's time against the due date); missing: no
 * report standing at the due date or at closing (none, or returned and not reported again);
 * pending: not reported yet, while the cycle is open and not due.
 */
export type RequestOutcome = 'on_time' | 'late' | 'missing' | 'pending';

export const OUTCOME_LABELS: Record<RequestOutcome, string> = {
  on_time: '按时报送',
  late: '逾期报送',
  missing: '未报送',
  pending: '待报送',
};

export interface RequestResult {
  taskId: string;
  unitId: string;
  unitName: string;
  sectionOrdinal: number;
  sectionTitle: string | null;
  itemNumber: number;
  itemTitle: string;
  role: 'lead' | 'co';
  outcome: RequestOutcome;
  /** The latest report was returned and not reported again. */
  returned: boolean;
  rating: Rating | null;
  comment: string | null;
}

export interface Tally {
  requested: number;
  onTime: number;
  late: number;
  missing: number;
  pending: number;
  ratings: Record<Rating, number>;
  unrated: number;
}

export interface UnitResult extends Tally {
  unitId: string;
  unitName: string;
}

export interface SectionResult extends Tally {
  sectionOrdinal: number;
  sectionTitle: string | null;
}

export interface CycleResults {
  totals: Tally;
  units: UnitResult[];
  sections: SectionResult[];
  requests: RequestResult[];
}

export function outcomeOf(
  facts: RequestFacts,
  dueAt: Date,
  now: Date,
  closed: boolean,
): { outcome: RequestOutcome; returned: boolean } {
  const returned = facts.latest?.status === 'returned';
  const standing = facts.latest !== null && !returned;
  if (standing && facts.firstSubmittedAt) {
    return {
      outcome: facts.firstSubmittedAt.getTime() <= dueAt.getTime() ? 'on_time' : 'late',
      returned: false,
    };
  }
  const over = closed || now.getTime() > dueAt.getTime();
  return { outcome: over ? 'missing' : 'pending', returned };
}

function emptyTally(): Tally {
  return {
    requested: 0,
    onTime: 0,
    late: 0,
    missing: 0,
    pending: 0,
    ratings: { good: 0, fair: 0, average: 0, poor: 0 },
    unrated: 0,
  };
}

function count(t: Tally, r: RequestResult): void {
  t.requested++;
  if (r.outcome === 'on_time') t.onTime++;
  else if (r.outcome === 'late') t.late++;
  else if (r.outcome === 'missing') t.missing++;
  else t.pending++;
  if (r.rating) t.ratings[r.rating]++;
  else if (r.outcome === 'on_time' || r.outcome === 'late') t.unrated++;
}

export function computeResults(
  facts: readonly RequestFacts[],
  cycle: { dueAt: Date; closed: boolean },
  now: Date,
): CycleResults {
  const requests: RequestResult[] = facts
    .map((f) => {
      const { outcome, returned } = outcomeOf(f, cycle.dueAt, now, cycle.closed);
      const rated = f.latest?.status === 'rated';
      return {
        taskId: f.taskId,
        unitId: f.unitId,
        unitName: f.unitName,
        sectionOrdinal: f.sectionOrdinal,
        sectionTitle: f.sectionTitle,
        itemNumber: f.itemNumber,
        itemTitle: f.itemTitle,
        role: f.role,
        outcome,
        returned,
        rating: rated ? f.latest!.rating : null,
        comment: f.latest?.comment ?? null,
      };
    })
    .sort((a, b) => a.itemNumber - b.itemNumber || a.unitName.localeCompare(b.unitName, 'zh'));
  const totals = emptyTally();
  const units = new Map<string, UnitResult>();
  const sections = new Map<number, SectionResult>();
  for (const r of requests) {
    count(totals, r);
    let u = units.get(r.unitId);
    if (!u) units.set(r.unitId, (u = { unitId: r.unitId, unitName: r.unitName, ...emptyTally() }));
    count(u, r);
    let s = sections.get(r.sectionOrdinal);
    if (!s) {
      sections.set(
        r.sectionOrdinal,
        (s = { sectionOrdinal: r.sectionOrdinal, sectionTitle: r.sectionTitle, ...emptyTally() }),
      );
    }
    count(s, r);
  }
  return {
    totals,
    units: [...units.values()].sort((a, b) => a.unitName.localeCompare(b.unitName, 'zh')),
    sections: [...sections.values()].sort((a, b) => a.sectionOrdinal - b.sectionOrdinal),
    requests,
  };
}

/**
 * 表现较好: everything reported on time, every report rated 好 or 较好, at least one 好.
 * 需改进 (lagging): anything missing or late, or any report rated 差.
 */
export function isGoodUnit(u: Tally): boolean {
  return (
    u.requested > 0 &&
    u.onTime === u.requested &&
    u.unrated === 0 &&
    u.ratings.average === 0 &&
    u.ratings.poor === 0 &&
    u.ratings.good > 0
  );
}

export function isLaggingUnit(u: Tally): boolean {
  return u.missing > 0 || u.late > 0 || u.ratings.poor > 0;
}

/** A task needing attention: missing, late, or rated 一般/差. Null when it needs none. */
export function attentionReason(r: RequestResult): string | null {
  const reasons: string[] = [];
  if (r.outcome === 'missing') reasons.push(r.returned ? '报告被退回后未重新报送' : '未报送');
  if (r.outcome === 'late') reasons.push('逾期报送');
  if (r.rating === 'average' || r.rating === 'poor') {
    reasons.push(`评价为“${RATING_LABELS[r.rating]}”`);
  }
  return reasons.length ? reasons.join('；') : null;
}

/** "好 3 项、较好 1 项" — the non-zero ratings of a tally, or "—". */
export function ratingsText(t: Tally): string {
  const parts = RATINGS.filter((r) => t.ratings[r] > 0).map(
    (r) => `${RATING_LABELS[r]} ${t.ratings[r]} 项`,
  );
  return parts.length ? parts.join('、') : '—';
}
