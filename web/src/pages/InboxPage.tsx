import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Badge,
  Button,
  Card,
  Empty,
  Flex,
  Pagination,
  Segmented,
  Skeleton,
  Typography,
} from 'antd';
import { api, unwrap, unwrapAs } from '../api/client';
import type { InboxItem, Page } from '../api/views';
import { PageHeader } from '../components/PageHeader';
import { ErrorResult } from '../layout/guards';
import { formatDateTime } from '../lib/time';
import { useUnreadCount } from '../layout/AppLayout';

const PAGE_SIZE = 20;

export function InboxPage() {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [page, setPage] = useState(1);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const unread = useUnreadCount();
  const inbox = useQuery({
    queryKey: ['inbox', unreadOnly, page],
    queryFn: async () =>
      unwrapAs<Page<InboxItem>>(
        await api.GET('/api/v1/notifications', {
          params: { query: { unread: unreadOnly || undefined, page, pageSize: PAGE_SIZE } },
        }),
      ),
    placeholderData: (p) => p,
  });
  const markRead = useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.POST('/api/v1/notifications/{id}/read', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['inbox'] }),
  });
  if (inbox.error) return <ErrorResult error={inbox.error} />;

  const open = (n: InboxItem) => {
    if (!n.readAt) markRead.mutate(n.id);
    if (n.taskId) void navigate(`/tasks/${n.taskId}`);
  };

  return (
    <>
      <PageHeader
        title="通知"
        sub={`${unread.data ?? 0} 条未读`}
        extra={
          <Segmented
            value={unreadOnly ? 'unread' : 'all'}
            onChange={(v) => {
              setUnreadOnly(v === 'unread');
              setPage(1);
            }}
            options={[
              { value: 'all', label: '全部' },
              { value: 'unread', label: '未读' },
            ]}
          />
        }
      />
      <div style={{ minHeight: 400 }}>
        {!inbox.data ? (
          <Skeleton active paragraph={{ rows: 8 }} />
        ) : inbox.data.items.length === 0 ? (
          <Empty description={unreadOnly ? '没有未读通知' : '暂无通知'} />
        ) : (
          <Flex vertical gap={8}>
            {inbox.data.items.map((n) => (
              <Card key={n.id} size="small" data-testid="notification">
                <Flex justify="space-between" gap={8} wrap>
                  <Badge dot={!n.readAt} offset={[6, 2]}>
                    <Typography.Text strong={!n.readAt}>{n.subject ?? '通知'}</Typography.Text>
                  </Badge>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDateTime(n.createdAt)}
                  </Typography.Text>
                </Flex>
                {n.body && (
                  <Typography.Paragraph
                    type="secondary"
                    ellipsis={{ rows: 3, expandable: 'collapsible' }}
                    style={{ whiteSpace: 'pre-wrap', margin: '6px 0 0' }}
                  >
                    {n.body}
                  </Typography.Paragraph>
                )}
                <Flex gap={8} style={{ marginTop: 6 }}>
                  {n.taskId && (
                    <Button size="small" type="link" style={{ padding: 0 }} onClick={() => open(n)}>
                      查看任务
                    </Button>
                  )}
                  {!n.readAt && (
                    <Button
                      size="small"
                      type="link"
                      style={{ padding: 0 }}
                      onClick={() => markRead.mutate(n.id)}
                    >
                      标为已读
                    </Button>
                  )}
                </Flex>
              </Card>
            ))}
            <Pagination
              simple
              current={page}
              pageSize={PAGE_SIZE}
              total={inbox.data.total}
              onChange={setPage}
              style={{ alignSelf: 'flex-end' }}
            />
          </Flex>
        )}
      </div>
    </>
  );
}
