import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Row,
  Skeleton,
  Space,
  Steps,
  Tag,
  Timeline,
  Typography,
  Upload,
  type UploadFile,
} from 'antd';
import { InboxOutlined, PaperClipOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api, ApiError, unwrap, unwrapAs } from '../api/client';
import { usePlan, useTask } from '../api/queries';
import type {
  AuditRecord,
  ExtensionRequestView,
  MilestoneView,
  Page,
  SubmissionView,
  TaskView,
} from '../api/views';
import { isUnitRole, useSession, type SessionUser } from '../auth/session';
import { TaskTags } from '../components/TaskTags';
import { ErrorResult } from '../layout/guards';
import {
  attachmentProblem,
  formatBytes,
  MAX_ATTACHMENTS,
  ALLOWED_EXTENSIONS,
} from '../lib/attachments';
import { downloadAttachment } from '../lib/download';
import { AUDIT_ACTIONS, EXTENSION_STATUS, SUBMISSION_STATUS, TASK_ROLE } from '../lib/labels';
import { deadlineHint, formatDateTime, today } from '../lib/time';
import { NudgeModal } from './desk/OverduePage';

const OPEN = ['assigned', 'acknowledged', 'in_progress', 'submitted', 'returned'];
const CAN_SUBMIT = ['assigned', 'acknowledged', 'in_progress', 'returned'];

function lifecycleStep(status: string): {
  current: number;
  status: 'process' | 'error' | 'finish' | 'wait';
} {
  switch (status) {
    case 'assigned':
      return { current: 0, status: 'process' };
    case 'acknowledged':
    case 'in_progress':
      return { current: 1, status: 'process' };
    case 'submitted':
      return { current: 2, status: 'process' };
    case 'returned':
      return { current: 2, status: 'error' };
    case 'closed':
      return { current: 3, status: 'finish' };
    default:
      return { current: 0, status: 'wait' };
  }
}

function useNotify() {
  const { message } = App.useApp();
  return {
    ok: (text: string) => void message.success(text),
    fail: (e: unknown) =>
      void message.error(
        e instanceof ApiError && e.status === 403
          ? `无权操作：${e.message}`
          : e instanceof Error
            ? e.message
            : String(e),
      ),
  };
}

export function TaskPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const task = useTask(id);
  if (task.error) return <ErrorResult error={task.error} />;
  if (!task.data || !session) return <Skeleton active paragraph={{ rows: 12 }} />;
  return <TaskView key={task.data.id} task={task.data} user={session.user} />;
}

function TaskView({ task, user }: { task: TaskView; user: SessionUser }) {
  const plan = usePlan(task.planId);
  const own = isUnitRole(user.role) && user.unitId === task.unit.id;
  const supervisor = user.role === 'supervisor';
  const section = plan.data?.sections.find((s) => s.items.some((i) => i.id === task.item.id));
  const item = section?.items.find((i) => i.id === task.item.id);
  const step = lifecycleStep(task.status);

  return (
    <Flex vertical gap={16}>
      <Card>
        <Typography.Text type="secondary">
          <Link to={own ? '/tasks' : '/tasks?all'}>任务</Link> / 第 {task.item.number} 项
        </Typography.Text>
        <Typography.Title level={3} style={{ margin: '8px 0' }}>
          第 {task.item.number} 项 · {task.item.title}
        </Typography.Title>
        <TaskTags task={task} />
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          style={{ marginTop: 16 }}
          items={[
            {
              key: 'unit',
              label: '责任单位',
              children: `${task.unit.name}（${TASK_ROLE[task.role]}）`,
            },
            {
              key: 'due',
              label: '截止日期',
              children: (
                <span>
                  {task.dueDate}{' '}
                  {OPEN.includes(task.status) && (
                    <Typography.Text type={task.overdue ? 'danger' : 'secondary'}>
                      （{deadlineHint(task.dueDate, task.overdue)}）
                    </Typography.Text>
                  )}
                </span>
              ),
            },
            {
              key: 'plan',
              label: '工作要点',
              children: plan.data ? plan.data.plan.title : '…',
            },
            ...(section
              ? [
                  {
                    key: 'section',
                    label: '板块',
                    children: section.title ?? `第 ${section.ordinal} 板块`,
                  },
                ]
              : []),
            ...(task.completedAt
              ? [{ key: 'done', label: '办结时间', children: formatDateTime(task.completedAt) }]
              : []),
          ]}
        />
        <Steps
          size="small"
          style={{ marginTop: 16 }}
          current={step.current}
          status={step.status}
          responsive
          items={[
            { title: '交办' },
            { title: '签收办理' },
            { title: task.status === 'returned' ? '已退办' : '报送审核' },
            { title: '办结' },
          ]}
        />
        <UnitActions task={task} own={own} />
        {supervisor && <SupervisorActions task={task} />}
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Flex vertical gap={16}>
            <Card title="条目原文" size="small">
              {item ? (
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
                  {item.body}
                </Typography.Paragraph>
              ) : (
                <Skeleton active paragraph={{ rows: 3 }} />
              )}
            </Card>
            {own && CAN_SUBMIT.includes(task.status) && <ReportForm task={task} />}
            <Reports task={task} user={user} />
          </Flex>
        </Col>
        <Col xs={24} lg={10}>
          <Flex vertical gap={16}>
            <Milestones task={task} user={user} own={own} />
            <Extensions task={task} user={user} own={own} />
            <History task={task} user={user} />
          </Flex>
        </Col>
      </Row>
    </Flex>
  );
}

function useRefreshTask(task: TaskView) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['task', task.id] }),
      queryClient.invalidateQueries({ queryKey: ['task-data', task.id] }),
      queryClient.invalidateQueries({ queryKey: ['tasks'] }),
      queryClient.invalidateQueries({ queryKey: ['progress'] }),
      queryClient.invalidateQueries({ queryKey: ['desk'] }),
    ]);
}

function UnitActions({ task, own }: { task: TaskView; own: boolean }) {
  const notify = useNotify();
  const refresh = useRefreshTask(task);
  const acknowledge = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/tasks/{id}/acknowledge', {
          params: { path: { id: task.id } },
          body: { version: task.version },
        }),
      ),
    onSuccess: async () => {
      notify.ok('已签收');
      await refresh();
    },
    onError: notify.fail,
  });
  if (!own) return null;
  return (
    <Space wrap style={{ marginTop: 16 }}>
      {task.status === 'assigned' && (
        <Button type="primary" loading={acknowledge.isPending} onClick={() => acknowledge.mutate()}>
          签收
        </Button>
      )}
      {task.status === 'returned' && (
        <Alert type="warning" showIcon title="报告已被退回，请按审核意见修改后重新报送" />
      )}
    </Space>
  );
}

function SupervisorActions({ task }: { task: TaskView }) {
  const [open, setOpen] = useState(false);
  if (!OPEN.includes(task.status)) return null;
  return (
    <Space wrap style={{ marginTop: 16 }}>
      <Button danger onClick={() => setOpen(true)}>
        催办
      </Button>
      {open && <NudgeModal task={task} onClose={() => setOpen(false)} />}
    </Space>
  );
}

function ReportForm({ task }: { task: TaskView }) {
  const notify = useNotify();
  const { message } = App.useApp();
  const refresh = useRefreshTask(task);
  const [form] = Form.useForm<{ body: string }>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const submit = useMutation({
    mutationFn: async (body: string) => {
      const data = new FormData();
      data.set('body', body);
      data.set('version', String(task.version));
      for (const f of files)
        if (f.originFileObj) data.append('attachments', f.originFileObj, f.name);
      return unwrap(
        await api.POST('/api/v1/tasks/{id}/submissions', {
          params: { path: { id: task.id } },
          body: data as never,
        }),
      );
    },
    onSuccess: async (r) => {
      notify.ok(`第 ${r.number} 次报送成功，等待督导室审核`);
      form.resetFields();
      setFiles([]);
      await refresh();
    },
    onError: notify.fail,
  });

  return (
    <Card title={task.status === 'returned' ? '重新报送' : '报送进展'} size="small">
      <Form form={form} layout="vertical" onFinish={(v) => submit.mutate(v.body)}>
        <Form.Item
          name="body"
          label="进展情况"
          rules={[{ required: true, whitespace: true, message: '请填写进展情况' }]}
        >
          <Input.TextArea
            rows={5}
            maxLength={5000}
            showCount
            placeholder="本阶段完成了哪些工作、取得什么成效、下一步安排"
          />
        </Form.Item>
        <Form.Item label={`附件（最多 ${MAX_ATTACHMENTS} 个，每个不超过 10 MB）`}>
          <Upload.Dragger
            multiple
            fileList={files}
            accept={ALLOWED_EXTENSIONS.join(',')}
            beforeUpload={(file) => {
              const problem = attachmentProblem(file);
              if (problem) {
                void message.error(problem);
                return Upload.LIST_IGNORE;
              }
              if (files.length >= MAX_ATTACHMENTS) {
                void message.error(`最多 ${MAX_ATTACHMENTS} 个附件`);
                return Upload.LIST_IGNORE;
              }
              return false;
            }}
            onChange={({ fileList }) => setFiles(fileList.slice(0, MAX_ATTACHMENTS))}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">点击或将文件拖到此处</p>
            <p className="ant-upload-hint">支持 {ALLOWED_EXTENSIONS.join(' ')}</p>
          </Upload.Dragger>
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={submit.isPending}>
          {task.status === 'returned' ? '重新报送' : '提交报告'}
        </Button>
      </Form>
    </Card>
  );
}

function useTaskData<T>(task: TaskView, kind: string, load: () => Promise<T>, enabled = true) {
  return useQuery({ queryKey: ['task-data', task.id, kind], queryFn: load, enabled });
}

function useReports(task: TaskView) {
  return useTaskData(task, 'submissions', async () =>
    unwrap(
      await api.GET('/api/v1/tasks/{id}/submissions', {
        params: { path: { id: task.id }, query: { pageSize: 100 } },
      }),
    ),
  );
}

function useExtensionRequests(task: TaskView) {
  return useTaskData(task, 'extensions', async () =>
    unwrap(
      await api.GET('/api/v1/tasks/{id}/extension-requests', {
        params: { path: { id: task.id }, query: { pageSize: 100 } },
      }),
    ),
  );
}

function Reports({ task, user }: { task: TaskView; user: SessionUser }) {
  const reports = useReports(task);
  const notify = useNotify();
  return (
    <Card title="进展报告" size="small" style={{ minHeight: 160 }}>
      {reports.error ? (
        <Alert type="error" title={reports.error.message} />
      ) : !reports.data ? (
        <Skeleton active />
      ) : reports.data.items.length === 0 ? (
        <Empty description="尚未报送" />
      ) : (
        <Flex vertical gap={12}>
          {reports.data.items.map((s) => (
            <Report key={s.id} report={s} task={task} user={user} onError={notify.fail} />
          ))}
        </Flex>
      )}
    </Card>
  );
}

function Report({
  report,
  task,
  user,
  onError,
}: {
  report: SubmissionView;
  task: TaskView;
  user: SessionUser;
  onError: (e: unknown) => void;
}) {
  const status = SUBMISSION_STATUS[report.status] ?? { label: report.status, color: 'default' };
  return (
    <div data-testid="report" style={{ border: '1px solid #f0f0f0', borderRadius: 8, padding: 12 }}>
      <Flex justify="space-between" wrap gap={4}>
        <Space wrap>
          <Typography.Text strong>第 {report.number} 次报送</Typography.Text>
          <Tag color={status.color}>{status.label}</Tag>
        </Space>
        <Typography.Text type="secondary">
          {report.submittedBy.name} · {formatDateTime(report.submittedAt)}
        </Typography.Text>
      </Flex>
      <Typography.Paragraph
        data-testid="report-body"
        style={{ whiteSpace: 'pre-wrap', margin: '8px 0' }}
      >
        {report.body}
      </Typography.Paragraph>
      {report.attachments.length > 0 && (
        <Flex vertical gap={2}>
          {report.attachments.map((a) => (
            <Button
              key={a.id}
              type="link"
              size="small"
              icon={<PaperClipOutlined />}
              style={{ padding: 0, height: 'auto', justifyContent: 'flex-start' }}
              onClick={() => void downloadAttachment(a.id, a.fileName).catch(onError)}
            >
              {a.fileName}（{formatBytes(a.sizeBytes)}）
            </Button>
          ))}
        </Flex>
      )}
      {report.decidedAt && (
        <Alert
          style={{ marginTop: 8 }}
          type={report.status === 'approved' ? 'success' : 'warning'}
          title={
            <span>
              审核意见（{report.decidedBy?.name}，{formatDateTime(report.decidedAt)}）：
              <span data-testid="decision-comment">
                {report.decisionComment || (report.status === 'approved' ? '同意' : '')}
              </span>
            </span>
          }
        />
      )}
      {user.role === 'supervisor' && report.status === 'submitted' && (
        <Decision report={report} task={task} />
      )}
    </div>
  );
}

/** Approve or return a report (督导室). */
export function Decision({
  report,
  task,
  compact = false,
}: {
  report: SubmissionView;
  task: { id: string };
  compact?: boolean;
}) {
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [returning, setReturning] = useState(false);
  const [comment, setComment] = useState('');
  const refresh = () =>
    Promise.all(
      [['task', task.id], ['task-data', task.id], ['tasks'], ['progress'], ['desk']].map(
        (queryKey) => queryClient.invalidateQueries({ queryKey }),
      ),
    );
  const decide = useMutation({
    mutationFn: async (decision: 'approve' | 'reject') =>
      unwrap(
        decision === 'approve'
          ? await api.POST('/api/v1/submissions/{id}/approve', {
              params: { path: { id: report.id } },
              // The server takes an ApproveDto here, but its OpenAPI document declares no body.
              body: { version: report.version } as never,
            })
          : await api.POST('/api/v1/submissions/{id}/reject', {
              params: { path: { id: report.id } },
              body: { comment: comment.trim(), version: report.version },
            }),
      ),
    onSuccess: async (_r, decision) => {
      notify.ok(decision === 'approve' ? '已审核通过，任务办结' : '已退回，单位将收到审核意见');
      setReturning(false);
      setComment('');
      await refresh();
    },
    onError: notify.fail,
  });
  return (
    <div style={{ marginTop: compact ? 0 : 8 }}>
      <Space wrap>
        <Button
          type="primary"
          loading={decide.isPending && decide.variables === 'approve'}
          onClick={() => decide.mutate('approve')}
        >
          审核通过
        </Button>
        <Button onClick={() => setReturning(true)}>退回</Button>
      </Space>
      <Modal
        title="退回报告"
        open={returning}
        okText="退回"
        okButtonProps={{ danger: true, disabled: !comment.trim() }}
        confirmLoading={decide.isPending}
        onOk={() => decide.mutate('reject')}
        onCancel={() => setReturning(false)}
      >
        <Typography.Paragraph type="secondary">
          请写明退回理由和修改要求，单位将看到这条意见。
        </Typography.Paragraph>
        <Input.TextArea
          aria-label="审核意见"
          rows={4}
          maxLength={2000}
          showCount
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
      </Modal>
    </div>
  );
}

function Milestones({ task, user, own }: { task: TaskView; user: SessionUser; own: boolean }) {
  const notify = useNotify();
  const queryClient = useQueryClient();
  const milestones = useTaskData(task, 'milestones', async () =>
    unwrap(
      await api.GET('/api/v1/tasks/{id}/milestones', {
        params: { path: { id: task.id }, query: { pageSize: 100 } },
      }),
    ),
  );
  const canManage = user.role === 'supervisor' || (own && user.role === 'unit_head');
  const canComplete = user.role === 'supervisor' || own;
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm<{ title: string; dueDate: Dayjs }>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['task-data', task.id] });
  const add = useMutation({
    mutationFn: async (v: { title: string; dueDate: Dayjs }) =>
      unwrap(
        await api.POST('/api/v1/tasks/{id}/milestones', {
          params: { path: { id: task.id } },
          body: { title: v.title, dueDate: v.dueDate.format('YYYY-MM-DD') },
        }),
      ),
    onSuccess: async () => {
      notify.ok('已添加节点');
      setAdding(false);
      form.resetFields();
      await refresh();
    },
    onError: notify.fail,
  });
  const toggle = useMutation({
    mutationFn: async (m: MilestoneView) =>
      unwrap(
        await api.PATCH('/api/v1/milestones/{id}', {
          params: { path: { id: m.id } },
          body: { done: !m.done },
        }),
      ),
    onSuccess: refresh,
    onError: notify.fail,
  });
  const items = milestones.data?.items ?? [];
  return (
    <Card
      title="节点"
      size="small"
      extra={
        canManage && OPEN.includes(task.status) ? (
          <Button size="small" onClick={() => setAdding(true)}>
            添加节点
          </Button>
        ) : null
      }
    >
      {!milestones.data ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : items.length === 0 ? (
        <Typography.Text type="secondary">未设节点</Typography.Text>
      ) : (
        <Steps
          orientation="vertical"
          size="small"
          items={items.map((m) => ({
            title: m.title,
            status: m.done ? 'finish' : m.overdue ? 'error' : 'wait',
            content: (
              <Space wrap>
                <span>{m.dueDate}</span>
                {m.overdue && !m.done && <Tag color="red">逾期</Tag>}
                {canComplete && (
                  <Button size="small" type="link" onClick={() => toggle.mutate(m)}>
                    {m.done ? '重新打开' : '标记完成'}
                  </Button>
                )}
              </Space>
            ),
          }))}
        />
      )}
      <Modal
        title="添加节点"
        open={adding}
        okText="添加"
        onOk={() => form.submit()}
        confirmLoading={add.isPending}
        onCancel={() => setAdding(false)}
      >
        <Form form={form} layout="vertical" onFinish={(v) => add.mutate(v)}>
          <Form.Item
            name="title"
            label="节点名称"
            rules={[{ required: true, whitespace: true, message: '请填写节点名称' }]}
          >
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item
            name="dueDate"
            label="节点日期"
            rules={[{ required: true, message: '请选择日期' }]}
          >
            <DatePicker
              style={{ width: '100%' }}
              disabledDate={(d) =>
                d.format('YYYY-MM-DD') < today() || d.format('YYYY-MM-DD') > task.dueDate
              }
            />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

function Extensions({ task, user, own }: { task: TaskView; user: SessionUser; own: boolean }) {
  const notify = useNotify();
  const refresh = useRefreshTask(task);
  const requests = useExtensionRequests(task);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ proposedDueDate: Dayjs; reason: string }>();
  const request = useMutation({
    mutationFn: async (v: { proposedDueDate: Dayjs; reason: string }) =>
      unwrap(
        await api.POST('/api/v1/tasks/{id}/extension-requests', {
          params: { path: { id: task.id } },
          body: { proposedDueDate: v.proposedDueDate.format('YYYY-MM-DD'), reason: v.reason },
        }),
      ),
    onSuccess: async () => {
      notify.ok('延期申请已提交，等待督导室审批');
      setOpen(false);
      form.resetFields();
      await refresh();
    },
    onError: notify.fail,
  });
  const items = requests.data?.items ?? [];
  const pending = items.some((r) => r.status === 'pending');
  const canRequest = own && OPEN.includes(task.status) && !task.overdue && !pending;
  return (
    <Card
      title="延期申请"
      size="small"
      extra={
        canRequest ? (
          <Button size="small" onClick={() => setOpen(true)}>
            申请延期
          </Button>
        ) : null
      }
    >
      {!requests.data ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : items.length === 0 ? (
        <Typography.Text type="secondary">无</Typography.Text>
      ) : (
        <Flex vertical gap={8}>
          {items.map((r) => (
            <ExtensionItem key={r.id} request={r} task={task} decide={user.role === 'supervisor'} />
          ))}
        </Flex>
      )}
      <Modal
        title="申请延期"
        open={open}
        okText="提交申请"
        onOk={() => form.submit()}
        confirmLoading={request.isPending}
        onCancel={() => setOpen(false)}
      >
        <Form form={form} layout="vertical" onFinish={(v) => request.mutate(v)}>
          <Form.Item label="当前截止日期">{task.dueDate}</Form.Item>
          <Form.Item
            name="proposedDueDate"
            label="申请延至"
            rules={[{ required: true, message: '请选择新的截止日期' }]}
          >
            <DatePicker
              style={{ width: '100%' }}
              disabledDate={(d) => d.format('YYYY-MM-DD') <= task.dueDate}
            />
          </Form.Item>
          <Form.Item
            name="reason"
            label="延期理由"
            rules={[{ required: true, whitespace: true, message: '请填写延期理由' }]}
          >
            <Input.TextArea rows={3} maxLength={2000} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

export function ExtensionItem({
  request,
  task,
  decide,
}: {
  request: ExtensionRequestView;
  task: { id: string };
  decide: boolean;
}) {
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [comment, setComment] = useState('');
  const [rejecting, setRejecting] = useState(false);
  const status = EXTENSION_STATUS[request.status] ?? { label: request.status, color: 'default' };
  const mutation = useMutation({
    mutationFn: async (decision: 'approve' | 'reject') =>
      unwrap(
        await api.POST(
          decision === 'approve'
            ? '/api/v1/extension-requests/{id}/approve'
            : '/api/v1/extension-requests/{id}/reject',
          {
            params: { path: { id: request.id } },
            body: {
              version: request.version,
              ...(comment.trim() ? { comment: comment.trim() } : {}),
            },
          },
        ),
      ),
    onSuccess: async (_r, decision) => {
      notify.ok(decision === 'approve' ? '已批准延期，截止日期已调整' : '已驳回延期申请');
      setRejecting(false);
      await Promise.all(
        [['task', task.id], ['task-data', task.id], ['tasks'], ['desk']].map((queryKey) =>
          queryClient.invalidateQueries({ queryKey }),
        ),
      );
    },
    onError: notify.fail,
  });
  return (
    <div style={{ border: '1px solid #f0f0f0', borderRadius: 8, padding: 10 }}>
      <Space wrap>
        <Tag color={status.color}>{status.label}</Tag>
        <span>
          {request.currentDueDate} → <strong>{request.proposedDueDate}</strong>
        </span>
      </Space>
      <div style={{ whiteSpace: 'pre-wrap', margin: '6px 0' }}>{request.reason}</div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {request.requestedBy.name} · {formatDateTime(request.createdAt)}
      </Typography.Text>
      {request.decidedAt && (
        <div style={{ marginTop: 4 }}>
          <Typography.Text type="secondary">
            {request.decidedBy?.name}：
            {request.decisionComment || EXTENSION_STATUS[request.status]?.label}
          </Typography.Text>
        </div>
      )}
      {decide && request.status === 'pending' && (
        <Space wrap style={{ marginTop: 8 }}>
          <Button
            type="primary"
            size="small"
            loading={mutation.isPending && mutation.variables === 'approve'}
            onClick={() => mutation.mutate('approve')}
          >
            批准
          </Button>
          <Button size="small" onClick={() => setRejecting(true)}>
            驳回
          </Button>
          <Modal
            title="驳回延期申请"
            open={rejecting}
            okText="驳回"
            okButtonProps={{ danger: true, disabled: !comment.trim() }}
            onOk={() => mutation.mutate('reject')}
            confirmLoading={mutation.isPending}
            onCancel={() => setRejecting(false)}
          >
            <Input.TextArea
              aria-label="驳回理由"
              rows={3}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              placeholder="驳回理由（必填）"
            />
          </Modal>
        </Space>
      )}
    </div>
  );
}

function History({ task, user }: { task: TaskView; user: SessionUser }) {
  const mayReadAudit = ['admin', 'leader', 'supervisor'].includes(user.role);
  const audit = useTaskData(
    task,
    'audit',
    async () =>
      unwrapAs<Page<AuditRecord>>(
        await api.GET('/api/v1/audit', {
          params: { query: { entityType: 'task', entityId: task.id, pageSize: 100 } },
        }),
      ),
    mayReadAudit,
  );
  const reports = useReports(task).data;
  const extensions = useExtensionRequests(task).data;

  let entries: { at: string; who: string; what: string; color?: string }[];
  if (mayReadAudit) {
    entries = (audit.data?.items ?? []).map((a) => ({
      at: a.at,
      who: a.actor,
      what: AUDIT_ACTIONS[a.action] ?? a.action,
      color:
        a.action === 'task.return'
          ? 'orange'
          : a.action === 'task.approve'
            ? 'green'
            : a.action === 'task.nudge'
              ? 'red'
              : undefined,
    }));
  } else {
    // Unit staff may not read the audit trail; their own record of the task is what they can see.
    entries = [
      ...(reports?.items ?? []).flatMap((s) => [
        { at: s.submittedAt, who: s.submittedBy.name, what: `第 ${s.number} 次报送进展` },
        ...(s.decidedAt
          ? [
              {
                at: s.decidedAt,
                who: s.decidedBy?.name ?? '督导室',
                what: s.status === 'approved' ? '审核通过，任务办结' : '退回报告',
                color: s.status === 'approved' ? 'green' : 'orange',
              },
            ]
          : []),
      ]),
      ...(extensions?.items ?? []).flatMap((r) => [
        { at: r.createdAt, who: r.requestedBy.name, what: `申请延期至 ${r.proposedDueDate}` },
        ...(r.decidedAt
          ? [
              {
                at: r.decidedAt,
                who: r.decidedBy?.name ?? '督导室',
                what: r.status === 'approved' ? '批准延期' : '驳回延期',
              },
            ]
          : []),
      ]),
    ].sort((a, b) => (a.at < b.at ? 1 : -1));
  }
  return (
    <Card title="办理记录" size="small">
      {mayReadAudit && !audit.data ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : entries.length === 0 ? (
        <Typography.Text type="secondary">暂无记录</Typography.Text>
      ) : (
        <Timeline
          items={entries.map((e, i) => ({
            key: `${e.at}-${i}`,
            color: e.color ?? 'blue',
            title: formatDateTime(e.at),
            content: `${e.who}：${e.what}`,
          }))}
        />
      )}
    </Card>
  );
}
