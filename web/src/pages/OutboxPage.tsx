import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Card,
  Col,
  Descriptions,
  Empty,
  Grid,
  Modal,
  Row,
  Skeleton,
  Table,
  Tag,
  Typography,
} from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { api, unwrap } from '../api/client';
import { PageHeader } from '../components/PageHeader';
import { ErrorResult } from '../layout/guards';
import { formatBytes } from '../lib/attachments';
import { formatDateTime } from '../lib/time';

/**
 * The message's own HTML, shown as it would look in a mail client: inside a frame with no
 * scripts, no same-origin access, and a policy that loads nothing from outside.
 */
export const MAIL_FRAME_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; form-action 'none'";

export function mailFrameDocument(html: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${MAIL_FRAME_CSP}"><base target="_blank"></head><body>${html}</body></html>`;
}

function MessageView({ name }: { name: string }) {
  const message = useQuery({
    queryKey: ['outbox', 'message', name],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/outbox/{name}', { params: { path: { name } } })),
  });
  if (message.error) return <Alert type="error" title={message.error.message} />;
  if (!message.data) return <Skeleton active paragraph={{ rows: 10 }} />;
  const m = message.data;
  return (
    <div>
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 's', label: '主题', children: m.subject },
          { key: 'f', label: '发件人', children: m.from },
          { key: 't', label: '收件人', children: m.to },
          { key: 'd', label: '时间', children: formatDateTime(m.date) },
        ]}
      />
      {m.attachments.length > 0 && (
        <Typography.Paragraph>
          {m.attachments.map((a, i) => (
            <Tag key={i} icon={<PaperClipOutlined />}>
              {a.fileName ?? '附件'}（{formatBytes(a.sizeBytes)}）
            </Tag>
          ))}
        </Typography.Paragraph>
      )}
      {m.html ? (
        <iframe
          title={`邮件：${m.subject}`}
          sandbox=""
          referrerPolicy="no-referrer"
          srcDoc={mailFrameDocument(m.html)}
          data-testid="mail-frame"
          style={{
            width: '100%',
            height: 520,
            border: '1px solid #f0f0f0',
            borderRadius: 6,
            background: '#fff',
          }}
        />
      ) : (
        <pre
          style={{ whiteSpace: 'pre-wrap', background: '#fafafa', padding: 12, borderRadius: 6 }}
        >
          {m.text}
        </pre>
      )}
    </div>
  );
}

export default function OutboxPage() {
  const mobile = !Grid.useBreakpoint().lg;
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['outbox', 'list', page],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/outbox', { params: { query: { page, pageSize: 20 } } })),
    refetchInterval: 30_000,
    placeholderData: (p) => p,
  });
  if (list.error) return <ErrorResult error={list.error} />;
  const table = (
    <Table
      rowKey="name"
      size="small"
      loading={!list.data}
      dataSource={list.data?.items ?? []}
      locale={{ emptyText: <Empty description="发件箱是空的" /> }}
      onRow={(m) => ({
        onClick: () => setSelected(m.name),
        onKeyDown: (e) => e.key === 'Enter' && setSelected(m.name),
        tabIndex: 0,
        style: { cursor: 'pointer', background: m.name === selected ? '#e6f4ff' : undefined },
      })}
      pagination={{
        current: page,
        pageSize: 20,
        total: list.data?.total ?? 0,
        onChange: setPage,
        showSizeChanger: false,
      }}
      columns={[
        {
          title: '时间',
          dataIndex: 'date',
          width: 132,
          render: (d: string | null) => formatDateTime(d),
        },
        { title: '主题', dataIndex: 'subject', ellipsis: true },
        ...(mobile ? [] : [{ title: '收件人', dataIndex: 'to', width: 150, ellipsis: true }]),
      ]}
    />
  );
  return (
    <>
      <PageHeader
        title="发件箱"
        sub="未配置 SMTP 时，系统发出的邮件保存在 .data/outbox，在此查看它们在收件人邮箱中的样子"
      />
      {mobile ? (
        <>
          {table}
          <Modal
            open={!!selected}
            onCancel={() => setSelected(null)}
            footer={null}
            width="100%"
            title="邮件"
          >
            {selected && <MessageView name={selected} />}
          </Modal>
        </>
      ) : (
        <Row gutter={16}>
          <Col span={10}>{table}</Col>
          <Col span={14}>
            <Card size="small" style={{ minHeight: 600 }}>
              {selected ? (
                <MessageView name={selected} />
              ) : (
                <Empty description="选择一封邮件查看" />
              )}
            </Card>
          </Col>
        </Row>
      )}
    </>
  );
}
