import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Flex,
  Form,
  Input,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api, ApiError, unwrapAs } from '../../api/client';
import { useUnits } from '../../api/queries';
import type { Page, UnitView, UserView, WebhookTestResult, WebhookView } from '../../api/views';
import { PageHeader } from '../../components/PageHeader';
import { ErrorResult } from '../../layout/guards';

function EmailCell({ unit }: { unit: UnitView }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [value, setValue] = useState(unit.email ?? '');
  const save = useMutation({
    mutationFn: async () =>
      unwrapAs<UnitView>(
        await api.PATCH('/api/v1/units/{id}', {
          params: { path: { id: unit.id } },
          body: { email: value.trim() ? value.trim() : null },
        }),
      ),
    onSuccess: async () => {
      void message.success(`已保存${unit.name}的联系邮箱`);
      await queryClient.invalidateQueries({ queryKey: ['units'] });
    },
    onError: (e) => void message.error(e instanceof ApiError ? e.message : String(e)),
  });
  const changed = value.trim() !== (unit.email ?? '');
  return (
    <Space.Compact style={{ width: '100%', maxWidth: 420 }}>
      <Input
        aria-label={`${unit.name}的联系邮箱`}
        value={value}
        placeholder="未设置"
        inputMode="email"
        onChange={(e) => setValue(e.target.value)}
        onPressEnter={() => changed && save.mutate()}
      />
      <Button
        type={changed ? 'primary' : 'default'}
        disabled={!changed}
        loading={save.isPending}
        onClick={() => save.mutate()}
      >
        保存
      </Button>
    </Space.Compact>
  );
}

function LeaderCell({ unit, leaders }: { unit: UnitView; leaders: UserView[] | undefined }) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: async (leaderId: string | null) =>
      unwrapAs<UnitView>(
        await api.PATCH('/api/v1/units/{id}', {
          params: { path: { id: unit.id } },
          body: { leaderId },
        }),
      ),
    onSuccess: async (_u, leaderId) => {
      const name = leaders?.find((l) => l.id === leaderId)?.name;
      void message.success(
        name ? `已设置${unit.name}的分管局领导：${name}` : `已清除${unit.name}的分管局领导`,
      );
      await queryClient.invalidateQueries({ queryKey: ['units'] });
    },
    onError: (e) => void message.error(e instanceof ApiError ? e.message : String(e)),
  });
  return (
    <Select
      aria-label={`${unit.name}的分管局领导`}
      style={{ width: '100%', maxWidth: 200 }}
      placeholder="未设置"
      allowClear
      loading={!leaders || save.isPending}
      value={save.isPending ? (save.variables ?? undefined) : (unit.leaderId ?? undefined)}
      onChange={(v: string | undefined) => save.mutate(v ?? null)}
      options={(leaders ?? []).map((l) => ({ value: l.id, label: l.name }))}
    />
  );
}

export function UnitsPage() {
  const units = useUnits();
  const users = useQuery({
    queryKey: ['users'],
    queryFn: async () =>
      unwrapAs<Page<UserView>>(
        await api.GET('/api/v1/users', { params: { query: { pageSize: 500 } } }),
      ).items,
  });
  if (units.error) return <ErrorResult error={units.error} />;
  const leaders = users.data?.filter((u) => u.role === 'leader' && u.active);
  const heads = (unitId: string) =>
    (users.data ?? []).filter((u) => u.unitId === unitId && u.role === 'unit_head' && u.active);
  return (
    <>
      <PageHeader
        title="责任单位"
        sub="单位没有账号时，提醒和通知发往联系邮箱；展开一行可设置该单位的群机器人"
      />
      <Table
        rowKey="id"
        loading={!units.data}
        dataSource={units.data ?? []}
        pagination={false}
        scroll={{ x: 920 }}
        style={{ minHeight: 400 }}
        expandable={{
          expandedRowRender: (u) => <WebhooksPanel unit={u} />,
          expandRowByClick: false,
        }}
        columns={[
          {
            title: '单位',
            dataIndex: 'name',
            width: 160,
            render: (n: string) => <Typography.Text strong>{n}</Typography.Text>,
          },
          {
            title: '负责人',
            key: 'head',
            width: 160,
            render: (_, u) => {
              const list = heads(u.id);
              return list.length ? (
                list.map((h) => (
                  <div key={h.id}>
                    {h.name}
                    <Typography.Text type="secondary"> {h.email}</Typography.Text>
                  </div>
                ))
              ) : (
                <Typography.Text type="secondary">{users.data ? '未设置' : ''}</Typography.Text>
              );
            },
          },
          {
            title: '分管局领导',
            key: 'leader',
            width: 200,
            render: (_, u) => <LeaderCell unit={u} leaders={leaders} />,
          },
          { title: '联系邮箱', key: 'email', render: (_, u) => <EmailCell unit={u} /> },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        负责人是该单位角色为“科室负责人”的账号，在“用户与角色”中设置。
      </Typography.Paragraph>
    </>
  );
}

const KINDS = [
  { value: 'wecom', label: '企业微信群机器人' },
  { value: 'dingtalk', label: '钉钉群机器人' },
] as const;

interface NewWebhook {
  kind: 'wecom' | 'dingtalk';
  url: string;
  secret?: string;
}

function WebhooksPanel({ unit }: { unit: UnitView }) {
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const key = ['webhooks', unit.id];
  const [form] = Form.useForm<NewWebhook>();
  const kind = Form.useWatch('kind', form);
  const hooks = useQuery({
    queryKey: key,
    queryFn: async () =>
      unwrapAs<WebhookView[]>(
        await api.GET('/api/v1/units/{id}/webhooks', { params: { path: { id: unit.id } } }),
      ),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const fail = (e: Error) => void message.error(e instanceof ApiError ? e.message : String(e));
  const add = useMutation({
    mutationFn: async (v: NewWebhook) =>
      unwrapAs<WebhookView>(
        await api.POST('/api/v1/units/{id}/webhooks', {
          params: { path: { id: unit.id } },
          body: { kind: v.kind, url: v.url.trim(), secret: v.secret?.trim() || undefined },
        }),
      ),
    onSuccess: async (w) => {
      form.resetFields();
      void message.success(`已为${unit.name}添加${w.kindLabel}`);
      await refresh();
    },
    onError: fail,
  });
  const toggle = useMutation({
    mutationFn: async ({ hook, enabled }: { hook: WebhookView; enabled: boolean }) =>
      unwrapAs<WebhookView>(
        await api.PATCH('/api/v1/webhooks/{id}', {
          params: { path: { id: hook.id } },
          body: { enabled },
        }),
      ),
    onSuccess: refresh,
    onError: fail,
  });
  const remove = useMutation({
    mutationFn: async (hook: WebhookView) =>
      unwrapAs<void>(
        await api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id: hook.id } } }),
      ),
    onSuccess: async () => {
      void message.success('已删除群机器人');
      await refresh();
    },
    onError: fail,
  });
  const test = useMutation({
    mutationFn: async (hook: WebhookView) =>
      unwrapAs<WebhookTestResult>(
        await api.POST('/api/v1/webhooks/{id}/test', { params: { path: { id: hook.id } } }),
      ),
    onSuccess: (r) => {
      if (r.ok) void message.success('测试消息已发送到群里');
      else modal.error({ title: '测试消息发送失败', content: r.error });
    },
    onError: fail,
  });
  if (hooks.error) return <ErrorResult error={hooks.error} />;

  return (
    <Flex vertical gap={12} data-testid={`webhooks-${unit.name}`}>
      <Table<WebhookView>
        rowKey="id"
        size="small"
        loading={!hooks.data}
        dataSource={hooks.data ?? []}
        pagination={false}
        locale={{ emptyText: '未设置群机器人' }}
        columns={[
          { title: '类型', dataIndex: 'kindLabel', width: 150 },
          {
            title: '地址（部分隐藏）',
            dataIndex: 'url',
            render: (url: string, w) => (
              <Typography.Text code data-testid="webhook-url">
                {url}
                {w.hasSecret ? '（已加签）' : ''}
              </Typography.Text>
            ),
          },
          {
            title: '启用',
            key: 'enabled',
            width: 70,
            render: (_, w) => (
              <Switch
                size="small"
                aria-label="启用群机器人"
                checked={w.enabled}
                onChange={(enabled) => toggle.mutate({ hook: w, enabled })}
              />
            ),
          },
          {
            title: '操作',
            key: 'actions',
            width: 170,
            render: (_, w) => (
              <Space size={4}>
                <Button
                  size="small"
                  loading={test.isPending && test.variables?.id === w.id}
                  onClick={() => test.mutate(w)}
                >
                  发送测试
                </Button>
                <Popconfirm title="删除这个群机器人？" onConfirm={() => remove.mutate(w)}>
                  <Button size="small" danger>
                    删除
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Form
        form={form}
        layout="inline"
        initialValues={{ kind: 'wecom' }}
        onFinish={(v) => add.mutate(v)}
        style={{ rowGap: 8 }}
      >
        <Form.Item name="kind">
          <Select aria-label="机器人类型" style={{ width: 170 }} options={[...KINDS]} />
        </Form.Item>
        <Form.Item
          name="url"
          rules={[{ required: true, whitespace: true, message: '请填写 Webhook 地址' }]}
        >
          <Input
            aria-label={`${unit.name}的群机器人地址`}
            placeholder="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"
            style={{ width: 360, maxWidth: '100%' }}
          />
        </Form.Item>
        {kind === 'dingtalk' && (
          <Form.Item name="secret">
            <Input.Password aria-label="加签密钥" placeholder="加签密钥（SEC…，可选）" />
          </Form.Item>
        )}
        <Button htmlType="submit" loading={add.isPending} icon={<PlusOutlined />}>
          添加群机器人
        </Button>
      </Form>
    </Flex>
  );
}
