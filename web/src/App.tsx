import { lazy, Suspense, type ReactNode } from 'react';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { ApiError } from './api/client';
import { homeOf, useSession, type Role } from './auth/session';
import { AppLayout } from './layout/AppLayout';
import { RequireRole, RequireSession } from './layout/guards';
import { LoginPage } from './pages/LoginPage';
import { TasksPage } from './pages/TasksPage';
import { TaskPage } from './pages/TaskPage';
import { InboxPage } from './pages/InboxPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { ApprovalsPage } from './pages/desk/ApprovalsPage';
import { OverduePage } from './pages/desk/OverduePage';
import { ExtensionsPage } from './pages/desk/ExtensionsPage';
import { UnitsPage } from './pages/admin/UnitsPage';
import { UsersPage } from './pages/admin/UsersPage';
import { TokensPage } from './pages/admin/TokensPage';
import { EscalationsPage } from './pages/desk/EscalationsPage';
import { LedgerPage } from './pages/desk/LedgerPage';
import { PreferencesPage } from './pages/me/PreferencesPage';
import { CyclePage, CyclesPage } from './pages/desk/CyclesPage';
import { CycleReportsPage } from './pages/CycleReportsPage';

// Pages with heavy dependencies (ECharts) or used by few load on demand.
const OverviewPage = lazy(() => import('./pages/OverviewPage'));
const ImportPage = lazy(() => import('./pages/desk/ImportPage'));
const PolicyPage = lazy(() => import('./pages/desk/PolicyPage'));
const OutboxPage = lazy(() => import('./pages/OutboxPage'));
const CalendarPage = lazy(() =>
  import('./pages/admin/CalendarPage').then((m) => ({ default: m.CalendarPage })),
);

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal will not change by asking again.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
      staleTime: 10_000,
    },
  },
});

function Lazy({ children }: { children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <div style={{ minHeight: 480, display: 'grid', placeItems: 'center' }}>
          <Spin />
        </div>
      }
    >
      {children}
    </Suspense>
  );
}

const only = (roles: Role[], page: ReactNode) => (
  <RequireRole roles={roles}>
    <Lazy>{page}</Lazy>
  </RequireRole>
);

function Home() {
  const session = useSession();
  return <Navigate to={session ? homeOf(session.user.role) : '/login'} replace />;
}

const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    path: '/',
    element: (
      <RequireSession>
        <AppLayout />
      </RequireSession>
    ),
    children: [
      { index: true, element: <Home /> },
      { path: 'tasks', element: <TasksPage /> },
      { path: 'tasks/:id', element: <TaskPage /> },
      { path: 'inbox', element: <InboxPage /> },
      { path: 'desk/approvals', element: only(['supervisor'], <ApprovalsPage />) },
      { path: 'desk/overdue', element: only(['supervisor', 'leader'], <OverduePage />) },
      { path: 'desk/extensions', element: only(['supervisor'], <ExtensionsPage />) },
      {
        path: 'desk/escalations',
        element: only(['supervisor', 'leader'], <EscalationsPage />),
      },
      {
        path: 'desk/ledger',
        element: only(['supervisor', 'admin', 'leader'], <LedgerPage />),
      },
      { path: 'desk/cycles', element: only(['supervisor', 'admin', 'leader'], <CyclesPage />) },
      {
        path: 'desk/cycles/:id',
        element: only(['supervisor', 'admin', 'leader'], <CyclePage />),
      },
      {
        path: 'cycle-reports',
        element: only(['unit_head', 'unit_member'], <CycleReportsPage />),
      },
      { path: 'desk/import', element: only(['supervisor', 'admin'], <ImportPage />) },
      { path: 'desk/policy', element: only(['supervisor'], <PolicyPage />) },
      { path: 'overview', element: only(['leader', 'supervisor', 'admin'], <OverviewPage />) },
      { path: 'admin/users', element: only(['admin'], <UsersPage />) },
      { path: 'admin/units', element: only(['admin', 'supervisor'], <UnitsPage />) },
      { path: 'admin/tokens', element: only(['admin', 'supervisor'], <TokensPage />) },
      { path: 'admin/calendar', element: only(['admin'], <CalendarPage />) },
      { path: 'me/preferences', element: <PreferencesPage /> },
      { path: 'outbox', element: only(['admin', 'supervisor'], <OutboxPage />) },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

export function App() {
  return (
    <ConfigProvider locale={zhCN} theme={{ token: { colorPrimary: '#1d4ed8', borderRadius: 6 } }}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
