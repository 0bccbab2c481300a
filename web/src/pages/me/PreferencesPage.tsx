import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Switch, Table, Tag, Tooltip } from 'antd';
import { api, ApiError, unwrapAs } from '../../api/client';
import type { PreferenceView } from '../../api/views';
import { PageHeader } from '../../components/PageHeader';
import { ErrorResult } from '../../layout/guards';
import { CHANNEL_LABELS } from '../../lib/labels';

interface Row {
  kind: string;
  label: string;
  mandatory: boolean;
  email?: PreferenceView;
  inbox?: PreferenceView;
}

function rowsOf(preferences: PreferenceView[]): Row[] {
  const rows = new Map<string, Row>();
  for (const p of preferences) {
    const row = rows.get(p.kind) ?? { kind: p.kind, label: p.label, mandatory: p.mandatory };
    row[p.channel] = p;
    rows.set(p.kind, row);
  }
  return [...rows.values()];
}

const KEY = ['me', 'notification-preferences'];

export function PreferencesPage() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const preferences = useQuery({
    queryKey: KEY,
    queryFn: async () =>
      unwrapAs<PreferenceView[]>(await api.GET('/api/v1/me/notification-preferences')),
  });
  const set = useMutation({
    mutationFn: async (p: Pick<PreferenceView, 'kind' | 'channel' | 'enabled'>) =>
      unwrapAs<PreferenceView[]>(
        await api.PUT('/api/v1/me/notification-preferences', { body: { preferences: [p] } }),
      ),
    onSuccess: (next, p) => {
      queryClient.setQueryData(KEY, next);
      const label = next.find((n) => n.kind === p.kind)?.label ?? p.kind;
      void message.success(
        `${p.enabled ? '已开启' : '已关闭'}${label}的${CHANNEL_LABELS[p.channel]}`,
      );
    },
    onError: (e) => void message.error(e instanceof ApiError ? e.message : String(e)),
  });
  if (preferences.error) return <ErrorResult error={preferences.error} />;

  const cell = (channel: 'email' | 'inbox') => (_: unknown, row: Row) => {
    const p = row[channel];
    if (!p) return null;
    const label = `${row.label}的${CHANNEL_LABELS[channel]}`;
    const toggle = (
      <Switch
        aria-label={label}
        checked={p.enabled}
        disabled={p.mandatory}
        loading={
          set.isPending && set.variables?.kind === p.kind && set.variables.channel === channel
        }
        onChange={(enabled) => set.mutate({ kind: p.kind, channel, enabled })}
      />
    );
    return p.mandatory ? <Tooltip title="红牌督办必须送达，不能关闭">{toggle}</Tooltip> : toggle;
  };

  return (
    <>
      <PageHeader
        title="通知设置"
        sub="选择哪些消息通过邮件、哪些在站内通知中接收；红牌督办不能关闭"
      />
      <Table<Row>
        rowKey="kind"
        loading={!preferences.data}
        dataSource={preferences.data ? rowsOf(preferences.data) : []}
        pagination={false}
        style={{ maxWidth: 640, minHeight: 400 }}
        onRow={(row) => ({ 'data-testid': `preference-${row.kind}` }) as object}
        columns={[
          {
            title: '消息',
            key: 'label',
            render: (_, row) => (
              <>
                {row.label}
                {row.mandatory && (
                  <Tag color="red" style={{ marginInlineStart: 8 }}>
                    不能关闭
                  </Tag>
                )}
              </>
            ),
          },
          { title: CHANNEL_LABELS.email, key: 'email', width: 100, render: cell('email') },
          { title: CHANNEL_LABELS.inbox, key: 'inbox', width: 100, render: cell('inbox') },
        ]}
      />
    </>
  );
}
