import { useEffect, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Button, Result } from 'antd';
import { Link } from 'react-router';
import { api, ApiError, unwrapAs } from '../api/client';
import {
  homeOf,
  ROLE_LABELS,
  updateUser,
  useSession,
  type Role,
  type SessionUser,
} from '../auth/session';

/** Pages behind sign-in; the session is checked with the server once per load. */
export function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  const me = useQuery({
    queryKey: ['me', session?.token],
    enabled: !!session,
    queryFn: async () => unwrapAs<SessionUser>(await api.GET('/api/v1/auth/me')),
    staleTime: 60_000,
  });
  useEffect(() => {
    if (me.data && session && JSON.stringify(me.data) !== JSON.stringify(session.user)) {
      updateUser(me.data);
    }
  }, [me.data, session]);
  if (!session)
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

export function RequireRole({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const session = useSession();
  if (!session) return null;
  if (!roles.includes(session.user.role)) {
    return (
      <ErrorResult
        error={
          new ApiError(
            403,
            `此页面供${roles.map((r) => ROLE_LABELS[r]).join('、')}使用，您的角色是${ROLE_LABELS[session.user.role]}`,
          )
        }
      />
    );
  }
  return <>{children}</>;
}

/** What a page shows when loading it failed: 403 says why, 404 says it is not there. */
export function ErrorResult({ error }: { error: unknown }) {
  const session = useSession();
  const home = session ? homeOf(session.user.role) : '/login';
  const back = (
    <Link to={home}>
      <Button type="primary">返回首页</Button>
    </Link>
  );
  if (error instanceof ApiError && error.status === 403) {
    return <Result status="403" title="无权访问" subTitle={error.message} extra={back} />;
  }
  if (error instanceof ApiError && error.status === 404) {
    return <Result status="404" title="未找到" subTitle={error.message} extra={back} />;
  }
  return (
    <Result
      status="error"
      title="加载失败"
      subTitle={error instanceof Error ? error.message : String(error)}
      extra={back}
    />
  );
}
