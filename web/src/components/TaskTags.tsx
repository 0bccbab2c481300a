import { useState } from 'react';
import { Space, Tag } from 'antd';
import { escalationOf, TASK_ROLE, taskStatus } from '../lib/labels';
import type { TaskView } from '../api/views';

/** Status, overdue, escalation and lead/co-unit marks of a task, the same everywhere. */
export function TaskTags({ task, showRole = true }: { task: TaskView; showRole?: boolean }) {
  const status = taskStatus(task.status);
  const escalation = escalationOf(task.escalation);
  return (
    <Space size={4} wrap>
      <Tag color={status.color}>{status.label}</Tag>
      {task.overdue && <Tag color="red">逾期</Tag>}
      {escalation && (
        <Tag color={escalation.color} title={escalation.title} data-testid="escalation-badge">
          {escalation.label}
        </Tag>
      )}
      {showRole && (
        <Tag color={task.role === 'lead' ? 'blue' : 'default'} bordered={task.role === 'lead'}>
          {TASK_ROLE[task.role]}
        </Tag>
      )}
    </Space>
  );
}

/** Status, overdue and lead/co-unit marks of a task as a queue summarises it (as far as it does). */
export function TaskSummaryTags({
  task,
}: {
  task: { status?: string; dueAt: string; role?: 'lead' | 'co' };
}) {
  const [now] = useState(() => Date.now());
  const status = task.status ? taskStatus(task.status) : null;
  const overdue =
    !['closed', 'cancelled'].includes(task.status ?? '') && Date.parse(task.dueAt) < now;
  return (
    <Space size={4} wrap>
      {status && <Tag color={status.color}>{status.label}</Tag>}
      {overdue && <Tag color="red">逾期</Tag>}
      {task.role && (
        <Tag color={task.role === 'lead' ? 'blue' : 'default'} bordered={task.role === 'lead'}>
          {TASK_ROLE[task.role]}
        </Tag>
      )}
    </Space>
  );
}
