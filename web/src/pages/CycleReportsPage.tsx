import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Flex, Form, Input, Select, Space, Tag, Typography } from 'antd';
import { api, ApiError, unwrap } from '../api/client';
import { fetchAllTasks, pickPlan, usePlans } from '../api/queries';
import { PageHeader } from '../components/PageHeader';
import { ErrorResult } from '../layout/guards';
import { formatDateTime } from '../lib/time';
import type { TaskView } from '../api/views';
import type { CycleReportView, CycleView } from './desk/CyclesPage';

const REPORT_STATUS: Record<string, string> = {
  submitted: '待评价',
  rated: '已评价',
  returned: '已退回，请重新报送',
};

/**
 * The unit's tasks this cycle asks about that still need a report: within an item-scoped cycle's
 * items, and not already reported (a returned report is reported again). The server has the last
 * word on the scope.
 */
function reportable(
  cycle: CycleView,
  tasks: TaskView[] | undefined,
  reports: CycleReportView[] | undefined,
): TaskView[] {
  const done = new Set((reports ?? []).filter((r) => r.status !== 'returned').map((r) => r.taskId));
  const items = cycle.scope.kind === 'items' ? new Set(cycle.scope.ids ?? []) : null;
  return (tasks ?? []).filter((t) => !done.has(t.id) && (!items || items.has(t.item.id)));
}

interface ReportForm {
  taskId: string;
  body: string;
}

function CycleCard({ cycle }: { cycle: CycleView }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ReportForm>();
  const tasks = useQuery({
    queryKey: ['cycle-tasks', cycle.planId],
    queryFn: () => fetchAllTasks({ planId: cycle.planId }),
  });
  const reports = useQuery({
    queryKey: ['cycle-reports', cycle.id],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/cycles/{id}/reports', { params: { path: { id: cycle.id } } })),
  });
  const submit = useMutation({
    mutationFn: async (v: ReportForm) =>
      unwrap(
        await api.POST('/api/v1/cycles/{id}/reports', {
          params: { path: { id: cycle.id } },
          body: { taskId: v.taskId, body: v.body.trim() },
        }),
      ),
    onSuccess: async () => {
      void message.success('已报送');
      form.resetFields();
      await queryClient.invalidateQueries({ queryKey: ['cycle-reports', cycle.id] });
    },
    onError: (e) => void message.error(e instanceof ApiError ? e.message : String(e)),
  });
  return (
    <Card
      size="small"
      data-testid="cycle-request"
      title={
        <Space>
          {cycle.title}
          <Tag color="processing">截止 {formatDateTime(cycle.dueAt)}</Tag>
        </Space>
      }
      style={{ marginBottom: 16 }}
    >
      {(reports.data ?? []).map((r) => (
        <div key={r.id} data-testid="my-cycle-report" style={{ marginBottom: 8 }}>
          <Typography.Text strong>
            第 {r.item.number} 项 {r.item.title}
          </Typography.Text>{' '}
          <Tag>{REPORT_STATUS[r.status] ?? r.status}</Tag>
          {r.ratingLabel && <Tag color="success">{r.ratingLabel}</Tag>}
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
            {r.body}
          </Typography.Paragraph>
          {r.comment && <Typography.Text type="secondary">意见：{r.comment}</Typography.Text>}
        </div>
      ))}
      <Form form={form} layout="vertical" onFinish={(v) => submit.mutate(v)}>
        <Form.Item
          name="taskId"
          label="报送事项"
          rules={[{ required: true, message: '请选择事项' }]}
        >
          <Select
            aria-label="报送事项"
            loading={!tasks.data}
            showSearch
            optionFilterProp="label"
            options={reportable(cycle, tasks.data, reports.data).map((t) => ({
              value: t.id,
              label: `第 ${t.item.number} 项 ${t.item.title}`,
            }))}
          />
        </Form.Item>
        <Form.Item
          name="body"
          label="进展情况"
          rules={[{ required: true, whitespace: true, message: '请填写进展情况' }]}
        >
          <Input.TextArea aria-label="督导报送内容" autoSize={{ minRows: 3, maxRows: 10 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={submit.isPending}>
          提交督导报送
        </Button>
      </Form>
    </Card>
  );
}

export function CycleReportsPage() {
  const plans = usePlans();
  const [planId, setPlanId] = useState<string | null>(null);
  const plan = pickPlan(plans.data, planId);
  const cycles = useQuery({
    queryKey: ['cycles', plan?.id],
    enabled: !!plan,
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/plans/{id}/cycles', { params: { path: { id: plan!.id } } })),
  });
  if (plans.data && plans.data.length === 0) return <Empty description="尚未导入工作要点" />;
  if (cycles.error) return <ErrorResult error={cycles.error} />;
  const open = (cycles.data ?? []).filter((c) => c.status === 'open');
  return (
    <>
      <PageHeader
        title="督导报送"
        sub="督导室发起的督导，请在截止前报送本单位相关事项的进展"
        extra={
          (plans.data?.length ?? 0) > 1 && (
            <Select
              aria-label="工作要点"
              style={{ width: 320, maxWidth: '100%' }}
              value={plan?.id}
              onChange={(v: string) => setPlanId(v)}
              options={(plans.data ?? []).map((p) => ({ value: p.id, label: p.title }))}
            />
          )
        }
      />
      <Flex vertical>
        {cycles.data && open.length === 0 && <Empty description="当前没有进行中的督导" />}
        {open.map((c) => (
          <CycleCard key={c.id} cycle={c} />
        ))}
      </Flex>
    </>
  );
}
