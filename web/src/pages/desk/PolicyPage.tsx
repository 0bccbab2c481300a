import { useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Flex,
  InputNumber,
  Row,
  Select,
  Skeleton,
  Space,
  TimePicker,
  Timeline,
  Typography,
} from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { MessageInstance } from 'antd/es/message/interface';
import type { PlanView } from '../../api/views';
import dayjs, { type Dayjs } from 'dayjs';
import { api, ApiError, unwrap } from '../../api/client';
import { pickPlan, usePlans } from '../../api/queries';
import { PageHeader } from '../../components/PageHeader';
import { EscalationLadderCard } from './EscalationLadderCard';
import { DEFAULT_POLICY, describeOffset, offsetOf, rowOf, type OffsetRow } from '../../lib/policy';
import { formatDateTime, today, addDays } from '../../lib/time';

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

export default function PolicyPage() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const plans = usePlans();
  const [planId, setPlanId] = useState<string | null>(null);
  const plan = pickPlan(plans.data, planId);
  if (plans.data && plans.data.length === 0) return <Empty description="尚未导入工作要点" />;
  return (
    <>
      <PageHeader
        title="提醒策略"
        sub="在截止日期前后何时提醒责任单位；按法定工作日（含调休）计算，在发送时刻发出"
        extra={
          <Select
            aria-label="工作要点"
            style={{ width: 320, maxWidth: '100%' }}
            value={plan?.id}
            onChange={(v: string) => setPlanId(v)}
            options={(plans.data ?? []).map((p) => ({ value: p.id, label: p.title }))}
          />
        }
      />
      {plan ? (
        <>
          <PolicyEditor
            key={`${plan.id}:${JSON.stringify(plan.reminderPolicy)}`}
            plan={plan}
            onSaved={() => void queryClient.invalidateQueries({ queryKey: ['plans'] })}
            notify={message}
          />
          <EscalationLadderCard planId={plan.id} />
        </>
      ) : (
        <Skeleton active />
      )}
    </>
  );
}

function PolicyEditor({
  plan,
  onSaved,
  notify,
}: {
  plan: PlanView;
  onSaved: () => void;
  notify: MessageInstance;
}) {
  const initial = plan.reminderPolicy ?? DEFAULT_POLICY;
  const [rows, setRows] = useState<OffsetRow[]>(() =>
    initial.offsets.map((o) => rowOf(o) ?? { direction: 'before', amount: 1, unit: 'workdays' }),
  );
  const [sendAt, setSendAt] = useState(initial.sendAt);
  const [sample, setSample] = useState<string>(addDays(today(), 30));

  const offsets = useMemo(() => rows.map(offsetOf), [rows]);
  const preview = useQuery({
    queryKey: ['policy-preview', offsets, sendAt, sample],
    enabled: rows.length > 0,
    queryFn: async () =>
      unwrap(
        await api.POST('/api/v1/reminder-policy/preview', {
          body: { offsets, sendAt, dueDate: sample },
        }),
      ),
    placeholderData: (p) => p,
    retry: false,
  });

  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PUT('/api/v1/plans/{id}/policy', {
          params: { path: { id: plan.id } },
          body: { offsets, sendAt },
        }),
      ),
    onSuccess: () => {
      void notify.success('提醒策略已保存，未办结任务的提醒已按新策略重排');
      onSaved();
    },
    onError: (e) => void notify.error(e instanceof ApiError ? e.message : String(e)),
  });

  const update = (i: number, patch: Partial<OffsetRow>) =>
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title="策略" size="small" style={{ minHeight: 360 }}>
            {
              <Flex vertical gap={12}>
                {!plan.reminderPolicy && (
                  <Alert
                    type="info"
                    showIcon
                    title="此工作要点使用默认策略：截止前 7 个工作日、前 1 个工作日和截止当天"
                  />
                )}
                {rows.map((row, i) => (
                  <Space key={i} wrap data-testid="policy-row">
                    <Select
                      aria-label="提醒时间"
                      value={row.direction}
                      style={{ width: 108 }}
                      onChange={(v: OffsetRow['direction']) =>
                        update(
                          i,
                          v === 'on'
                            ? { direction: v, amount: 0, unit: 'workdays' }
                            : { direction: v, amount: row.amount || 1 },
                        )
                      }
                      options={[
                        { value: 'before', label: '截止前' },
                        { value: 'on', label: '截止当天' },
                        { value: 'after', label: '截止后' },
                      ]}
                    />
                    {row.direction !== 'on' && (
                      <>
                        <InputNumber
                          aria-label="数量"
                          min={1}
                          max={row.unit === 'workdays' ? 60 : 72}
                          value={row.amount}
                          onChange={(v) => update(i, { amount: Number(v ?? 1) })}
                          style={{ width: 80 }}
                        />
                        <Select
                          aria-label="单位"
                          value={row.unit}
                          style={{ width: 110 }}
                          onChange={(v: OffsetRow['unit']) => update(i, { unit: v })}
                          options={[
                            { value: 'workdays', label: '个工作日' },
                            { value: 'hours', label: '小时' },
                          ]}
                        />
                      </>
                    )}
                    <Button
                      aria-label="删除这次提醒"
                      icon={<DeleteOutlined />}
                      disabled={rows.length <= 1}
                      onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}
                    />
                  </Space>
                ))}
                <Button
                  icon={<PlusOutlined />}
                  style={{ alignSelf: 'flex-start' }}
                  disabled={rows.length >= 20}
                  onClick={() =>
                    setRows((rs) => [...rs, { direction: 'before', amount: 3, unit: 'workdays' }])
                  }
                >
                  添加一次提醒
                </Button>
                <Space wrap>
                  <span>按工作日计的提醒在</span>
                  <TimePicker
                    aria-label="发送时刻"
                    format="HH:mm"
                    minuteStep={5}
                    allowClear={false}
                    value={dayjs(`2000-01-01T${sendAt}`)}
                    onChange={(v: Dayjs | null) => v && setSendAt(v.format('HH:mm'))}
                  />
                  <span>发送</span>
                </Space>
                <Button
                  type="primary"
                  loading={save.isPending}
                  onClick={() => save.mutate()}
                  style={{ alignSelf: 'flex-start' }}
                >
                  保存策略
                </Button>
              </Flex>
            }
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card
            title="预览"
            size="small"
            style={{ minHeight: 360 }}
            extra={
              <Space>
                <span>截止日期</span>
                <DatePicker
                  aria-label="示例截止日期"
                  allowClear={false}
                  value={dayjs(sample)}
                  onChange={(v: Dayjs | null) => v && setSample(v.format('YYYY-MM-DD'))}
                />
              </Space>
            }
          >
            {preview.error ? (
              <Alert type="error" showIcon title={preview.error.message} />
            ) : !preview.data ? (
              <Skeleton active />
            ) : (
              <div data-testid="policy-preview">
                <Typography.Paragraph type="secondary">
                  截止时间 {formatDateTime(preview.data.dueAt)}，将在以下时间提醒：
                </Typography.Paragraph>
                <Timeline
                  items={preview.data.reminders.map((r) => ({
                    key: r.offset,
                    color: r.fireAt > preview.data.dueAt ? 'red' : 'blue',
                    title: `${r.date}（${WEEKDAYS[new Date(`${r.date}T00:00:00Z`).getUTCDay()]}）${formatDateTime(r.fireAt).slice(11)}`,
                    content: describeOffset(r.offset),
                  }))}
                />
              </div>
            )}
          </Card>
        </Col>
      </Row>
    </>
  );
}
