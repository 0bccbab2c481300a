import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Popconfirm,
  Tag,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api, ApiError, unwrapAs } from '../../api/client';
import { useUnits } from '../../api/queries';
import type { Page, PasswordReset, UserView } from '../../api/views';
import { isUnitRole, ROLE_LABELS, type Role } from '../../auth/session';
import { PageHeader } from '../../components/PageHeader';
import { ErrorResult } from '../../layout/guards';
import { formatDateTime } from '../../lib/time';

function randomPassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(14));
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}

interface NewUser {
  email: string;
  name: string;
  role: Role;
  unitId?: string;
  password: string;
}

export function UsersPage() {
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const units = useUnits();
  const users = useQuery({
    queryKey: ['users'],
    queryFn: async () =>
      unwrapAs<Page<UserView>>(
        await api.GET('/api/v1/users', { params: { query: { pageSize: 500 } } }),
      ).items,
  });
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<UserView | null>(null);
  const [form] = Form.useForm<NewUser>();
  const role = Form.useWatch('role', form);
  const unitName = (id: string | null) => units.data?.find((u) => u.id === id)?.name ?? '—';

  const create = useMutation({
    mutationFn: async (v: NewUser) =>
      unwrapAs<UserView>(
        await api.POST('/api/v1/users', {
          body: { ...v, unitId: isUnitRole(v.role) ? v.unitId : undefined },
        }),
      ),
    onSuccess: async (user, v) => {
      setCreating(false);
      form.resetFields();
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      modal.success({
        title: `已创建账号：${user.name}`,
        content: (
          <div>
            <p>请把登录信息交给本人（密码只显示这一次）：</p>
            <p>
              邮箱：<Typography.Text copyable>{user.email}</Typography.Text>
            </p>
            <p>
              密码：
              <Typography.Text copyable code>
                {v.password}
              </Typography.Text>
            </p>
          </div>
        ),
      });
    },
    onError: (e) => void message.error(e instanceof ApiError ? e.message : String(e)),
  });

  const act = useMutation({
    mutationFn: async ({
      kind,
      user,
    }: {
      kind: 'deactivate' | 'activate' | 'password';
      user: UserView;
    }): Promise<{ kind: typeof kind; user: UserView; password?: string }> => {
      const path = { id: user.id };
      if (kind === 'password') {
        const reset = unwrapAs<PasswordReset>(
          await api.POST('/api/v1/users/{id}/password-reset', { params: { path } }),
        );
        return { kind, user, password: reset.temporaryPassword };
      }
      unwrapAs<UserView>(
        await api.PATCH('/api/v1/users/{id}', {
          params: { path },
          body: { active: kind === 'activate' },
        }),
      );
      return { kind, user };
    },
    onSuccess: async ({ kind, user, password }) => {
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      if (kind === 'password') {
        modal.success({
          title: `已重置 ${user.name} 的密码`,
          content: (
            <div>
              <p>
                临时密码（只显示这一次）：
                <Typography.Text copyable code data-testid="temporary-password">
                  {password}
                </Typography.Text>
              </p>
              <p>本人用它登录后须先设置新密码。</p>
            </div>
          ),
        });
      } else if (kind === 'deactivate') {
        void message.success(`已停用 ${user.name}，其登录和 API 令牌均已失效`);
      } else void message.success(`已启用 ${user.name}`);
    },
    onError: (e) => void message.error(e instanceof Error ? e.message : String(e)),
  });

  if (users.error) return <ErrorResult error={users.error} />;

  return (
    <>
      <PageHeader
        title="用户与角色"
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              form.setFieldsValue({ password: randomPassword() });
              setCreating(true);
            }}
          >
            新建账号
          </Button>
        }
      />
      <Table
        rowKey="id"
        loading={!users.data}
        dataSource={users.data ?? []}
        style={{ minHeight: 400 }}
        scroll={{ x: 860 }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: '姓名', dataIndex: 'name', width: 160 },
          { title: '邮箱', dataIndex: 'email' },
          {
            title: '角色',
            dataIndex: 'role',
            width: 120,
            render: (r: Role) => <Tag>{ROLE_LABELS[r] ?? r}</Tag>,
          },
          {
            title: '单位',
            dataIndex: 'unitId',
            width: 120,
            render: (id: string | null) => unitName(id),
          },
          {
            title: '状态',
            dataIndex: 'active',
            width: 80,
            render: (a: boolean) => (a ? <Tag color="green">启用</Tag> : <Tag>已停用</Tag>),
          },
          {
            title: '创建时间',
            dataIndex: 'createdAt',
            width: 150,
            render: (t: string) => formatDateTime(t),
          },
          {
            title: '操作',
            key: 'actions',
            width: 230,
            render: (_, u) => (
              <Space size={4}>
                <Button
                  size="small"
                  aria-label={`修改${u.name}的角色`}
                  onClick={() => setEditing(u)}
                >
                  改角色
                </Button>
                <Popconfirm
                  title={`为 ${u.name} 生成临时密码？其现有登录将结束。`}
                  onConfirm={() => act.mutate({ kind: 'password', user: u })}
                >
                  <Button size="small" aria-label={`重置${u.name}的密码`}>
                    重置密码
                  </Button>
                </Popconfirm>
                {u.active ? (
                  <Popconfirm
                    title={`停用 ${u.name}？其所有登录和 API 令牌将失效。`}
                    onConfirm={() => act.mutate({ kind: 'deactivate', user: u })}
                  >
                    <Button size="small" danger aria-label={`停用${u.name}`}>
                      停用
                    </Button>
                  </Popconfirm>
                ) : (
                  <Button
                    size="small"
                    aria-label={`启用${u.name}`}
                    onClick={() => act.mutate({ kind: 'activate', user: u })}
                  >
                    启用
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {editing && (
        <RoleModal
          user={editing}
          units={(units.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
          onClose={() => setEditing(null)}
        />
      )}
      <Modal
        title="新建账号"
        open={creating}
        okText="创建"
        confirmLoading={create.isPending}
        onOk={() => form.submit()}
        onCancel={() => setCreating(false)}
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => create.mutate(v)}
          initialValues={{ role: 'unit_member' }}
        >
          <Form.Item
            name="name"
            label="姓名"
            rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="email"
            label="登录邮箱"
            rules={[{ required: true, type: 'email', message: '请填写有效的邮箱' }]}
          >
            <Input inputMode="email" />
          </Form.Item>
          <Form.Item name="role" label="角色" rules={[{ required: true }]}>
            <Select
              options={(Object.keys(ROLE_LABELS) as Role[]).map((r) => ({
                value: r,
                label: ROLE_LABELS[r],
              }))}
            />
          </Form.Item>
          {role && isUnitRole(role) && (
            <Form.Item
              name="unitId"
              label="所属单位"
              rules={[{ required: true, message: '科室负责人和联络员须选择单位' }]}
            >
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={(units.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
              />
            </Form.Item>
          )}
          <Form.Item
            name="password"
            label="初始密码"
            rules={[{ required: true, min: 10, message: '至少 10 位' }]}
            extra="已随机生成，可修改；创建后只显示一次"
          >
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function RoleModal({
  user,
  units,
  onClose,
}: {
  user: UserView;
  units: { value: string; label: string }[];
  onClose: () => void;
}) {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ role: Role; unitId?: string }>();
  const role = Form.useWatch('role', form);
  const save = useMutation({
    mutationFn: async (v: { role: Role; unitId?: string }) =>
      unwrapAs<UserView>(
        await api.PATCH('/api/v1/users/{id}', {
          params: { path: { id: user.id } },
          body: { role: v.role, unitId: isUnitRole(v.role) ? (v.unitId ?? null) : null },
        }),
      ),
    onSuccess: async (saved) => {
      void message.success(`${saved.name}的角色已改为${ROLE_LABELS[saved.role]}，其现有登录已结束`);
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      onClose();
    },
    onError: (e) => void message.error(e instanceof ApiError ? e.message : String(e)),
  });
  return (
    <Modal
      open
      title={`修改 ${user.name} 的角色`}
      okText="保存"
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
    >
      <Form
        name="role-change"
        form={form}
        layout="vertical"
        initialValues={{ role: user.role, unitId: user.unitId ?? undefined }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="role" label="角色" rules={[{ required: true }]}>
          <Select
            options={(Object.keys(ROLE_LABELS) as Role[]).map((r) => ({
              value: r,
              label: ROLE_LABELS[r],
            }))}
          />
        </Form.Item>
        {role && isUnitRole(role) && (
          <Form.Item
            name="unitId"
            label="所属单位"
            rules={[{ required: true, message: '科室负责人和联络员须选择单位' }]}
          >
            <Select showSearch={{ optionFilterProp: 'label' }} options={units} />
          </Form.Item>
        )}
        <Typography.Text type="secondary">改变角色会结束该用户的所有登录。</Typography.Text>
      </Form>
    </Modal>
  );
}
