import { useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Badge,
  Button,
  Drawer,
  Grid,
  Layout,
  Menu,
  Space,
  Tag,
  Typography,
  type MenuProps,
} from 'antd';
import {
  AlertOutlined,
  ApiOutlined,
  AuditOutlined,
  BarChartOutlined,
  BellOutlined,
  CalendarOutlined,
  ClockCircleOutlined,
  FileAddOutlined,
  FormOutlined,
  SolutionOutlined,
  LogoutOutlined,
  MailOutlined,
  MenuOutlined,
  ProfileOutlined,
  TeamOutlined,
  UnorderedListOutlined,
  ApartmentOutlined,
  FireOutlined,
  ScheduleOutlined,
  SendOutlined,
  SettingOutlined,
} from '@ant-design/icons';
import { api, unwrapAs } from '../api/client';
import type { Page, InboxItem } from '../api/views';
import { clearSession, ROLE_LABELS, useSession, type Role } from '../auth/session';
import { usePlans } from '../api/queries';

const { Header, Sider, Content } = Layout;

interface NavItem {
  key: string;
  label: string;
  icon: React.ReactNode;
  roles: Role[];
}

const NAV: NavItem[] = [
  {
    key: '/tasks',
    label: '我的任务',
    icon: <ProfileOutlined />,
    roles: ['unit_head', 'unit_member'],
  },
  {
    key: '/cycle-reports',
    label: '督导报送',
    icon: <FormOutlined />,
    roles: ['unit_head', 'unit_member'],
  },
  { key: '/desk/approvals', label: '待审核', icon: <AuditOutlined />, roles: ['supervisor'] },
  {
    key: '/desk/overdue',
    label: '逾期督办',
    icon: <AlertOutlined />,
    roles: ['supervisor', 'leader'],
  },
  {
    key: '/desk/extensions',
    label: '延期申请',
    icon: <ClockCircleOutlined />,
    roles: ['supervisor'],
  },
  {
    key: '/desk/escalations',
    label: '升级督办',
    icon: <FireOutlined />,
    roles: ['supervisor', 'leader'],
  },
  {
    key: '/desk/cycles',
    label: '督导周期',
    icon: <SolutionOutlined />,
    roles: ['supervisor', 'leader', 'admin'],
  },
  {
    key: '/overview',
    label: '总览',
    icon: <BarChartOutlined />,
    roles: ['leader', 'supervisor', 'admin'],
  },
  {
    key: '/tasks?all',
    label: '全部任务',
    icon: <UnorderedListOutlined />,
    roles: ['supervisor', 'leader', 'admin'],
  },
  {
    key: '/desk/import',
    label: '导入工作要点',
    icon: <FileAddOutlined />,
    roles: ['supervisor', 'admin'],
  },
  { key: '/desk/policy', label: '提醒策略', icon: <CalendarOutlined />, roles: ['supervisor'] },
  {
    key: '/desk/ledger',
    label: '发送台账',
    icon: <SendOutlined />,
    roles: ['supervisor', 'admin', 'leader'],
  },
  { key: '/admin/users', label: '用户与角色', icon: <TeamOutlined />, roles: ['admin'] },
  {
    key: '/admin/units',
    label: '责任单位',
    icon: <ApartmentOutlined />,
    roles: ['admin', 'supervisor'],
  },
  {
    key: '/admin/tokens',
    label: 'API 令牌',
    icon: <ApiOutlined />,
    roles: ['admin', 'supervisor'],
  },
  { key: '/admin/calendar', label: '工作日历', icon: <ScheduleOutlined />, roles: ['admin'] },
  {
    key: '/outbox',
    label: '发件箱',
    icon: <MailOutlined />,
    roles: ['admin', 'supervisor'],
  },
  {
    key: '/inbox',
    label: '通知',
    icon: <BellOutlined />,
    roles: ['admin', 'leader', 'supervisor', 'unit_head', 'unit_member'],
  },
  {
    key: '/me/preferences',
    label: '通知设置',
    icon: <SettingOutlined />,
    roles: ['admin', 'leader', 'supervisor', 'unit_head', 'unit_member'],
  },
];

/** The unread count of the caller's inbox, kept fresh while the console is open. */
export function useUnreadCount() {
  return useQuery({
    queryKey: ['inbox', 'unread-count'],
    queryFn: async () =>
      unwrapAs<Page<InboxItem>>(
        await api.GET('/api/v1/notifications', {
          params: { query: { unread: true, pageSize: 1 } },
        }),
      ).total,
    refetchInterval: 30_000,
  });
}

/** Ends the session on the server (the token stops working) and forgets it here. */
export async function signOut(): Promise<void> {
  try {
    await api.POST('/api/v1/auth/logout');
  } catch {
    // Unreachable server: the token is still forgotten here.
  }
  clearSession('signed-out');
}

export function AppLayout() {
  const session = useSession();
  const screens = Grid.useBreakpoint();
  const mobile = !screens.md;
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const unread = useUnreadCount();
  const plans = usePlans();
  const demo = plans.data?.some((p) => p.title.startsWith('【演示】')) ?? false;
  if (!session) return null;
  const { role, name } = session.user;

  const items: MenuProps['items'] = NAV.filter((n) => n.roles.includes(role)).map((n) => ({
    key: n.key,
    icon: n.icon,
    label:
      n.key === '/inbox' ? (
        <Space size={6}>
          通知
          <Badge count={unread.data ?? 0} size="small" />
        </Space>
      ) : (
        n.label
      ),
  }));
  const selected =
    location.pathname === '/tasks' && new URLSearchParams(location.search).has('all')
      ? '/tasks?all'
      : location.pathname;
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={[selected]}
      items={items}
      onClick={({ key }) => {
        setDrawerOpen(false);
        void navigate(key);
      }}
      style={{ borderInlineEnd: 'none' }}
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Header
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: 12,
          padding: mobile ? '0 12px' : '0 24px',
          background: '#0f2a5f',
          position: 'sticky',
          top: 0,
          zIndex: 10,
        }}
      >
        {mobile && (
          <Button
            type="text"
            aria-label="打开菜单"
            icon={<MenuOutlined style={{ color: '#fff' }} />}
            onClick={() => setDrawerOpen(true)}
          />
        )}
        <Typography.Title level={4} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>
          督办平台
        </Typography.Title>
        {demo && (
          <Tag color="orange" style={{ marginInlineEnd: 0 }}>
            演示
          </Tag>
        )}
        <div style={{ flex: 1 }} />
        <Badge count={unread.data ?? 0} size="small" offset={[-4, 4]}>
          <Button
            type="text"
            aria-label={`通知，${unread.data ?? 0} 条未读`}
            icon={<BellOutlined style={{ color: '#fff', fontSize: 18 }} />}
            onClick={() => void navigate('/inbox')}
          />
        </Badge>
        {!mobile && (
          <Space size={8} style={{ color: '#fff' }}>
            <span data-testid="current-user">{name}</span>
            <Tag color="geekblue" style={{ marginInlineEnd: 0 }}>
              {ROLE_LABELS[role]}
            </Tag>
          </Space>
        )}
        <Button
          type="text"
          icon={<LogoutOutlined />}
          style={{ color: '#fff' }}
          aria-label="退出登录"
          onClick={() => {
            void signOut().then(() => {
              queryClient.clear();
              void navigate('/login', { replace: true });
            });
          }}
        >
          {mobile ? null : '退出'}
        </Button>
      </Header>
      <Layout>
        {!mobile && (
          <Sider width={200} theme="light" style={{ borderInlineEnd: '1px solid #f0f0f0' }}>
            {menu}
          </Sider>
        )}
        <Drawer
          open={mobile && drawerOpen}
          onClose={() => setDrawerOpen(false)}
          placement="left"
          size={260}
          title={
            <Space>
              {name}
              <Tag color="geekblue">{ROLE_LABELS[role]}</Tag>
            </Space>
          }
          styles={{ body: { padding: 0 } }}
        >
          {menu}
        </Drawer>
        <Content style={{ padding: mobile ? 12 : 24, minWidth: 0 }}>
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
