import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Table,
  Tag,
  Typography,
} from 'antd';
import { api, ApiError, unwrap, unwrapAs } from '../../api/client';
import type { ApiTokenView, CreatedToken } from '../../api/views';
import { PageHeader } from '../../components/PageHeader';
import { ErrorResult } from '../../layout/guards';
import { formatDateTime } from '../../lib/time';

const SCOPES = [
  { value: 'read', label: '读取' },
  { value: 'write', label: '读取和修改' },
] as const;

const STATUS: Record<ApiTokenView['status'], { label: string; color: string }> = {
  active: { label: '有效', color: 'green' },
  expired: { label: '已过期', color: 'default' },
  revoked: { label: '已吊销', color: 'red' },
};

interface NewToken {
  name: string;
  scopes: ('read' | 'write')[];
  expiresInDays: number;
}

export function TokensPage() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [form] = Form.useForm<NewToken>();
  const tokens = useQuery({
    queryKey: ['tokens'],
    queryFn: async () =>
      unwrapAs<{ items: ApiTokenView[] }>(await api.GET('/api/v1/auth/tokens')).items,
  });
  const create = useMutation({
    mutationFn: async (v: NewToken) =>
      unwrapAs<CreatedToken>(
        await api.POST('/api/v1/auth/tokens', {
          body: {
            name: v.name.trim(),
            expiresInDays: v.expiresInDays,
            // Writing includes reading.
            scopes: v.scopes.includes('write') ? ['read', 'write'] : ['read'],
          },
        }),
      ),
    onSuccess: async (t) => {
      setCreated(t);
      form.resetFields(['name']);
      await queryClient.invalidateQueries({ queryKey: ['tokens'] });
    },
    onError: (e) => void message.error(e instanceof ApiError ? e.message : String(e)),
  });
  const revoke = useMutation({
    mutationFn: async (token: ApiTokenView) =>
      unwrap(await api.DELETE('/api/v1/auth/tokens/{id}', { params: { path: { id: token.id } } })),
    onSuccess: async (_r, token) => {
      void message.success(`令牌“${token.name}”已吊销`);
      if (created?.id === token.id) setCreated(null);
      await queryClient.invalidateQueries({ queryKey: ['tokens'] });
    },
    onError: (e) => void message.error(e instanceof ApiError ? e.message : String(e)),
  });
  if (tokens.error) return <ErrorResult error={tokens.error} />;

  return (
    <>
      <PageHeader
        title="API 令牌"
        sub="供其他系统（如 OA）以本账号身份调用接口：Authorization: Bearer dbn_…"
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form
          form={form}
          layout="inline"
          initialValues={{ scopes: ['read'], expiresInDays: 90 }}
          onFinish={(v) => create.mutate(v)}
          style={{ rowGap: 8 }}
        >
          <Form.Item
            name="name"
            rules={[{ required: true, whitespace: true, message: '请填写用途' }]}
          >
            <Input
              aria-label="令牌用途"
              placeholder="用途，例如：OA 系统对接"
              maxLength={100}
              style={{ width: 240 }}
            />
          </Form.Item>
          <Form.Item name="scopes" label="权限">
            <Checkbox.Group options={SCOPES.map((s) => ({ ...s, disabled: s.value === 'read' }))} />
          </Form.Item>
          <Form.Item
            name="expiresInDays"
            label="有效天数"
            rules={[{ required: true, message: '请填写有效天数' }]}
          >
            <InputNumber aria-label="有效天数" min={1} max={365} precision={0} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={create.isPending}>
            创建令牌
          </Button>
        </Form>
        {created && (
          <Alert
            style={{ marginTop: 12 }}
            type="warning"
            showIcon
            title={`令牌“${created.name}”已创建，只显示这一次，请立即复制保存：`}
            description={
              <Typography.Text
                copyable
                code
                style={{ wordBreak: 'break-all' }}
                data-testid="new-token"
              >
                {created.token}
              </Typography.Text>
            }
          />
        )}
      </Card>
      <Table
        rowKey="id"
        loading={!tokens.data}
        dataSource={tokens.data ?? []}
        pagination={false}
        scroll={{ x: 820 }}
        style={{ minHeight: 200 }}
        locale={{ emptyText: '没有令牌' }}
        columns={[
          { title: '用途', dataIndex: 'name' },
          {
            title: '权限',
            dataIndex: 'scopes',
            width: 110,
            render: (scopes: ApiTokenView['scopes']) =>
              scopes.includes('write') ? <Tag color="orange">读取和修改</Tag> : <Tag>只读</Tag>,
          },
          {
            title: '状态',
            dataIndex: 'status',
            width: 80,
            render: (s: ApiTokenView['status']) => (
              <Tag color={STATUS[s].color}>{STATUS[s].label}</Tag>
            ),
          },
          {
            title: '创建时间',
            dataIndex: 'createdAt',
            width: 140,
            render: (t: string) => formatDateTime(t),
          },
          {
            title: '到期',
            dataIndex: 'expiresAt',
            width: 140,
            render: (t: string) => formatDateTime(t),
          },
          {
            title: '最近使用',
            dataIndex: 'lastUsedAt',
            width: 140,
            render: (t: string | null) => formatDateTime(t),
          },
          {
            title: '操作',
            key: 'revoke',
            width: 80,
            render: (_, t) =>
              t.status === 'active' ? (
                <Popconfirm
                  title="吊销后使用该令牌的系统将无法访问，确定？"
                  onConfirm={() => revoke.mutate(t)}
                >
                  <Button size="small" danger aria-label={`吊销${t.name}`}>
                    吊销
                  </Button>
                </Popconfirm>
              ) : null,
          },
        ]}
      />
    </>
  );
}
