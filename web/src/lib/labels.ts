export type TaskStatus =
  'assigned' | 'acknowledged' | 'in_progress' | 'submitted' | 'returned' | 'closed' | 'cancelled';

export const TASK_STATUS: Record<TaskStatus, { label: string; color: string }> = {
  assigned: { label: '已交办', color: 'default' },
  acknowledged: { label: '已签收', color: 'cyan' },
  in_progress: { label: '办理中', color: 'blue' },
  submitted: { label: '已报送', color: 'purple' },
  returned: { label: '已退办', color: 'orange' },
  closed: { label: '已办结', color: 'green' },
  cancelled: { label: '已撤销', color: 'default' },
};

export function taskStatus(status: string): { label: string; color: string } {
  return TASK_STATUS[status as TaskStatus] ?? { label: status, color: 'default' };
}

export const SUBMISSION_STATUS: Record<string, { label: string; color: string }> = {
  submitted: { label: '待审核', color: 'purple' },
  approved: { label: '已通过', color: 'green' },
  returned: { label: '已退回', color: 'orange' },
};

export const EXTENSION_STATUS: Record<string, { label: string; color: string }> = {
  pending: { label: '待审批', color: 'gold' },
  approved: { label: '已批准', color: 'green' },
  rejected: { label: '已驳回', color: 'red' },
};

export const TASK_ROLE: Record<string, string> = { lead: '牵头', co: '配合' };

/** Rolled-up status of items and sections (GET /plans/{id}/progress). */
export const PROGRESS_STATUS: Record<string, { label: string; color: string }> = {
  assigned: { label: '未启动', color: '#bfbfbf' },
  in_progress: { label: '推进中', color: '#faad14' },
  submitted: { label: '已报送', color: '#1677ff' },
  overdue: { label: '已逾期', color: '#f5222d' },
  closed: { label: '已办结', color: '#52c41a' },
  cancelled: { label: '已撤销', color: '#d9d9d9' },
};

/** Red / amber / green, as the bureau reads a progress chart. */
export const RAG = {
  red: '#f5222d',
  amber: '#faad14',
  green: '#52c41a',
  blue: '#1677ff',
  grey: '#bfbfbf',
};

export const AUDIT_ACTIONS: Record<string, string> = {
  'task.acknowledge': '签收',
  'task.start': '开始办理',
  'task.submit': '报送进展',
  'task.approve': '审核通过，任务办结',
  'task.return': '退回报告',
  'task.update': '修改任务',
  'task.cancel': '撤销任务',
  'task.reopen': '重新打开',
  'task.nudge': '催办',
  'task.extend': '延期获批，截止日期调整',
  'submission.submit': '报送进展',
  'submission.approve': '审核通过',
  'submission.return': '退回报告',
  'extension.request': '申请延期',
  'extension.approve': '批准延期',
  'extension.reject': '驳回延期',
  forbidden: '越权访问被拒绝',
};

/** Escalation level of a task (督办升级), as its badge shows it; null when not escalated. */
export function escalationOf(escalation: {
  level: 'none' | 'yellow' | 'red';
}): { label: string; color: string; title: string } | null {
  if (escalation.level === 'red') return { label: '红牌', color: 'red', title: '红牌督办' };
  if (escalation.level === 'yellow') return { label: '黄牌', color: 'gold', title: '黄牌督办' };
  return null;
}

export const ESCALATION_FILTERS = {
  any: '黄牌或红牌',
  yellow: '黄牌',
  red: '红牌',
} as const;

/** Kinds of message, as the delivery ledger and preferences name them. */
export const MESSAGE_KIND_LABELS: Record<string, string> = {
  reminder: '截止提醒',
  'milestone.reminder': '节点提醒',
  'escalation.overdue': '逾期提醒',
  'escalation.yellow': '黄牌督办',
  'escalation.red': '红牌督办',
  nudge: '催办',
  'submission.approved': '进展报告通过',
  'submission.returned': '进展报告退回',
  'extension.approved': '延期申请批准',
  'extension.rejected': '延期申请驳回',
};

export const DELIVERY_STATUS: Record<string, { label: string; color: string }> = {
  pending: { label: '待发送', color: 'default' },
  sending: { label: '发送中', color: 'processing' },
  sent: { label: '已发送', color: 'green' },
  failed: { label: '发送失败', color: 'red' },
  skipped: { label: '未发送', color: 'default' },
};

export const CHANNEL_LABELS: Record<string, string> = {
  email: '邮件',
  inbox: '站内通知',
  webhook: '群机器人',
};
