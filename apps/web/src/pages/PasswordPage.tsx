/**
 * 修改密码: every user's own password. When an administrator set a temporary password the app
 * shows only this page until a new one is set (the server refuses everything else meanwhile).
 */
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { api } from '../lib/api';

export default function PasswordPage({ forced, onChanged }: { forced: boolean; onChanged: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  return (
    <Card style={{ maxWidth: 480, margin: '24px auto' }}>
      <Typography.Title level={3}>修改密码</Typography.Title>
      {forced ? <Alert type="warning" showIcon message="管理员为您设置了临时密码，请先设置新密码再继续" style={{ marginBottom: 16 }} /> : null}
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} /> : null}
      {done ? <Alert type="success" showIcon message="密码已修改" style={{ marginBottom: 16 }} /> : null}
      <Form<{ current: string; password: string; again: string }>
        layout="vertical"
        onFinish={(v) => {
          setError(null);
          api.post('/api/auth/password', { body: { current: v.current, password: v.password } }).then(
            () => {
              setDone(true);
              onChanged();
            },
            (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
          );
        }}
      >
        <Form.Item name="current" label={forced ? '临时密码' : '当前密码'} rules={[{ required: true, message: '请填写当前密码' }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="password" label="新密码" rules={[{ required: true, min: 8, message: '新密码至少 8 位' }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="again"
          label="再输入一次新密码"
          dependencies={['password']}
          rules={[{ required: true, message: '请再输入一次' }, ({ getFieldValue }) => ({ validator: (_r, v) => (v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error('两次输入的新密码不一致'))) })]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          设置新密码
        </Button>
      </Form>
    </Card>
  );
}
