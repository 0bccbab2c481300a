import { describe, expect, it } from '@jest/globals';
import {
  combine,
  itemProgress,
  planProgress,
  type ProgressSectionInput,
  type ProgressStatus,
  type ProgressTask,
  sectionProgress,
  taskProgress,
} from '../../src/plans/progress.js';
import type { TaskStatus } from '../../src/tasks/task-state.js';

const NOW = new Date('2026-06-15T04:00:00Z');
const FUTURE = new Date('2026-12-31T15:59:59Z');
const PAST = new Date('2026-06-01T15:59:59Z');

/** 'in_progress' = on time; 'in_progress!' = past its deadline; '!y' / '!r' with a yellow or red card. */
function task(spec: string, role: 'lead' | 'co' = 'co', unit = 'U'): ProgressTask {
  const late = spec.includes('!');
  const card = spec.endsWith('!y') ? 'yellow' : spec.endsWith('!r') ? 'red' : 'none';
  return {
    status: spec.replace(/!.?$/, '') as TaskStatus,
    dueAt: late ? PAST : FUTURE,
    escalation: card,
    role,
    unitId: `id-${unit}`,
    unitName: unit,
  };
}

const item = (specs: string[]) =>
  itemProgress(
    {
      id: 'i',
      number: 1,
      title: 't',
      tasks: specs.map((s, i) => task(s, i === 0 ? 'lead' : 'co')),
    },
    NOW,
  );

describe('plan progress rollup (pure)', () => {
  it.each<[string, TaskStatus, Date, ProgressStatus]>([
    ['a new task', 'assigned', FUTURE, 'assigned'],
    ['a signed-for task has not started', 'acknowledged', FUTURE, 'assigned'],
    ['work under way', 'in_progress', FUTURE, 'in_progress'],
    ['a returned report means work goes on', 'returned', FUTURE, 'in_progress'],
    ['a submitted report', 'submitted', FUTURE, 'submitted'],
    ['an open task past its deadline', 'in_progress', PAST, 'overdue'],
    ['a submitted task past its deadline is still open', 'submitted', PAST, 'overdue'],
    ['a closed task is never overdue', 'closed', PAST, 'closed'],
    ['a cancelled task is never overdue', 'cancelled', PAST, 'cancelled'],
  ])('a task: %s', (_name, status, dueAt, expected) => {
    expect(taskProgress(status, dueAt, NOW)).toBe(expected);
  });

  it.each<[string, string[], ProgressStatus]>([
    ['all tasks closed → closed', ['closed', 'closed'], 'closed'],
    ['closed and cancelled tasks: the work is done → closed', ['closed', 'cancelled'], 'closed'],
    ['any open task overdue → overdue', ['closed', 'in_progress!', 'submitted'], 'overdue'],
    ['an overdue task outweighs everything open', ['assigned!', 'assigned'], 'overdue'],
    ['all cancelled → cancelled', ['cancelled', 'cancelled'], 'cancelled'],
    [
      'a cancelled task does not keep others from counting',
      ['cancelled', 'submitted'],
      'submitted',
    ],
    ['submitted and none awaiting the unit → submitted', ['submitted', 'closed'], 'submitted'],
    [
      'submitted but another unit still works → in_progress',
      ['submitted', 'in_progress'],
      'in_progress',
    ],
    [
      'submitted but another unit has not started → in_progress',
      ['submitted', 'assigned'],
      'in_progress',
    ],
    ['submitted but returned elsewhere → in_progress', ['submitted', 'returned'], 'in_progress'],
    ['nothing started → assigned', ['assigned', 'acknowledged'], 'assigned'],
    ['one unit started → in_progress', ['assigned', 'in_progress'], 'in_progress'],
    ['one unit finished, another not started → in_progress', ['closed', 'assigned'], 'in_progress'],
  ])('an item: %s', (_name, specs, expected) => {
    expect(item(specs).status).toBe(expected);
    expect(item(specs).overdue).toBe(expected === 'overdue');
  });

  it('counts an item’s tasks by status and names the lead unit’s status', () => {
    const result = itemProgress(
      {
        id: 'i36',
        number: 36,
        title: '扎实做好信访工作',
        tasks: [
          task('submitted', 'lead', '办公室'),
          task('in_progress!', 'co', '宣传科'),
          task('closed', 'co', '组织科'),
        ],
      },
      NOW,
    );
    expect(result.status).toBe('overdue');
    expect(result.counts).toEqual({
      total: 3,
      overdue: 1,
      yellow: 0,
      red: 0,
      assigned: 0,
      acknowledged: 0,
      in_progress: 1,
      submitted: 1,
      returned: 0,
      closed: 1,
      cancelled: 0,
    });
    expect(result.lead).toEqual({
      unitId: 'id-办公室',
      unitName: '办公室',
      status: 'submitted',
      overdue: false,
    });
  });

  it('has no single lead for an item every unit leads', () => {
    const result = itemProgress(
      {
        id: 'i9',
        number: 9,
        title: 't',
        tasks: [task('assigned', 'lead', 'A'), task('assigned', 'lead', 'B')],
      },
      NOW,
    );
    expect(result.lead).toBeNull();
    expect(result.status).toBe('assigned');
  });

  it('rolls a section up from its items the same way, closed only when every item is closed', () => {
    const section = (itemSpecs: string[][]): ProgressSectionInput => ({
      id: 's',
      ordinal: 7,
      title: '七',
      items: itemSpecs.map((specs, n) => ({
        id: `i${n}`,
        number: n + 1,
        title: `item ${n + 1}`,
        tasks: specs.map((s) => task(s)),
      })),
    });
    const cases: [string[][], ProgressStatus][] = [
      [[['closed'], ['closed', 'cancelled']], 'closed'],
      [[['closed'], ['submitted']], 'submitted'],
      [[['closed'], ['assigned']], 'in_progress'],
      [[['closed'], ['in_progress!']], 'overdue'],
      [[['cancelled'], ['cancelled']], 'cancelled'],
      [[['cancelled'], ['closed']], 'closed'],
      [[['assigned'], ['acknowledged']], 'assigned'],
      [[['submitted'], ['in_progress']], 'in_progress'],
    ];
    for (const [specs, expected] of cases) {
      expect([specs, sectionProgress(section(specs), NOW).status]).toEqual([specs, expected]);
    }
    const mixed = sectionProgress(
      section([['closed'], ['submitted', 'closed'], ['assigned!']]),
      NOW,
    );
    expect(mixed.counts).toEqual({
      total: 3,
      assigned: 0,
      in_progress: 0,
      submitted: 1,
      overdue: 1,
      closed: 1,
      cancelled: 0,
    });
    expect(mixed.taskCounts).toMatchObject({
      total: 4,
      closed: 2,
      submitted: 1,
      assigned: 1,
      overdue: 1,
    });
    expect(mixed.overdue).toBe(true);
  });

  it('totals a plan over its sections', () => {
    const plan = planProgress(
      [
        {
          id: 's1',
          ordinal: 1,
          title: null,
          items: [{ id: 'a', number: 1, title: 'a', tasks: [task('closed')] }],
        },
        {
          id: 's2',
          ordinal: 2,
          title: null,
          items: [
            { id: 'b', number: 2, title: 'b', tasks: [task('submitted'), task('closed')] },
            { id: 'c', number: 3, title: 'c', tasks: [task('assigned')] },
          ],
        },
      ],
      NOW,
    );
    expect(plan.totals).toEqual({ sections: 2, items: 3, tasks: 4 });
    expect(plan.sections.map((s) => s.status)).toEqual(['closed', 'in_progress']);
    expect(plan.itemCounts).toMatchObject({ closed: 1, submitted: 1, assigned: 1, total: 3 });
    expect(plan.sectionCounts).toMatchObject({ closed: 1, in_progress: 1, total: 2 });
    expect(plan.status).toBe('in_progress');
    expect(plan.overdue).toBe(false);
  });

  it('treats an empty list as nothing started, and combines progress statuses directly', () => {
    expect(combine([])).toBe('assigned');
    expect(combine(['in_progress', 'assigned'])).toBe('in_progress');
    expect(combine(['overdue', 'closed'])).toBe('overdue');
  });

  it('counts the yellow and red cards of an item and of its section', () => {
    const carded = itemProgress(
      {
        id: 'i',
        number: 1,
        title: 't',
        tasks: [
          task('in_progress!y', 'lead', '宣传科'),
          task('assigned!r', 'co', '组织科'),
          task('closed'),
        ],
      },
      NOW,
    );
    expect(carded.counts).toMatchObject({ total: 3, overdue: 2, yellow: 1, red: 1 });
    const rolled = sectionProgress(
      {
        id: 's',
        ordinal: 1,
        title: 'S',
        items: [
          { id: 'i', number: 1, title: 't', tasks: [task('returned!r')] },
          { id: 'j', number: 2, title: 'u', tasks: [task('assigned!y'), task('assigned!r')] },
        ],
      },
      NOW,
    );
    expect(rolled.taskCounts).toMatchObject({ total: 3, yellow: 1, red: 2 });
  });
});
