import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Popconfirm, Space, Table, Typography } from 'antd';
import { api, ApiError, callUntyped, unwrap, unwrapAs } from '../../api/client';
import { useFeatures } from '../../api/features';
import type { CreatedToken } from '../../api/views';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../lib/time';

interface TokenRow {
  id: string;
  name: string;
  createdAt?: string;
  lastUsedAt?: string | null;
}

export function TokensPage() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const features = useFeatures();
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [session, setSession] = useState<TokenRow[]>([]);
  const [form] = Form.useForm<{ name: string }>();
  const listed = useQuery({
    queryKey: ['tokens'],
    enabled: features.data?.tokenList ?? false,
    queryFn: async () => {
      const body = await callUntyped<TokenRow[] | { items: TokenRow[] }>(
        'GET',
        '/api/v1/auth/tokens',
      );
      return Array.isArray(body) ? body : body.items;
    },
  });
  const create = useMutation({
    mutationFn: async (name: string) =>
      unwrapAs<CreatedToken>(
        await api.POST('/api/v1/auth/tokens', {
          body: { name, expiresInDays: 90, scopes: ['read'] },
        }),
      ),
    onSuccess: async (t) => {
      setCreated(t);
      setSession((s) => [{ id: t.id, name: t.name, createdAt: new Date().toISOString() }, ...s]);
      form.resetFields();
      await queryClient.invalidateQueries({ queryKey: ['tokens'] });
    },
    onError: (e) => void message.error(e instanceof ApiError ? e.message : String(e)),
  });
  const revoke = useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.DELETE('/api/v1/auth/tokens/{id}', { params: { path: { id } } })),
    onSuccess: async (_r, id) => {
      void message.success('令牌已吊销');
      setSession((s) => s.filter((t) => t.id !== id));
      if (created?.id === id) setCreated(null);
      await queryClient.invalidateQueries({ queryKey: ['tokens'] });
    },
    onError: (e) => void message.error(e instanceof ApiError ? e.message : String(e)),
  });
  const rows = features.data?.tokenList ? (listed.data ?? []) : session;

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
          onFinish={(v) => create.mutate(v.name)}
          style={{ rowGap: 8 }}
        >
          <Form.Item
            name="name"
            rules={[{ required: true, whitespace: true, message: '请填写用途' }]}
          >
            <Input placeholder="用途，例如：OA 系统对接" maxLength={100} style={{ width: 260 }} />
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
              <Typography.Text copyable code style={{ wordBreak: 'break-all' }}>
                {created.token}
              </Typography.Text>
            }
          />
        )}
      </Card>
      {features.data && !features.data.tokenList && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title="令牌列表将在服务器提供查询接口后显示；下表只列出本次在此页面创建的令牌"
        />
      )}
      <Table
        rowKey="id"
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: '没有令牌' }}
        columns={[
          { title: '用途', dataIndex: 'name' },
          {
            title: '创建时间',
            dataIndex: 'createdAt',
            width: 160,
            render: (t?: string) => formatDateTime(t),
          },
          {
            title: '最近使用',
            dataIndex: 'lastUsedAt',
            width: 160,
            render: (t?: string | null) => formatDateTime(t),
          },
          {
            title: '操作',
            key: 'revoke',
            width: 90,
            render: (_, t) => (
              <Space>
                <Popconfirm
                  title="吊销后使用该令牌的系统将无法访问，确定？"
                  onConfirm={() => revoke.mutate(t.id)}
                >
                  <Button size="small" danger>
                    吊销
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}
