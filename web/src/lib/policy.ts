/** One reminder of a policy as the editor shows it: n working days (or hours) before/after. */
export interface OffsetRow {
  /** 'on' is the deadline's own day (P0D). */
  direction: 'before' | 'on' | 'after';
  amount: number;
  unit: 'workdays' | 'hours';
}

/** The row for an ISO-8601 offset the editor can show, or null for anything else. */
export function rowOf(offset: string): OffsetRow | null {
  const m = /^([+-])?P(?:(\d+)D|T(\d+)H)$/.exec(offset.trim().toUpperCase());
  if (!m) return null;
  const amount = Number(m[2] ?? m[3]);
  const unit = m[2] !== undefined ? 'workdays' : 'hours';
  if (amount === 0) return { direction: 'on', amount: 0, unit };
  return { direction: m[1] === '-' ? 'before' : 'after', amount, unit };
}

export function offsetOf(row: OffsetRow): string {
  if (row.direction === 'on' || row.amount === 0) return row.unit === 'workdays' ? 'P0D' : 'PT0H';
  const sign = row.direction === 'before' ? '-' : '';
  return row.unit === 'workdays' ? `${sign}P${row.amount}D` : `${sign}PT${row.amount}H`;
}

export function describeOffset(offset: string): string {
  const row = rowOf(offset);
  if (!row) return offset;
  if (row.amount === 0) return row.unit === 'workdays' ? '截止当天' : '截止时刻';
  const unit = row.unit === 'workdays' ? '个工作日' : '小时';
  return `截止${row.direction === 'before' ? '前' : '后'} ${row.amount} ${unit}`;
}

export const DEFAULT_POLICY = { offsets: ['-P7D', '-P1D', 'P0D'], sendAt: '09:00' };
