import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  Card,
  Empty,
  Flex,
  Grid,
  Pagination,
  Segmented,
  Select,
  Skeleton,
  Table,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import {
  useTasks,
  useUnits,
  usePlans,
  type EscalationFilter,
  type TaskStatusFilter,
} from '../api/queries';
import { ESCALATION_FILTERS } from '../lib/labels';
import type { TaskView } from '../api/views';
import { isUnitRole, useSession } from '../auth/session';
import { TaskTags } from '../components/TaskTags';
import { PageHeader } from '../components/PageHeader';
import { ErrorResult } from '../layout/guards';
import { deadlineHint } from '../lib/time';

const FILTERS: { value: TaskStatusFilter | 'all'; label: string }[] = [
  { value: 'open', label: '未办结' },
  { value: 'assigned', label: '待签收' },
  { value: 'returned', label: '已退办' },
  { value: 'overdue', label: '已逾期' },
  { value: 'submitted', label: '待审核' },
  { value: 'closed', label: '已办结' },
  { value: 'all', label: '全部' },
];

const PAGE_SIZE = 20;

export function TasksPage() {
  const session = useSession();
  const unitRole = session ? isUnitRole(session.user.role) : false;
  const [params, setParams] = useSearchParams();
  const screens = Grid.useBreakpoint();
  const mobile = !screens.md;
  const status = (params.get('status') as TaskStatusFilter | 'all' | null) ?? 'open';
  const unit = params.get('unit') ?? undefined;
  const planId = params.get('plan') ?? undefined;
  const escalation = (params.get('escalation') as EscalationFilter | null) ?? undefined;
  const [page, setPage] = useState(1);
  const tasks = useTasks({
    status: status === 'all' ? undefined : status,
    unit,
    planId,
    escalation,
    page,
    pageSize: PAGE_SIZE,
  });
  const units = useUnits();
  const plans = usePlans();

  const set = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setPage(1);
    setParams(next, { replace: true });
  };

  const columns: ColumnsType<TaskView> = [
    {
      title: '工作要点条目',
      key: 'item',
      render: (_, t) => (
        <Link to={`/tasks/${t.id}`}>
          第 {t.item.number} 项 · {t.item.title}
        </Link>
      ),
    },
    ...(unitRole
      ? []
      : [
          {
            title: '责任单位',
            key: 'unit',
            width: 140,
            render: (_: unknown, t: TaskView) => t.unit.name,
          },
        ]),
    { title: '状态', key: 'status', width: 220, render: (_, t) => <TaskTags task={t} /> },
    {
      title: '截止日期',
      key: 'due',
      width: 150,
      render: (_, t) => (
        <div>
          <div>{t.dueDate}</div>
          <Typography.Text type={t.overdue ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
            {['closed', 'cancelled'].includes(t.status) ? '' : deadlineHint(t.dueDate, t.overdue)}
          </Typography.Text>
        </div>
      ),
    },
  ];

  if (tasks.error) return <ErrorResult error={tasks.error} />;
  const data = tasks.data;

  return (
    <>
      <PageHeader
        title={unitRole ? '我的任务' : '全部任务'}
        sub={unitRole ? '本单位的任务，按截止日期排列' : '按截止日期排列'}
      />
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Segmented
          options={FILTERS}
          value={status}
          onChange={(v) => set('status', v === 'open' ? undefined : String(v))}
          style={{ maxWidth: '100%', overflowX: 'auto' }}
        />
        {!unitRole && (
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="责任单位"
            aria-label="按责任单位筛选"
            style={{ width: 180 }}
            value={unit}
            onChange={(v: string | undefined) => set('unit', v)}
            options={(units.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
          />
        )}
        <Select
          allowClear
          placeholder="督办升级"
          aria-label="按督办升级筛选"
          style={{ width: 140 }}
          value={escalation}
          onChange={(v: string | undefined) => set('escalation', v)}
          options={Object.entries(ESCALATION_FILTERS).map(([value, label]) => ({ value, label }))}
        />
        {(plans.data?.length ?? 0) > 1 && (
          <Select
            allowClear
            placeholder="工作要点"
            aria-label="按工作要点筛选"
            style={{ width: 240 }}
            value={planId}
            onChange={(v: string | undefined) => set('plan', v)}
            options={(plans.data ?? []).map((p) => ({ value: p.id, label: p.title }))}
          />
        )}
      </Flex>
      {mobile ? (
        <div style={{ minHeight: 400 }}>
          {!data ? (
            <Skeleton active paragraph={{ rows: 6 }} />
          ) : data.items.length === 0 ? (
            <Empty description="没有符合条件的任务" />
          ) : (
            <Flex vertical gap={8}>
              {data.items.map((t) => (
                <Card key={t.id} size="small">
                  <Link to={`/tasks/${t.id}`} style={{ fontWeight: 500 }}>
                    第 {t.item.number} 项 · {t.item.title}
                  </Link>
                  {!unitRole && <div style={{ color: '#666', marginTop: 4 }}>{t.unit.name}</div>}
                  <Flex
                    justify="space-between"
                    align="center"
                    wrap
                    gap={4}
                    style={{ marginTop: 8 }}
                  >
                    <TaskTags task={t} />
                    <Typography.Text type={t.overdue ? 'danger' : 'secondary'}>
                      {t.dueDate} 截止
                    </Typography.Text>
                  </Flex>
                </Card>
              ))}
              <Pagination
                simple
                current={page}
                pageSize={PAGE_SIZE}
                total={data.total}
                onChange={setPage}
                showTotal={(n) => `共 ${n} 项`}
                style={{ alignSelf: 'flex-end' }}
              />
            </Flex>
          )}
        </div>
      ) : (
        <Table
          rowKey="id"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={tasks.isFetching && !data}
          locale={{ emptyText: tasks.isLoading ? ' ' : '没有符合条件的任务' }}
          style={{ minHeight: 400 }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (n) => `共 ${n} 项`,
            onChange: setPage,
          }}
        />
      )}
    </>
  );
}
