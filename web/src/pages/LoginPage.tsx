import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, MailOutlined } from '@ant-design/icons';
import { api, ApiError, unwrapAs } from '../api/client';
import type { LoginResult } from '../api/views';
import { homeOf, lastEndReason, startSession, useSession } from '../auth/session';

export function LoginPage() {
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const from = (location.state as { from?: string } | null)?.from;
  if (session) return <Navigate to={from ?? homeOf(session.user.role)} replace />;
  const ended = lastEndReason();

  async function submit(values: { email: string; password: string }) {
    setBusy(true);
    setError(null);
    try {
      const result = unwrapAs<LoginResult>(await api.POST('/api/v1/auth/login', { body: values }));
      startSession({ token: result.accessToken, user: result.user });
      void navigate(from && from !== '/login' ? from : homeOf(result.user.role), { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '无法连接服务器，请稍后再试');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'grid',
        placeItems: 'center',
        padding: 16,
        background: 'linear-gradient(160deg, #0f2a5f 0%, #1d4ed8 100%)',
      }}
    >
      <Card style={{ width: '100%', maxWidth: 400 }}>
        <Typography.Title level={3} style={{ textAlign: 'center', marginTop: 0 }}>
          督办平台
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          工作要点督办 · 请使用单位账号登录
        </Typography.Paragraph>
        <div style={{ minHeight: 56 }}>
          {error ? (
            <Alert type="error" showIcon title={error} role="alert" />
          ) : ended === 'expired' ? (
            <Alert type="warning" showIcon title="登录已失效，请重新登录" />
          ) : ended === 'signed-out' ? (
            <Alert type="success" showIcon title="您已退出登录" />
          ) : null}
        </div>
        <Form
          layout="vertical"
          onFinish={(v: { email: string; password: string }) => void submit(v)}
          requiredMark={false}
        >
          <Form.Item label="邮箱" name="email" rules={[{ required: true, message: '请输入邮箱' }]}>
            <Input prefix={<MailOutlined />} autoComplete="username" inputMode="email" autoFocus />
          </Form.Item>
          <Form.Item
            label="密码"
            name="password"
            rules={[{ required: true, message: '请输入密码' }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            登录
          </Button>
        </Form>
      </Card>
    </div>
  );
}
