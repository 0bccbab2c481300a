/**
 * The kinds of message Duban sends, with the names people see. A mandatory kind cannot be switched
 * off (a red card must reach the people in charge). Pure.
 */
export interface MessageKind {
  kind: string;
  label: string;
  mandatory: boolean;
}

export const MESSAGE_KINDS: readonly MessageKind[] = [
  { kind: 'reminder', label: '截止提醒', mandatory: false },
  { kind: 'milestone.reminder', label: '节点提醒', mandatory: false },
  { kind: 'escalation.overdue', label: '逾期提醒', mandatory: false },
  { kind: 'escalation.yellow', label: '黄牌督办', mandatory: false },
  { kind: 'escalation.red', label: '红牌督办', mandatory: true },
  { kind: 'nudge', label: '催办', mandatory: false },
  { kind: 'submission.approved', label: '进展报告通过', mandatory: false },
  { kind: 'submission.returned', label: '进展报告退回', mandatory: false },
  { kind: 'extension.approved', label: '延期申请批准', mandatory: false },
  { kind: 'extension.rejected', label: '延期申请驳回', mandatory: false },
  { kind: 'cycle.request', label: '督导报送通知', mandatory: false },
  { kind: 'cycle.reminder', label: '督导报送提醒', mandatory: false },
  { kind: 'cycle.returned', label: '督导报告退回', mandatory: false },
  { kind: 'plan.revision', label: '工作要点修订', mandatory: false },
  { kind: 'digest.unit', label: '单位督办周报', mandatory: false },
  { kind: 'digest.leaders', label: '全局督办周报（领导）', mandatory: false },
];

export const PERSONAL_CHANNELS = ['email', 'inbox'] as const;

export function messageKind(kind: string): MessageKind | undefined {
  return MESSAGE_KINDS.find((k) => k.kind === kind);
}

export function isMandatory(kind: string): boolean {
  return messageKind(kind)?.mandatory ?? false;
}
