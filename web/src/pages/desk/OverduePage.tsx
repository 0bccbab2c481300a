import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Empty,
  Flex,
  Input,
  Modal,
  Skeleton,
  Table,
  Tag,
  Typography,
  Grid,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { api, unwrap } from '../../api/client';
import { fetchAllTasks } from '../../api/queries';
import type { TaskView } from '../../api/views';
import { useSession } from '../../auth/session';
import { PageHeader } from '../../components/PageHeader';
import { TaskTags } from '../../components/TaskTags';
import { ErrorResult } from '../../layout/guards';
import { daysBetween, today } from '../../lib/time';

export function OverduePage() {
  const session = useSession();
  const supervisor = session?.user.role === 'supervisor';
  const mobile = !Grid.useBreakpoint().md;
  const overdue = useQuery({
    queryKey: ['desk', 'overdue'],
    queryFn: async () =>
      (await fetchAllTasks({ status: 'overdue' })).sort((a, b) => a.dueAt.localeCompare(b.dueAt)),
  });
  const [target, setTarget] = useState<TaskView | null>(null);
  if (overdue.error) return <ErrorResult error={overdue.error} />;
  const byUnit = new Map<string, number>();
  for (const t of overdue.data ?? []) byUnit.set(t.unit.name, (byUnit.get(t.unit.name) ?? 0) + 1);

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
    { title: '状态', key: 'status', width: 200, render: (_, t) => <TaskTags task={t} /> },
    { title: '截止日期', dataIndex: 'dueDate', width: 110 },
    {
      title: '逾期',
      key: 'late',
      width: 90,
      render: (_, t) => (
        <Typography.Text type="danger">
          {Math.max(daysBetween(t.dueDate, today()), 0)} 天
        </Typography.Text>
      ),
    },
    ...(supervisor
      ? [
          {
            title: '操作',
            key: 'nudge',
            width: 90,
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
        title="逾期督办"
        sub={overdue.data ? `${overdue.data.length} 项任务已过截止日期未办结` : '读取中…'}
      />
      <Flex gap={6} wrap style={{ marginBottom: 12, minHeight: 24 }}>
        {[...byUnit.entries()]
          .sort((a, b) => b[1] - a[1])
          .map(([unit, n]) => (
            <Tag key={unit} color="red">
              {unit} {n}
            </Tag>
          ))}
      </Flex>
      <div style={{ minHeight: 400 }}>
        {!overdue.data ? (
          <Skeleton active paragraph={{ rows: 8 }} />
        ) : overdue.data.length === 0 ? (
          <Empty description="没有逾期任务" />
        ) : mobile ? (
          <Flex vertical gap={8}>
            {overdue.data.map((t) => (
              <Card key={t.id} size="small">
                <Link to={`/tasks/${t.id}`}>
                  第 {t.item.number} 项 · {t.item.title}
                </Link>
                <div style={{ margin: '4px 0', color: '#666' }}>
                  {t.unit.name} · 截止 {t.dueDate} ·{' '}
                  <Typography.Text type="danger">
                    逾期 {Math.max(daysBetween(t.dueDate, today()), 0)} 天
                  </Typography.Text>
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
            dataSource={overdue.data}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
          />
        )}
      </div>
      {target && <NudgeModal task={target} onClose={() => setTarget(null)} />}
    </>
  );
}

export function NudgeModal({ task, onClose }: { task: TaskView; onClose: () => void }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const nudge = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/tasks/{id}/nudge', {
          params: { path: { id: task.id } },
          body: note.trim() ? { note: note.trim() } : {},
        }),
      ),
    onSuccess: async (r) => {
      void message.success(`已催办${task.unit.name}，通知 ${r.recipients} 人`);
      await queryClient.invalidateQueries({ queryKey: ['task-data', task.id] });
      onClose();
    },
    onError: (e) => void message.error(e.message),
  });
  return (
    <Modal
      open
      title={`催办：${task.unit.name} · 第 ${task.item.number} 项`}
      okText="发送催办"
      confirmLoading={nudge.isPending}
      onOk={() => nudge.mutate()}
      onCancel={onClose}
    >
      <Typography.Paragraph type="secondary">
        立即以邮件和站内通知提醒该单位；同一任务 10 分钟内只能催办一次。
      </Typography.Paragraph>
      <Input.TextArea
        aria-label="催办留言"
        rows={3}
        maxLength={500}
        showCount
        placeholder="留言（可选）"
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
    </Modal>
  );
}
