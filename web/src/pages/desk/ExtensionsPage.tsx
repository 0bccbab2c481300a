import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Card, Empty, Flex, Skeleton } from 'antd';
import { PageHeader } from '../../components/PageHeader';
import { TaskSummaryTags } from '../../components/TaskTags';
import { ErrorResult } from '../../layout/guards';
import { ExtensionItem } from '../TaskPage';
import { loadPendingExtensions } from './desk-data';

export function ExtensionsPage() {
  const pending = useQuery({ queryKey: ['desk', 'extensions'], queryFn: loadPendingExtensions });
  if (pending.error) return <ErrorResult error={pending.error} />;
  return (
    <>
      <PageHeader
        title="督办台 · 延期申请"
        sub={pending.data ? `${pending.data.length} 份申请待审批，最早提出的在前` : '读取中…'}
      />
      <div style={{ minHeight: 400 }}>
        {!pending.data ? (
          <Skeleton active paragraph={{ rows: 6 }} />
        ) : pending.data.length === 0 ? (
          <Empty description="没有待审批的延期申请" />
        ) : (
          <Flex vertical gap={12}>
            {pending.data.map(({ task, ...request }) => (
              <Card
                key={request.id}
                size="small"
                title={
                  <Link to={`/tasks/${task.id}`}>
                    {task.unit.name} · 第 {task.item.number} 项 · {task.item.title}
                  </Link>
                }
                extra={<TaskSummaryTags task={task} />}
                styles={{ title: { whiteSpace: 'normal' } }}
              >
                <ExtensionItem request={request} task={task} decide />
              </Card>
            ))}
          </Flex>
        )}
      </div>
    </>
  );
}
