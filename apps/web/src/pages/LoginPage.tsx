import { useEffect, useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { api, ApiFailure, setCsrf, type Answer, type Me } from '../lib/api';
import { navigate } from '../lib/router';
import { homeOf } from '../lib/session';
import { roleName } from '../lib/labels';

/** `GET /api/demo`: in demo mode, the demo accounts a newcomer may sign in with. */
type DemoInfo = Answer<'/api/demo', 'get'>;

/** What each role sees after signing in (shown beside the demo accounts). */
const ROLE_SEES: Record<string, string> = {
  applicant: '填写本园区的申报表，边填边看即时评价（如距下一星级还差什么），提交后查看审核进度',
  county: '审核本县（市）辖区内园区的申报：逐条核对、退回修改或审核通过',
  city: '审核本市各县报来的申报，在名额内推荐，查看汇总表',
  province: '评定各市推荐的申报，查看全省汇总与分档结果',
  admin: '检查并发布通知包（表单、规则、名额、时间窗口），管理账户，查看审计日志',
};

export function LoginPage({ onLogin }: { onLogin: (m: Me) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [demo, setDemo] = useState<DemoInfo | null>(null);
  const [form] = Form.useForm<{ username: string; password: string }>();
  useEffect(() => {
    api.get('/api/demo').then(setDemo, () => setDemo(null));
  }, []);
  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post('/api/auth/login', { body: v });
      setCsrf(r.csrfToken);
      const me = await api.get('/api/auth/me');
      onLogin(me);
      if (location.pathname === '/' || location.pathname === '/login') navigate(homeOf(me.user.role), true);
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : '登录失败');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 24, justifyContent: 'center', alignItems: 'flex-start', paddingTop: 120, paddingInline: 16 }}>
      <Card title="园评 · 小微企业园申报与评价" style={{ width: 400 }}>
        <Typography.Paragraph type="secondary">请使用本单位账户登录。</Typography.Paragraph>
        {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} role="alert" /> : null}
        <Form form={form} layout="vertical" onFinish={(v: { username: string; password: string }) => void submit(v)} requiredMark={false}>
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
      {demo?.demo && demo.accounts?.length ? (
        <Card title="演示账户" style={{ width: 400, maxWidth: '100%' }} aria-label="演示账户">
          <Typography.Paragraph type="secondary">
            这是演示服务器。以下账户的密码都是 <Typography.Text code>{demo.password}</Typography.Text>，点选一个账户即可填入。
          </Typography.Paragraph>
          {/* a plain list: antd's List brings its pagination and select along (≈30 KB on the first visit) */}
          <ul className="yp-demo-accounts">
            {demo.accounts.map((a) => (
              <li key={a.username}>
                <Button type="link" style={{ padding: 0 }} onClick={() => form.setFieldsValue({ username: a.username, password: demo.password ?? '' })}>
                  {a.username}
                </Button>
                <Typography.Text type="secondary">{`${roleName(a.role)}${a.orgName ? ` · ${a.orgName}` : ''}：${ROLE_SEES[a.role] ?? ''}`}</Typography.Text>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </div>
  );
}
