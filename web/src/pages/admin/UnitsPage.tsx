import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Input, Space, Table, Typography } from 'antd';
import { api, ApiError, unwrapAs } from '../../api/client';
import { useUnits } from '../../api/queries';
import type { UnitView } from '../../api/views';
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

export function UnitsPage() {
  const units = useUnits();
  if (units.error) return <ErrorResult error={units.error} />;
  return (
    <>
      <PageHeader title="责任单位" sub="单位没有账号时，提醒和通知发往这里的联系邮箱" />
      <Table
        rowKey="id"
        loading={!units.data}
        dataSource={units.data ?? []}
        pagination={false}
        style={{ minHeight: 400 }}
        columns={[
          {
            title: '单位',
            dataIndex: 'name',
            width: 200,
            render: (n: string) => <Typography.Text strong>{n}</Typography.Text>,
          },
          { title: '联系邮箱', key: 'email', render: (_, u) => <EmailCell unit={u} /> },
        ]}
      />
    </>
  );
}
