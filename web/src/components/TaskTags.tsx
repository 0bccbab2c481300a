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
