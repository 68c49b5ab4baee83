/**
 * 新建账户: a reviewer's unit picked from the division tree by name (a county reviewer's county,
 * a city reviewer's city), an applicant's park picked from the parks, or a new park registered on
 * the spot (name, 统一社会信用代码 checked by the server, county picked) and the account made for it.
 */
import { useEffect, useState } from 'react';
import { Button, Card, Form, Input, Select } from 'antd';
import { api, type Role } from '../../lib/api';
import { roleName } from '../../lib/labels';
import { orgUnits, parks, type OrgUnit, type Park } from '../../lib/orgs';

interface Values {
  username: string;
  displayName: string;
  role: Role;
  orgCode?: string;
  parkId?: string;
  password: string;
  parkName?: string;
  creditCode?: string;
  countyCode?: string;
}

/** “a new park”, in the park list */
const NEW_PARK = '__new__';

export default function NewAccountCard({ act, version }: { act: (text: string, fn: () => Promise<unknown>) => Promise<void>; version: number }) {
  const [form] = Form.useForm<Values>();
  const [units, setUnits] = useState<OrgUnit[]>([]);
  const [parkList, setParkList] = useState<Park[]>([]);
  const role = Form.useWatch('role', form);
  const parkId = Form.useWatch('parkId', form);
  useEffect(() => {
    void orgUnits().then((m) => setUnits([...m.values()]));
    void parks().then((m) => setParkList([...m.values()]));
  }, [version]);
  const nameOf = (code: string) => units.find((u) => u.code === code)?.name ?? '';
  const unitOptions = (level: string) =>
    units.filter((u) => u.level === level).map((u) => ({ value: u.code, label: u.parentCode && level === 'county' ? `${nameOf(u.parentCode)} · ${u.name}` : u.name }));

  const submit = (v: Values) =>
    act(`已创建账户 ${v.username}`, async () => {
      let park = v.parkId;
      if (v.role === 'applicant' && park === NEW_PARK) {
        const p = await api.post('/api/parks', { body: { name: v.parkName ?? '', creditCode: v.creditCode?.trim().toUpperCase() ?? '', countyCode: v.countyCode ?? '' } });
        park = p.id;
      }
      await api.post('/api/users', { body: {
        username: v.username,
        displayName: v.displayName,
        role: v.role,
        password: v.password,
        ...(v.role === 'applicant' ? { parkId: park } : v.orgCode ? { orgCode: v.orgCode } : {}),
      } });
      form.resetFields();
    });

  return (
    <Card title="新建账户">
      <Form form={form} layout="inline" onFinish={(v) => void submit(v)}>
        <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请填写用户名' }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
          <Input />
        </Form.Item>
        <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
          <Select style={{ width: 130 }} options={(['applicant', 'county', 'city', 'province', 'admin'] as const).map((r) => ({ value: r, label: roleName(r) }))} />
        </Form.Item>
        {role === 'county' || role === 'city' || role === 'province' ? (
          <Form.Item name="orgCode" label="单位" rules={[{ required: true, message: '请选择单位' }]}>
            <Select showSearch optionFilterProp="label" style={{ width: 220, maxWidth: '100%' }} options={unitOptions(role)} />
          </Form.Item>
        ) : null}
        {role === 'applicant' ? (
          <Form.Item name="parkId" label="园区" rules={[{ required: true, message: '请选择园区' }]}>
            <Select
              showSearch
              optionFilterProp="label"
              style={{ width: 260, maxWidth: '100%' }}
              options={[{ value: NEW_PARK, label: '登记新园区…' }, ...parkList.map((p) => ({ value: p.id, label: `${p.name}（${nameOf(p.countyCode)}）` }))]}
            />
          </Form.Item>
        ) : null}
        {role === 'applicant' && parkId === NEW_PARK ? (
          <>
            <Form.Item name="parkName" label="园区全称" rules={[{ required: true, message: '请填写园区全称' }]}>
              <Input style={{ width: 200 }} />
            </Form.Item>
            <Form.Item name="creditCode" label="统一社会信用代码" rules={[{ required: true, len: 18, message: '18 位' }]}>
              <Input style={{ width: 200 }} />
            </Form.Item>
            <Form.Item name="countyCode" label="所在县级单位" rules={[{ required: true, message: '请选择县级单位' }]}>
              <Select showSearch optionFilterProp="label" style={{ width: 220, maxWidth: '100%' }} options={unitOptions('county')} />
            </Form.Item>
          </>
        ) : null}
        <Form.Item name="password" label="初始密码" rules={[{ required: true, min: 8, message: '至少 8 位' }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          创建
        </Button>
      </Form>
    </Card>
  );
}
