import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Card, Empty, Flex, Skeleton, Space, Typography } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { PageHeader } from '../../components/PageHeader';
import { TaskSummaryTags } from '../../components/TaskTags';
import { ErrorResult } from '../../layout/guards';
import { daysBetween, formatDateTime, businessDate, today } from '../../lib/time';
import { Decision } from '../TaskPage';
import { loadApprovalQueue } from './desk-data';

export function ApprovalsPage() {
  const queue = useQuery({ queryKey: ['desk', 'approvals'], queryFn: loadApprovalQueue });
  if (queue.error) return <ErrorResult error={queue.error} />;
  return (
    <>
      <PageHeader
        title="督办台 · 待审核"
        sub={queue.data ? `${queue.data.length} 份进展报告等待审核，最早报送的在前` : '读取中…'}
      />
      <div style={{ minHeight: 400 }}>
        {!queue.data ? (
          <Skeleton active paragraph={{ rows: 8 }} />
        ) : queue.data.length === 0 ? (
          <Empty description="没有待审核的报告" />
        ) : (
          <Flex vertical gap={12}>
            {queue.data.map((report) => {
              const { task } = report;
              const waited = daysBetween(businessDate(report.submittedAt), today());
              return (
                <Card
                  key={report.id}
                  size="small"
                  data-testid="queued-report"
                  title={
                    <Link to={`/tasks/${task.id}`}>
                      第 {task.item.number} 项 · {task.item.title}
                    </Link>
                  }
                  extra={<TaskSummaryTags task={task} />}
                  styles={{ title: { whiteSpace: 'normal' } }}
                >
                  <Space wrap size={[12, 4]} style={{ marginBottom: 8 }}>
                    <Typography.Text strong>{task.unit.name}</Typography.Text>
                    <Typography.Text type="secondary">
                      第 {report.number} 次报送 · {report.submittedBy.name} ·{' '}
                      {formatDateTime(report.submittedAt)}
                      {waited > 0 ? `（已等待 ${waited} 天）` : ''}
                    </Typography.Text>
                    <Typography.Text type="secondary">
                      截止 {businessDate(task.dueAt)}
                    </Typography.Text>
                  </Space>
                  <Typography.Paragraph
                    ellipsis={{ rows: 4, expandable: 'collapsible' }}
                    style={{ whiteSpace: 'pre-wrap' }}
                  >
                    {report.body}
                  </Typography.Paragraph>
                  {report.attachments.length > 0 && (
                    <Typography.Paragraph type="secondary">
                      <PaperClipOutlined /> {report.attachments.map((a) => a.fileName).join('、')}
                    </Typography.Paragraph>
                  )}
                  <Decision report={report} task={task} compact />
                </Card>
              );
            })}
          </Flex>
        )}
      </div>
    </>
  );
}
