import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import {
  Card,
  Col,
  Drawer,
  Empty,
  Flex,
  Grid,
  Row,
  Select,
  Skeleton,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { api, unwrap } from '../api/client';
import { fetchAllTasks, pickPlan, usePlan, usePlans } from '../api/queries';
import type { TaskView } from '../api/views';
import { EChart } from '../components/EChart';
import { PageHeader } from '../components/PageHeader';
import { TaskTags } from '../components/TaskTags';
import { ErrorResult } from '../layout/guards';
import { PROGRESS_STATUS } from '../lib/labels';
import {
  BUCKETS,
  countBuckets,
  overdueAt,
  overdueTrend,
  ragOf,
  type Counts,
} from '../lib/overview';
import { today } from '../lib/time';

interface DrillDown {
  title: string;
  tasks: TaskView[];
}

const sectionName = (s: { ordinal: number; title: string | null }) =>
  `${s.ordinal}. ${s.title ?? '（无标题）'}`;

function stacked(categories: string[], counts: Counts[], horizontal: boolean) {
  const category = {
    type: 'category',
    data: categories,
    inverse: horizontal,
    axisLabel: { width: 120, overflow: 'truncate' },
  };
  const value = { type: 'value', minInterval: 1 };
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? category : value,
    series: BUCKETS.map((b) => ({
      name: b.label,
      type: 'bar',
      stack: 'tasks',
      barMaxWidth: 28,
      itemStyle: { color: b.color },
      emphasis: { focus: 'series' },
      data: counts.map((c) => c[b.key]),
    })),
  };
}

export default function OverviewPage() {
  const plans = usePlans();
  const [chosen, setChosen] = useState<string | null>(null);
  const plan = pickPlan(plans.data, chosen);
  const detail = usePlan(plan?.id);
  const mobile = !Grid.useBreakpoint().md;
  const progress = useQuery({
    queryKey: ['progress', plan?.id],
    enabled: !!plan,
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/plans/{id}/progress', { params: { path: { id: plan!.id } } })),
  });
  const tasks = useQuery({
    queryKey: ['tasks', 'plan-all', plan?.id],
    enabled: !!plan,
    queryFn: () => fetchAllTasks({ planId: plan!.id }),
  });
  const [drill, setDrill] = useState<DrillDown | null>(null);

  const model = useMemo(() => {
    if (!detail.data || !tasks.data) return null;
    const sectionOfItem = new Map<string, string>();
    for (const s of detail.data.sections) for (const i of s.items) sectionOfItem.set(i.id, s.id);
    const sections = detail.data.sections.map((s) => {
      const own = tasks.data.filter((t) => sectionOfItem.get(t.item.id) === s.id);
      return { section: s, tasks: own, counts: countBuckets(own) };
    });
    const byUnit = new Map<string, { name: string; id: string; tasks: TaskView[] }>();
    for (const t of tasks.data) {
      const entry = byUnit.get(t.unit.id) ?? { name: t.unit.name, id: t.unit.id, tasks: [] };
      entry.tasks.push(t);
      byUnit.set(t.unit.id, entry);
    }
    const units = [...byUnit.values()]
      .map((u) => ({ ...u, counts: countBuckets(u.tasks) }))
      .sort((a, b) => b.counts.total - a.counts.total || a.name.localeCompare(b.name, 'zh'));
    const weeks = 12;
    return {
      sections,
      units,
      totals: countBuckets(tasks.data),
      trend: overdueTrend(tasks.data, today(), weeks),
    };
  }, [detail.data, tasks.data]);

  const error = plans.error ?? detail.error ?? tasks.error ?? progress.error;
  if (error) return <ErrorResult error={error} />;
  if (plans.data && plans.data.length === 0) return <Empty description="尚未导入工作要点" />;

  const sectionOption =
    model &&
    stacked(
      model.sections.map((s) => sectionName(s.section)),
      model.sections.map((s) => s.counts),
      true,
    );
  const unitOption =
    model &&
    stacked(
      model.units.map((u) => u.name),
      model.units.map((u) => u.counts),
      true,
    );
  const trendOption = model && {
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: model.trend.map((p) => p.date.slice(5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        name: '逾期任务',
        type: 'line',
        smooth: true,
        symbolSize: 8,
        areaStyle: { opacity: 0.15 },
        itemStyle: { color: '#f5222d' },
        data: model.trend.map((p) => p.count),
      },
    ],
  };
  const sectionHeight = Math.max(260, (model?.sections.length ?? 7) * 40 + 60);
  const unitHeight = Math.max(260, (model?.units.length ?? 10) * 26 + 60);

  return (
    <>
      <PageHeader
        title="总览"
        sub={
          progress.data
            ? `截至 ${progress.data.asOf.slice(0, 10)} · 点击图表查看条目和任务`
            : '工作要点推进情况'
        }
        extra={
          <Select
            aria-label="工作要点"
            style={{ width: 340, maxWidth: '100%' }}
            value={plan?.id}
            onChange={(v: string) => setChosen(v)}
            options={(plans.data ?? []).map((p) => ({ value: p.id, label: p.title }))}
          />
        }
      />
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        {[
          { key: 'total', title: '任务总数', value: model?.totals.total, color: undefined },
          { key: 'closed', title: '已办结', value: model?.totals.closed, color: '#389e0d' },
          { key: 'submitted', title: '待审核', value: model?.totals.submitted, color: '#1677ff' },
          { key: 'overdue', title: '已逾期', value: model?.totals.overdue, color: '#cf1322' },
        ].map((k) => (
          <Col key={k.key} xs={12} md={6}>
            <Card size="small" data-testid={`kpi-${k.key}`}>
              <Statistic
                title={k.title}
                value={k.value ?? '—'}
                styles={{ content: { color: k.color } }}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={12}>
          <Card title="按板块" size="small">
            {sectionOption ? (
              <EChart
                option={sectionOption}
                height={sectionHeight}
                label="各板块任务进度堆叠条形图"
                testId="chart-sections"
                onClick={(e) => {
                  const s = model.sections[e.dataIndex];
                  if (s) setDrill({ title: sectionName(s.section), tasks: s.tasks });
                }}
              />
            ) : (
              <Skeleton.Node active style={{ width: '100%', height: sectionHeight }} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title="逾期趋势（近 12 周）" size="small">
            {trendOption ? (
              <EChart
                option={trendOption}
                height={sectionHeight}
                label="逾期任务数的周趋势折线图"
                testId="chart-trend"
                onClick={(e) => {
                  const p = model.trend[e.dataIndex];
                  if (!p) return;
                  const at = new Date(`${p.date}T23:59:59+08:00`);
                  setDrill({
                    title: `${p.date} 逾期的任务`,
                    tasks: tasks.data!.filter((t) => overdueAt(t, at)),
                  });
                }}
              />
            ) : (
              <Skeleton.Node active style={{ width: '100%', height: sectionHeight }} />
            )}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              按各任务的截止时间和办结时间推算
            </Typography.Text>
          </Card>
        </Col>
        <Col xs={24}>
          <Card title="按责任单位" size="small">
            {unitOption ? (
              <EChart
                option={unitOption}
                height={unitHeight}
                label="各责任单位任务进度堆叠条形图"
                testId="chart-units"
                onClick={(e) => {
                  const u = model.units[e.dataIndex];
                  if (u) setDrill({ title: u.name, tasks: u.tasks });
                }}
              />
            ) : (
              <Skeleton.Node active style={{ width: '100%', height: unitHeight }} />
            )}
          </Card>
        </Col>
        <Col xs={24}>
          <Card title="板块一览" size="small">
            <Table
              size="small"
              rowKey={(r) => r.section.id}
              pagination={false}
              loading={!model}
              dataSource={model?.sections ?? []}
              scroll={mobile ? { x: 520 } : undefined}
              onRow={(r) => {
                const open = () => setDrill({ title: sectionName(r.section), tasks: r.tasks });
                return {
                  onClick: open,
                  onKeyDown: (e) => e.key === 'Enter' && open(),
                  tabIndex: 0,
                  style: { cursor: 'pointer' },
                };
              }}
              columns={[
                { title: '板块', key: 'name', render: (_, r) => sectionName(r.section) },
                {
                  title: '状态',
                  key: 'rag',
                  width: 110,
                  render: (_, r) => {
                    const rag = ragOf(r.counts);
                    return (
                      <Space size={6}>
                        <span
                          aria-hidden
                          style={{
                            display: 'inline-block',
                            width: 10,
                            height: 10,
                            borderRadius: 5,
                            background: rag.color,
                          }}
                        />
                        {rag.label}
                      </Space>
                    );
                  },
                },
                {
                  title: '条目',
                  key: 'items',
                  width: 70,
                  render: (_, r) => r.section.items.length,
                },
                {
                  title: '任务办结',
                  key: 'closed',
                  width: 110,
                  render: (_, r) => (
                    <span data-testid="section-closed">
                      {r.counts.closed}/{r.counts.total}
                    </span>
                  ),
                },
                {
                  title: '逾期',
                  key: 'overdue',
                  width: 70,
                  render: (_, r) =>
                    r.counts.overdue ? <Tag color="red">{r.counts.overdue}</Tag> : 0,
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Drawer
        open={!!drill}
        onClose={() => setDrill(null)}
        title={drill?.title}
        size={mobile ? '100%' : 640}
      >
        {drill && (
          <DrillList
            drill={drill}
            progressItems={progress.data?.sections.flatMap((s) => s.items) ?? []}
          />
        )}
      </Drawer>
    </>
  );
}

function DrillList({
  drill,
  progressItems,
}: {
  drill: DrillDown;
  progressItems: { id: string; status: string; number: number; title: string }[];
}) {
  const byItem = new Map<string, TaskView[]>();
  for (const t of drill.tasks) byItem.set(t.item.id, [...(byItem.get(t.item.id) ?? []), t]);
  const items = [...byItem.entries()].sort((a, b) => a[1][0].item.number - b[1][0].item.number);
  if (items.length === 0) return <Empty description="没有任务" />;
  return (
    <Flex vertical gap={12} data-testid="drill-down">
      {items.map(([itemId, tasks]) => {
        const p = progressItems.find((i) => i.id === itemId);
        const status = p ? PROGRESS_STATUS[p.status] : undefined;
        return (
          <Card
            key={itemId}
            size="small"
            title={`第 ${tasks[0].item.number} 项 · ${tasks[0].item.title}`}
            styles={{ title: { whiteSpace: 'normal' } }}
            extra={status && <Tag color={status.color}>{status.label}</Tag>}
          >
            <Flex vertical gap={6}>
              {tasks.map((t) => (
                <Flex key={t.id} justify="space-between" align="center" wrap gap={4}>
                  <Link to={`/tasks/${t.id}`}>{t.unit.name}</Link>
                  <Space size={4} wrap>
                    <TaskTags task={t} />
                    <Typography.Text type="secondary">{t.dueDate}</Typography.Text>
                  </Space>
                </Flex>
              ))}
            </Flex>
          </Card>
        );
      })}
    </Flex>
  );
}
