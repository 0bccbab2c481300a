import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { api, ApiError, unwrap } from '../../api/client';
import { pickPlan, usePlans } from '../../api/queries';
import type { components } from '../../api/schema';
import { useSession } from '../../auth/session';
import { PageHeader } from '../../components/PageHeader';
import { ErrorResult } from '../../layout/guards';
import { downloadFile } from '../../lib/download';
import { formatDateTime } from '../../lib/time';

type Schemas = components['schemas'];
export type CycleView = Schemas['CycleViewDto'];
export type CycleReportView = Schemas['CycleReportViewDto'];
type CycleResults = Schemas['CycleResultsDto'];
type RatingInput = Schemas['RateDto']['rating'];

export const CYCLE_STATUS: Record<string, { label: string; color: string }> = {
  scheduled: { label: '待开启', color: 'default' },
  open: { label: '进行中', color: 'processing' },
  closed: { label: '已结束', color: 'success' },
};

const REPORT_STATUS: Record<string, { label: string; color: string }> = {
  submitted: { label: '待评价', color: 'processing' },
  rated: { label: '已评价', color: 'success' },
  returned: { label: '已退回', color: 'warning' },
};

const RATING_LABELS: Record<string, string> = {
  good: '好',
  fair: '较好',
  average: '一般',
  poor: '差',
};

const OUTCOME_LABELS: Record<string, string> = {
  on_time: '按时报送',
  late: '逾期报送',
  missing: '未报送',
  pending: '待报送',
};

const fail = (notify: { error: (m: string) => unknown }) => (e: Error) =>
  void notify.error(e instanceof ApiError ? e.message : String(e));

/** Requests that were reported (on time or late) first, then the rest, each in the server's order. */
function requestsFirstReported(requests: CycleResults['requests'] | undefined) {
  const reported = (o: string) => o === 'on_time' || o === 'late';
  return [...(requests ?? [])].sort(
    (a, b) => Number(reported(b.outcome)) - Number(reported(a.outcome)),
  );
}

function StatusTag({ status }: { status: string }) {
  const s = CYCLE_STATUS[status] ?? { label: status, color: 'default' };
  return (
    <Tag color={s.color} data-testid="cycle-status">
      {s.label}
    </Tag>
  );
}

interface NewCycle {
  title?: string;
  opensOn?: Dayjs;
  dueWorkdays: number;
}

function CreateCycleButton({ planId }: { planId: string }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<NewCycle>();
  const create = useMutation({
    mutationFn: async (v: NewCycle) =>
      unwrap(
        await api.POST('/api/v1/plans/{id}/cycles', {
          params: { path: { id: planId } },
          body: {
            title: v.title?.trim() || undefined,
            scope: { kind: 'plan' },
            opensOn: v.opensOn ? v.opensOn.format('YYYY-MM-DD') : undefined,
            dueWorkdays: v.dueWorkdays,
          },
        }),
      ),
    onSuccess: async (c) => {
      void message.success(`已创建督导“${c.title}”`);
      setOpen(false);
      form.resetFields();
      await queryClient.invalidateQueries({ queryKey: ['cycles', planId] });
    },
    onError: fail(message),
  });
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        新建督导
      </Button>
      <Modal
        title="新建督导（全部要点）"
        open={open}
        okText="创建"
        confirmLoading={create.isPending}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{ dueWorkdays: 5 }}
          onFinish={(v) => create.mutate(v)}
        >
          <Form.Item name="title" label="标题" extra="不填则按日期自动命名">
            <Input aria-label="督导标题" maxLength={200} />
          </Form.Item>
          <Form.Item name="opensOn" label="开启日期" extra="不填为今天；今天或更早则立即开启">
            <DatePicker aria-label="开启日期" style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="dueWorkdays"
            label="报送期限（开启后工作日数）"
            rules={[{ required: true, message: '请填写工作日数' }]}
          >
            <InputNumber aria-label="报送工作日数" min={0} max={60} precision={0} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

export function CyclesPage() {
  const session = useSession();
  const canManage = session?.user.role === 'supervisor' || session?.user.role === 'admin';
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
  return (
    <>
      <PageHeader
        title="督导周期"
        sub="按周期请各责任单位报送进展，评价后形成督导通报"
        extra={
          <Space wrap>
            <Select
              aria-label="工作要点"
              style={{ width: 320, maxWidth: '100%' }}
              value={plan?.id}
              onChange={(v: string) => setPlanId(v)}
              options={(plans.data ?? []).map((p) => ({ value: p.id, label: p.title }))}
            />
            {plan && canManage && <CreateCycleButton planId={plan.id} />}
          </Space>
        }
      />
      <Table<CycleView>
        rowKey="id"
        loading={!cycles.data && !!plan}
        dataSource={cycles.data ?? []}
        pagination={false}
        locale={{ emptyText: '尚无督导周期' }}
        onRow={() => ({ 'data-testid': 'cycle-row' }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: '标题',
            dataIndex: 'title',
            render: (t: string, c) => <Link to={`/desk/cycles/${c.id}`}>{t}</Link>,
          },
          {
            title: '状态',
            dataIndex: 'status',
            width: 100,
            render: (s: string) => <StatusTag status={s} />,
          },
          { title: '开启日期', dataIndex: 'opensOn', width: 120 },
          { title: '截止日期', dataIndex: 'dueOn', width: 120 },
          {
            title: '报送请求',
            key: 'requested',
            width: 160,
            render: (_, c) => `${c.requestedUnits} 个单位 / ${c.requestedTasks} 项`,
          },
        ]}
      />
    </>
  );
}

function ReportActions({ report, onDone }: { report: CycleReportView; onDone: () => void }) {
  const { message } = App.useApp();
  const [rating, setRating] = useState<RatingInput | undefined>();
  const [comment, setComment] = useState('');
  const rate = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/cycle-reports/{id}/rate', {
          params: { path: { id: report.id } },
          body: { rating: rating!, comment: comment.trim() || undefined },
        }),
      ),
    onSuccess: (r) => {
      void message.success(`已评价：${r.ratingLabel ?? ''}`);
      onDone();
    },
    onError: fail(message),
  });
  const ret = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/cycle-reports/{id}/return', {
          params: { path: { id: report.id } },
          body: { comment: comment.trim() },
        }),
      ),
    onSuccess: () => {
      void message.success('已退回，等待单位重新报送');
      onDone();
    },
    onError: fail(message),
  });
  return (
    <Flex vertical gap={6} style={{ minWidth: 260 }}>
      <Select
        aria-label="评价"
        placeholder="评价"
        value={rating}
        onChange={setRating}
        options={(['好', '较好', '一般', '差'] as const).map((v) => ({ value: v, label: v }))}
      />
      <Input.TextArea
        aria-label="评价意见"
        placeholder="意见（退回时必填）"
        autoSize={{ minRows: 1, maxRows: 4 }}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
      />
      <Space>
        <Button
          type="primary"
          size="small"
          disabled={!rating}
          loading={rate.isPending}
          onClick={() => rate.mutate()}
        >
          提交评价
        </Button>
        <Button
          size="small"
          danger
          disabled={!comment.trim()}
          loading={ret.isPending}
          onClick={() => ret.mutate()}
        >
          退回
        </Button>
      </Space>
    </Flex>
  );
}

export function CyclePage() {
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const session = useSession();
  const role = session?.user.role;
  const canManage = role === 'supervisor' || role === 'admin';
  const canRate = role === 'supervisor';
  const cycle = useQuery({
    queryKey: ['cycle', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/cycles/{id}', { params: { path: { id } } })),
  });
  const reports = useQuery({
    queryKey: ['cycle-reports', id],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/cycles/{id}/reports', { params: { path: { id } } })),
  });
  const results = useQuery({
    queryKey: ['cycle-results', id],
    queryFn: async () =>
      unwrap<CycleResults>(
        await api.GET('/api/v1/cycles/{id}/results', { params: { path: { id } } }),
      ),
  });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['cycle', id] });
    void queryClient.invalidateQueries({ queryKey: ['cycle-reports', id] });
    void queryClient.invalidateQueries({ queryKey: ['cycle-results', id] });
    void queryClient.invalidateQueries({ queryKey: ['cycles'] });
  };
  const close = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/api/v1/cycles/{id}/close', { params: { path: { id } } })),
    onSuccess: () => {
      void message.success('督导已结束');
      refresh();
    },
    onError: fail(message),
  });
  const download = async (ext: 'docx' | 'html') => {
    try {
      await downloadFile(
        `/api/v1/cycles/${encodeURIComponent(id)}/bulletin.${ext}`,
        `督导通报-${cycle.data?.title ?? id}.${ext}`,
      );
    } catch (e) {
      void message.error(e instanceof ApiError ? e.message : String(e));
    }
  };
  if (cycle.error) return <ErrorResult error={cycle.error} />;
  const c = cycle.data;
  const open = c && c.status !== 'closed';
  return (
    <>
      <PageHeader
        title={
          <Space>
            {c?.title ?? '督导周期'}
            {c && <StatusTag status={c.status} />}
          </Space>
        }
        sub={<Link to="/desk/cycles">返回督导周期</Link>}
        extra={
          <Space wrap>
            <Button onClick={() => void download('docx')}>下载通报（Word）</Button>
            <Button onClick={() => void download('html')}>下载通报（HTML）</Button>
            {canManage && open && (
              <Popconfirm
                title="结束后不能再报送、评价或退回，确定结束？"
                onConfirm={() => close.mutate()}
              >
                <Button danger loading={close.isPending}>
                  结束督导
                </Button>
              </Popconfirm>
            )}
          </Space>
        }
      />
      {c && (
        <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 16 }}>
          <Descriptions.Item label="开启日期">{c.opensOn}</Descriptions.Item>
          <Descriptions.Item label="截止">{formatDateTime(c.dueAt)}</Descriptions.Item>
          <Descriptions.Item label="报送请求">
            {c.requestedUnits} 个单位 / {c.requestedTasks} 项
          </Descriptions.Item>
        </Descriptions>
      )}
      <Card title="单位报告" size="small" style={{ marginBottom: 16 }}>
        {reports.error ? (
          <ErrorResult error={reports.error} />
        ) : (
          <Table<CycleReportView>
            rowKey="id"
            size="small"
            loading={!reports.data}
            dataSource={reports.data ?? []}
            pagination={false}
            scroll={{ x: 900 }}
            locale={{ emptyText: '尚无报告' }}
            onRow={() => ({ 'data-testid': 'cycle-report' }) as React.HTMLAttributes<HTMLElement>}
            columns={[
              { title: '单位', key: 'unit', width: 110, render: (_, r) => r.unit.name },
              {
                title: '事项',
                key: 'item',
                width: 200,
                render: (_, r) => `第 ${r.item.number} 项 ${r.item.title}`,
              },
              {
                title: '报送内容',
                dataIndex: 'body',
                render: (b: string, r) => (
                  <>
                    <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
                      {b}
                    </Typography.Paragraph>
                    <Typography.Text type="secondary">
                      {r.submittedBy.name} · {formatDateTime(r.submittedAt)}
                      {r.onTime ? '' : ' · 逾期'}
                    </Typography.Text>
                  </>
                ),
              },
              {
                title: '状态',
                key: 'status',
                width: 160,
                render: (_, r) => {
                  const s = REPORT_STATUS[r.status] ?? { label: r.status, color: 'default' };
                  return (
                    <>
                      <Tag color={s.color}>{s.label}</Tag>
                      {r.ratingLabel && <Tag data-testid="report-rating">{r.ratingLabel}</Tag>}
                      {r.comment && (
                        <div>
                          <Typography.Text type="secondary">{r.comment}</Typography.Text>
                        </div>
                      )}
                    </>
                  );
                },
              },
              ...(canRate && open
                ? [
                    {
                      title: '评价',
                      key: 'actions',
                      width: 280,
                      render: (_: unknown, r: CycleReportView) =>
                        r.status === 'submitted' ? (
                          <ReportActions report={r} onDone={refresh} />
                        ) : null,
                    },
                  ]
                : []),
            ]}
          />
        )}
      </Card>
      {results.data && (
        <Card title="按单位统计" size="small" style={{ marginBottom: 16 }}>
          <Table
            rowKey="unitId"
            size="small"
            dataSource={results.data.units}
            pagination={false}
            scroll={{ x: 720 }}
            columns={[
              { title: '单位', dataIndex: 'unitName', width: 110 },
              { title: '请求', dataIndex: 'requested', width: 70 },
              { title: '按时', dataIndex: 'onTime', width: 70 },
              { title: '逾期', dataIndex: 'late', width: 70 },
              { title: '未报送', dataIndex: 'missing', width: 70 },
              { title: '待报送', dataIndex: 'pending', width: 70 },
              {
                title: '好/较好/一般/差',
                key: 'ratings',
                render: (_, u) =>
                  `${u.ratings.good}/${u.ratings.fair}/${u.ratings.average}/${u.ratings.poor}`,
              },
              { title: '待评价', dataIndex: 'unrated', width: 70 },
            ]}
          />
        </Card>
      )}
      <Card title="督导结果（逐项）" size="small">
        {results.error ? (
          <ErrorResult error={results.error} />
        ) : (
          <Table
            rowKey={(r) => r.taskId}
            size="small"
            loading={!results.data}
            dataSource={requestsFirstReported(results.data?.requests)}
            pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
            scroll={{ x: 800 }}
            data-testid="cycle-results"
            onRow={() => ({ 'data-testid': 'result-row' }) as React.HTMLAttributes<HTMLElement>}
            columns={[
              { title: '单位', dataIndex: 'unitName', width: 110 },
              {
                title: '事项',
                key: 'item',
                render: (_, r) => `第 ${r.itemNumber} 项 ${r.itemTitle}`,
              },
              {
                title: '报送',
                dataIndex: 'outcome',
                width: 110,
                render: (o: string, r) =>
                  (OUTCOME_LABELS[o] ?? o) + (r.returned ? '（已退回）' : ''),
              },
              {
                title: '评价',
                dataIndex: 'rating',
                width: 80,
                render: (v: string | null) => (v ? (RATING_LABELS[v] ?? v) : '—'),
              },
              { title: '意见', dataIndex: 'comment', render: (v: string | null) => v ?? '' },
            ]}
          />
        )}
      </Card>
    </>
  );
}
