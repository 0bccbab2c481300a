import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Flex, Grid, Segmented, Skeleton, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { fetchAllTasks, type EscalationFilter } from '../../api/queries';
import type { TaskView } from '../../api/views';
import { useSession } from '../../auth/session';
import { PageHeader } from '../../components/PageHeader';
import { TaskTags } from '../../components/TaskTags';
import { ErrorResult } from '../../layout/guards';
import { ESCALATION_FILTERS } from '../../lib/labels';
import { daysBetween, formatDateTime, today } from '../../lib/time';
import { NudgeModal } from './OverduePage';

type Level = Exclude<EscalationFilter, 'none'>;

/** Red cards first, then the longest escalated. */
function byGravity(a: TaskView, b: TaskView): number {
  if (a.escalation.level !== b.escalation.level) return a.escalation.level === 'red' ? -1 : 1;
  return (a.escalation.since ?? '').localeCompare(b.escalation.since ?? '');
}

export function EscalationsPage() {
  const session = useSession();
  const supervisor = session?.user.role === 'supervisor';
  const mobile = !Grid.useBreakpoint().md;
  const [level, setLevel] = useState<Level>('any');
  const tasks = useQuery({
    queryKey: ['desk', 'escalations'],
    queryFn: async () => (await fetchAllTasks({ escalation: 'any' })).sort(byGravity),
  });
  const [target, setTarget] = useState<TaskView | null>(null);
  if (tasks.error) return <ErrorResult error={tasks.error} />;
  const all = tasks.data;
  const red = all?.filter((t) => t.escalation.level === 'red').length ?? 0;
  const yellow = all?.filter((t) => t.escalation.level === 'yellow').length ?? 0;
  const shown = all?.filter((t) => level === 'any' || t.escalation.level === level);
  const late = (t: TaskView) => Math.max(daysBetween(t.dueDate, today()), 0);

  const columns: ColumnsType<TaskView> = [
    {
      title: '条目',
      key: 'item',
      render: (_, t) => (
        <Link to={`/tasks/${t.id}`}>
          第 {t.item.number} 项 · {t.item.title}
        </Link>
      ),
    },
    { title: '责任单位', key: 'unit', width: 130, render: (_, t) => t.unit.name },
    { title: '状态', key: 'status', width: 220, render: (_, t) => <TaskTags task={t} /> },
    { title: '截止日期', dataIndex: 'dueDate', width: 110 },
    {
      title: '升级时间',
      key: 'since',
      width: 150,
      render: (_, t) => formatDateTime(t.escalation.since),
    },
    {
      title: '逾期',
      key: 'late',
      width: 80,
      render: (_, t) => <Typography.Text type="danger">{late(t)} 天</Typography.Text>,
    },
    ...(supervisor
      ? [
          {
            title: '操作',
            key: 'nudge',
            width: 80,
            render: (_: unknown, t: TaskView) => (
              <Button size="small" danger onClick={() => setTarget(t)}>
                催办
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title="升级督办"
        sub={
          all
            ? `红牌 ${red} 项、黄牌 ${yellow} 项：逾期未办结的任务按升级规则亮牌，办结或延期后撤牌`
            : '读取中…'
        }
      />
      <Segmented
        style={{ marginBottom: 12 }}
        value={level}
        onChange={(v) => setLevel(v as Level)}
        options={[
          { value: 'any', label: `${ESCALATION_FILTERS.any}（${red + yellow}）` },
          { value: 'red', label: `${ESCALATION_FILTERS.red}（${red}）` },
          { value: 'yellow', label: `${ESCALATION_FILTERS.yellow}（${yellow}）` },
        ]}
      />
      <div style={{ minHeight: 400 }} data-testid="escalation-board">
        {!shown ? (
          <Skeleton active paragraph={{ rows: 8 }} />
        ) : shown.length === 0 ? (
          <Empty description="没有升级督办的任务" />
        ) : mobile ? (
          <Flex vertical gap={8}>
            {shown.map((t) => (
              <Card key={t.id} size="small" data-testid="escalated-task">
                <Link to={`/tasks/${t.id}`}>
                  第 {t.item.number} 项 · {t.item.title}
                </Link>
                <div style={{ margin: '4px 0', color: '#666' }}>
                  {t.unit.name} · 截止 {t.dueDate} ·{' '}
                  <Typography.Text type="danger">逾期 {late(t)} 天</Typography.Text>
                </div>
                <Flex justify="space-between" align="center">
                  <TaskTags task={t} />
                  {supervisor && (
                    <Button size="small" danger onClick={() => setTarget(t)}>
                      催办
                    </Button>
                  )}
                </Flex>
              </Card>
            ))}
          </Flex>
        ) : (
          <Table
            rowKey="id"
            columns={columns}
            dataSource={shown}
            onRow={() => ({ 'data-testid': 'escalated-task' }) as object}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
          />
        )}
      </div>
      {target && <NudgeModal task={target} onClose={() => setTarget(null)} />}
    </>
  );
}
