/**
 * 单位: the division tree (province → cities → counties) as the administrator keeps it: a new
 * city or county created under its parent (picked from the tree; its 6-digit division code is
 * proposed — the parent's next free code — and corrected only when the official one differs), and
 * any unit renamed in place. Both recorded in the audit log.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Alert, Button, Card, Form, Input, Select, Space, Tree, Typography } from 'antd';
import { api, ApiFailure, request } from '../../lib/api';
import { forgetOrgUnits, nextUnitCode, orgUnits, type OrgUnit } from '../../lib/orgs';

const LEVEL: Record<string, string> = { province: '省', city: '设区市', county: '县级单位' };

interface Node {
  key: string;
  title: ReactNode;
  children: Node[];
}

export default function OrgUnitsCard({ onChanged }: { onChanged: () => void }) {
  const [units, setUnits] = useState<OrgUnit[]>([]);
  const [note, setNote] = useState<{ type: 'success' | 'error'; text: string } | null>(null);
  const [form] = Form.useForm<{ parentCode: string; name: string; code: string }>();
  // the province open at first; a new unit's parent opened so it shows
  const [open, setOpen] = useState<string[] | null>(null);
  const load = useCallback(() => {
    forgetOrgUnits();
    void orgUnits().then((m) => setUnits([...m.values()]));
  }, []);
  useEffect(load, [load]);

  const say = (e: unknown) => setNote({ type: 'error', text: e instanceof ApiFailure ? e.message : String(e) });
  const rename = async (u: OrgUnit, name: string) => {
    if (!name.trim() || name.trim() === u.name) return;
    try {
      await request('put', '/api/org-units/{code}', { params: { code: u.code }, body: { name: name.trim() } });
      setNote({ type: 'success', text: `已将“${u.name}”改名为“${name.trim()}”` });
      load();
      onChanged();
    } catch (e) {
      say(e);
    }
  };
  const kids = (code: string | null): Node[] =>
    units
      .filter((u) => u.parentCode === code)
      .map((u) => ({
        key: u.code,
        title: (
          <Space size={4} data-org={u.code}>
            <Typography.Text editable={{ tooltip: `给“${u.name}”改名`, onChange: (t) => void rename(u, t), text: u.name }}>{u.name}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {LEVEL[u.level]} {u.code}
            </Typography.Text>
          </Space>
        ),
        children: kids(u.code),
      }));
  const parents = units.filter((u) => u.level !== 'county').map((u) => ({ value: u.code, label: `${u.name}（在其下新建${u.level === 'province' ? '设区市' : '县市区'}）` }));

  return (
    <Card title={`单位（${units.length}）`} data-testid="org-units">
      <Space direction="vertical" style={{ width: '100%' }}>
        {note ? <Alert type={note.type} showIcon message={note.text} closable onClose={() => setNote(null)} /> : null}
        <Form
          form={form}
          layout="inline"
          onValuesChange={(changed: { parentCode?: string }) => {
            const parent = changed.parentCode ? units.find((u) => u.code === changed.parentCode) : undefined;
            if (parent) form.setFieldValue('code', nextUnitCode(parent, units));
          }}
          onFinish={(v) =>
            void api.post('/api/org-units', { body: v }).then((u) => {
              setNote({ type: 'success', text: `已新建单位“${u.name}”` });
              setOpen((o) => [...(o ?? units.filter((x) => x.level === 'province').map((x) => x.code)), v.parentCode]);
              form.resetFields();
              load();
              onChanged();
            }, say)
          }
        >
          <Form.Item name="parentCode" label="上级单位" rules={[{ required: true, message: '请选择上级单位' }]}>
            <Select showSearch optionFilterProp="label" style={{ width: 260, maxWidth: '100%' }} options={parents} />
          </Form.Item>
          <Form.Item name="name" label="单位名称" rules={[{ required: true, message: '请填写单位名称' }]}>
            <Input style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="code" label="单位代码" tooltip="选上级单位后自动给出下一个未用的代码；与官方区划代码不同时再改" rules={[{ required: true, pattern: /^\d{6}$/, message: '6 位数字' }]}>
            <Input style={{ width: 110 }} inputMode="numeric" />
          </Form.Item>
          <Button htmlType="submit">新建单位</Button>
        </Form>
        <Typography.Text type="secondary">单位名称旁的笔形按钮可改名。</Typography.Text>
        <div style={{ maxHeight: 360, overflow: 'auto' }}>
          {units.length ? <Tree treeData={kids(null)} expandedKeys={open ?? units.filter((u) => u.level === 'province').map((u) => u.code)} onExpand={(keys) => setOpen(keys.map(String))} selectable={false} blockNode /> : null}
        </div>
      </Space>
    </Card>
  );
}
