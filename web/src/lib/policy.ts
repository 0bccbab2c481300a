/** One reminder of a policy as the editor shows it: n working days (or hours) before/after. */
export interface OffsetRow {
  direction: 'before' | 'after';
  amount: number;
  unit: 'workdays' | 'hours';
}

/** The row for an ISO-8601 offset the editor can show, or null for anything else. */
export function rowOf(offset: string): OffsetRow | null {
  const m = /^([+-])?P(?:(\d+)D|T(\d+)H)$/.exec(offset.trim().toUpperCase());
  if (!m) return null;
  const direction = m[1] === '-' ? 'before' : 'after';
  if (m[2] !== undefined) return { direction, amount: Number(m[2]), unit: 'workdays' };
  return { direction, amount: Number(m[3]), unit: 'hours' };
}

export function offsetOf(row: OffsetRow): string {
  const sign = row.direction === 'before' && row.amount > 0 ? '-' : '';
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
