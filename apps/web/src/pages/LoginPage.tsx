import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { api, ApiFailure, setCsrf, type Me } from '../lib/api';
import { navigate } from '../lib/router';
import { homeOf } from '../lib/session';

export function LoginPage({ onLogin }: { onLogin: (m: Me) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<{ csrfToken: string }>('/api/auth/login', v);
      setCsrf(r.csrfToken);
      const me = await api.get<Me>('/api/auth/me');
      onLogin(me);
      if (location.pathname === '/' || location.pathname === '/login') navigate(homeOf(me.user.role), true);
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : '登录失败');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ display: 'flex', justifyContent: 'center', paddingTop: 120 }}>
      <Card title="园评 · 小微企业园申报与评价" style={{ width: 400 }}>
        <Typography.Paragraph type="secondary">请使用本单位账户登录。</Typography.Paragraph>
        {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} role="alert" /> : null}
        <Form layout="vertical" onFinish={(v: { username: string; password: string }) => void submit(v)} requiredMark={false}>
          <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input id="username" autoComplete="username" />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password id="password" autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            登录
          </Button>
        </Form>
      </Card>
    </div>
  );
}
