import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Checkbox,
  DatePicker,
  Flex,
  Input,
  Select,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { api, ApiError, unwrapAs } from '../../api/client';
import type { paths } from '../../api/schema';
import type { LedgerEntry, Page } from '../../api/views';
import { useSession } from '../../auth/session';
import { PageHeader } from '../../components/PageHeader';
import { ErrorResult } from '../../layout/guards';
import { CHANNEL_LABELS, DELIVERY_STATUS, MESSAGE_KIND_LABELS } from '../../lib/labels';
import { addDays, formatDateTime, startOfBusinessDay } from '../../lib/time';

type LedgerQuery = NonNullable<paths['/api/v1/notifications/ledger']['get']['parameters']['query']>;

const PAGE_SIZE = 20;

export function LedgerPage() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const session = useSession();
  const canRetry = session?.user.role === 'supervisor' || session?.user.role === 'admin';
  const [filter, setFilter] = useState<Omit<LedgerQuery, 'page' | 'pageSize'>>({});
  const [page, setPage] = useState(1);
  const [recipient, setRecipient] = useState('');
  const query: LedgerQuery = { ...filter, page, pageSize: PAGE_SIZE };
  const ledger = useQuery({
    queryKey: ['ledger', query],
    queryFn: async () =>
      unwrapAs<Page<LedgerEntry>>(
        await api.GET('/api/v1/notifications/ledger', { params: { query } }),
      ),
    placeholderData: (previous) => previous,
  });
  const retry = useMutation({
    mutationFn: async (entry: LedgerEntry) =>
      unwrapAs<{ id: string; queued: true }>(
        await api.POST('/api/v1/notifications/ledger/{id}/retry', {
          params: { path: { id: entry.id } },
        }),
      ),
    onSuccess: async (_r, entry) => {
      void message.success(`已重新排队发送给 ${entry.recipient ?? '收件人'}`);
      await queryClient.invalidateQueries({ queryKey: ['ledger'] });
    },
    onError: (e) => void message.error(e instanceof ApiError ? e.message : String(e)),
  });
  const change = (patch: Partial<LedgerQuery>) => {
    setPage(1);
    setFilter((f) => {
      const next = { ...f, ...patch };
      for (const k of Object.keys(next) as (keyof typeof next)[]) {
        if (next[k] === undefined || next[k] === '' || next[k] === false) delete next[k];
      }
      return next;
    });
  };
  if (ledger.error) return <ErrorResult error={ledger.error} />;

  return (
    <>
      <PageHeader
        title="发送台账"
        sub="每条提醒、催办和通知发给了谁、经哪个渠道、是否送达；失败的可重新发送"
      />
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder="状态"
          aria-label="按状态筛选"
          style={{ width: 120 }}
          value={filter.status}
          onChange={(v: LedgerQuery['status']) => change({ status: v })}
          options={Object.entries(DELIVERY_STATUS).map(([value, s]) => ({
            value,
            label: s.label,
          }))}
        />
        <Select
          allowClear
          placeholder="渠道"
          aria-label="按渠道筛选"
          style={{ width: 120 }}
          value={filter.channel}
          onChange={(v: LedgerQuery['channel']) => change({ channel: v })}
          options={(['email', 'inbox'] as const).map((value) => ({
            value,
            label: CHANNEL_LABELS[value],
          }))}
        />
        <Select
          allowClear
          placeholder="消息类型"
          aria-label="按消息类型筛选"
          style={{ width: 150 }}
          value={filter.kind}
          onChange={(v: string | undefined) => change({ kind: v })}
          options={Object.entries(MESSAGE_KIND_LABELS).map(([value, label]) => ({
            value,
            label,
          }))}
        />
        <Input.Search
          allowClear
          aria-label="按收件人筛选"
          placeholder="收件人"
          style={{ width: 220 }}
          value={recipient}
          onChange={(e) => {
            setRecipient(e.target.value);
            if (!e.target.value) change({ recipient: undefined });
          }}
          onSearch={(v) => change({ recipient: v.trim() || undefined })}
        />
        <DatePicker.RangePicker
          aria-label="按时间筛选"
          placeholder={['起始日期', '截止日期']}
          onChange={(range: [Dayjs | null, Dayjs | null] | null) => {
            const [from, to] = range ?? [null, null];
            change({
              from: from ? startOfBusinessDay(from.format('YYYY-MM-DD')) : undefined,
              to: to ? startOfBusinessDay(addDays(to.format('YYYY-MM-DD'), 1)) : undefined,
            });
          }}
        />
        <Checkbox
          checked={filter.deadLetter ?? false}
          onChange={(e) => change({ deadLetter: e.target.checked })}
        >
          只看已放弃自动重试的
        </Checkbox>
      </Flex>
      <Table<LedgerEntry>
        rowKey="id"
        size="small"
        loading={ledger.isFetching && !ledger.data}
        dataSource={ledger.data?.items ?? []}
        scroll={{ x: 1060 }}
        style={{ minHeight: 400 }}
        locale={{ emptyText: ledger.isLoading ? ' ' : '没有符合条件的消息' }}
        onRow={() => ({ 'data-testid': 'ledger-row' }) as object}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: ledger.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (n) => `共 ${n} 条`,
          onChange: setPage,
        }}
        columns={[
          {
            title: '时间',
            dataIndex: 'createdAt',
            width: 140,
            render: (t: string) => formatDateTime(t),
          },
          {
            title: '类型',
            dataIndex: 'kind',
            width: 110,
            render: (k: string) => MESSAGE_KIND_LABELS[k] ?? k,
          },
          {
            title: '渠道',
            dataIndex: 'channel',
            width: 90,
            render: (c: string) => CHANNEL_LABELS[c] ?? c,
          },
          { title: '收件人', dataIndex: 'recipient', width: 190, ellipsis: true },
          {
            title: '主题',
            dataIndex: 'subject',
            width: 200,
            ellipsis: true,
            render: (s: string | null, e) =>
              e.taskId ? <Link to={`/tasks/${e.taskId}`}>{s ?? '（无主题）'}</Link> : (s ?? '—'),
          },
          {
            title: '状态',
            key: 'status',
            width: 170,
            render: (_, e) => {
              const s = DELIVERY_STATUS[e.status] ?? { label: e.status, color: 'default' };
              return (
                <Flex vertical gap={2}>
                  <span>
                    <Tag color={s.color}>{s.label}</Tag>
                    {e.deadLetter && <Tag color="volcano">已停止重试</Tag>}
                  </span>
                  {e.reason && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
                      <Tooltip title={e.reason}>{e.reason}</Tooltip>
                    </Typography.Text>
                  )}
                </Flex>
              );
            },
          },
          { title: '尝试', dataIndex: 'attempts', width: 60 },
          {
            title: '送达',
            key: 'sent',
            width: 140,
            render: (_, e) =>
              e.sentAt
                ? formatDateTime(e.sentAt)
                : e.nextAttemptAt
                  ? `下次 ${formatDateTime(e.nextAttemptAt)}`
                  : '—',
          },
          ...(canRetry
            ? [
                {
                  title: '操作',
                  key: 'retry',
                  width: 100,
                  fixed: 'right' as const,
                  render: (_: unknown, e: LedgerEntry) =>
                    e.status === 'failed' ? (
                      <Button
                        size="small"
                        loading={retry.isPending && retry.variables?.id === e.id}
                        onClick={() => retry.mutate(e)}
                      >
                        重新发送
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
    </>
  );
}
