/**
 * 账户与园区 (administrator): the accounts with their state (units and parks by name); create an
 * account (people/NewAccountCard); the division tree's units created and renamed
 * (people/OrgUnitsCard); reset a
 * password (the user sets a new one at the next sign-in); disable / enable; import accounts or
 * parks from an xlsx — a refused file lists each row, column and reason, nothing is imported.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Input, Popconfirm, Space, Table, Tag, Typography, Upload } from 'antd';
import { api, ApiFailure, detailsOf, fileBase64, type Job, type ProblemDetails, type User } from '../lib/api';
import { downloadFile } from '../lib/download';
import { roleName } from '../lib/labels';
import { forgetOrgUnits, orgUnits, parks, type OrgUnit, type Park } from '../lib/orgs';
import NewAccountCard from './people/NewAccountCard';
import { LONG_WORK_ROWS } from '@yuanping/core/browser';
import { DataTable } from '../lists/DataTable';
import { JobCard, useJobFollow } from '../lists/JobProgress';
import OrgUnitsCard from './people/OrgUnitsCard';

/** a refused row of an imported file: the details of IMPORT_INVALID */
type ImportProblem = ProblemDetails<'IMPORT_INVALID'>[number];
/** An import over LONG_WORK_ROWS rows is answered with its job (202). */
function isJob(x: unknown): x is Job {
  return typeof x === 'object' && x !== null && 'kind' in x && 'done' in x && 'status' in x;
}

/** The result of an import run as a job (GET /api/jobs/:id/result). */
interface ImportReport {
  ok: boolean;
  count: number;
  message?: string;
  problems: ImportProblem[];
}

export default function PeoplePage() {
  const [users, setUsers] = useState<User[]>([]);
  const [message, setMessage] = useState<{ type: 'success' | 'error'; text: string } | null>(null);
  const [problems, setProblems] = useState<ImportProblem[] | null>(null);
  // the units and parks the account form offers are read again after a unit or park is created
  const [version, setVersion] = useState(0);
  const [units, setUnits] = useState<Map<string, OrgUnit>>(new Map());
  const [parkNames, setParkNames] = useState<Map<string, Park>>(new Map());
  const load = useCallback(() => {
    void api.get('/api/users').then(setUsers);
    void orgUnits().then(setUnits);
    void parks().then(setParkNames);
  }, []);
  useEffect(load, [load, version]);

  const fail = (e: unknown) => setMessage({ type: 'error', text: e instanceof Error ? e.message : String(e) });
  async function act(text: string, fn: () => Promise<unknown>) {
    setMessage(null);
    try {
      await fn();
      setMessage({ type: 'success', text });
      setVersion((x) => x + 1);
    } catch (e) {
      fail(e);
    }
  }
  // over LONG_WORK_ROWS rows the server checks and imports as a job: its progress, 取消, then its result (the problems, or how many were created)
  const [importKind, setImportKind] = useState<'users' | 'parks'>('users');
  const importJob = useJobFollow({
    what: '导入',
    onEnd: (j) => {
      if (j.status !== 'succeeded') return;
      // the result is JSON (an import's report): its shape is the server's import answer
      void api
        .get('/api/jobs/{id}/result', { params: { id: j.id } })
        .then((x) => {
          const r = x as ImportReport;
          if (r.ok) {
            setMessage({ type: 'success', text: `已导入 ${r.count} 个${importKind === 'users' ? '账户' : '园区'}` });
            setVersion((x) => x + 1);
          } else {
            setMessage({ type: 'error', text: r.message ?? '导入的文件有错误，没有导入任何一行' });
            setProblems(r.problems);
          }
        })
        .catch(fail);
    },
  });
  async function importFile(kind: 'users' | 'parks', file: File) {
    setProblems(null);
    setMessage(null);
    try {
      const r = await api.post(kind === 'users' ? '/api/users/import' : '/api/parks/import', { body: { workbook: await fileBase64(file) } });
      if (isJob(r)) {
        setImportKind(kind);
        importJob.follow(r);
        return;
      }
      setMessage({ type: 'success', text: `已导入 ${r.count} 个${kind === 'users' ? '账户' : '园区'}` });
      setVersion((x) => x + 1);
    } catch (e) {
      if (e instanceof ApiFailure && e.code === 'IMPORT_INVALID') {
        setMessage({ type: 'error', text: e.message });
        setProblems(detailsOf(e, 'IMPORT_INVALID') ?? []);
      } else fail(e);
    }
  }
  const importButton = (kind: 'users' | 'parks', label: string) => (
    <Upload
      accept=".xlsx"
      showUploadList={false}
      beforeUpload={(f) => {
        void importFile(kind, f);
        return false;
      }}
    >
      <Button>{label}</Button>
    </Upload>
  );

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3}>账户与园区</Typography.Title>
      {message ? <Alert type={message.type} showIcon message={message.text} closable onClose={() => setMessage(null)} /> : null}
      <Card title="批量导入（xlsx）">
        <Space wrap>
          {importButton('users', '导入账户')}
          <Button type="link" onClick={() => void downloadFile('/api/users/import-template', '账户导入模板.xlsx').catch(fail)}>
            账户模板
          </Button>
          {importButton('parks', '导入园区')}
          <Button type="link" onClick={() => void downloadFile('/api/parks/import-template', '园区导入模板.xlsx').catch(fail)}>
            园区模板
          </Button>
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          逐行检查（统一社会信用代码按国家标准校验）；有一处错误，整个文件都不导入。导入的账户首次登录须修改密码。超过 {LONG_WORK_ROWS.toLocaleString('zh-CN')} 行的文件在服务器上以任务方式检查与导入，显示进度，可以取消。
        </Typography.Paragraph>
        {importJob.job ? (
          <JobCard job={importJob.job} what="导入" cancelling={importJob.cancelling} onCancel={() => void importJob.cancel()} onClose={() => importJob.setJob(null)} testId="import-job" />
        ) : null}
        {problems ? (
          <Table<ImportProblem>
            rowKey={(p, i) => `${i}-${p.row}-${p.column}`}
            pagination={false}
            dataSource={problems}
            columns={[
              { title: '行', dataIndex: 'row', width: 70 },
              { title: '列', dataIndex: 'column', width: 200 },
              { title: '原因', dataIndex: 'message' },
            ]}
          />
        ) : null}
      </Card>
      <NewAccountCard act={act} version={version} />
      <OrgUnitsCard
        onChanged={() => {
          forgetOrgUnits();
          setVersion((x) => x + 1);
        }}
      />
      <Card title={`账户（${users.length}）`}>
        <DataTable<User>
          id="people-users"
          testId="users-table"
          rows={users}
          rowKey={(u) => u.id}
          exportName="账户"
          columns={[
            { key: 'username', title: '用户名', value: (u) => u.username, width: 180 },
            { key: 'name', title: '姓名', value: (u) => u.displayName, width: 140 },
            { key: 'role', title: '角色', value: (u) => roleName(u.role), filter: true, width: 130 },
            { key: 'unit', title: '单位', value: (u) => (u.parkId ? (parkNames.get(u.parkId)?.name ?? '') : u.orgCode ? (units.get(u.orgCode)?.name ?? u.orgCode) : ''), filter: true, width: 220 },
            {
              key: 'state',
              title: '状态',
              value: (u) => (u.disabled ? '已停用' : u.mustChangePassword ? '待改密码' : '正常'),
              render: (u) => (u.disabled ? <Tag color="red">已停用</Tag> : u.mustChangePassword ? <Tag color="gold">待改密码</Tag> : <Tag color="green">正常</Tag>),
              filter: true,
              width: 110,
            },
            {
              key: 'op',
              title: '操作',
              value: () => null,
              sortable: false,
              noExport: true,
              width: 200,
              render: (u) => (
                <Space>
                  <Popconfirm
                    title={`为 ${u.username} 设置临时密码？`}
                    description={<Input.Password id={`reset-${u.id}`} placeholder="临时密码（至少 8 位）" autoComplete="new-password" />}
                    okText="重置"
                    cancelText="取消"
                    onConfirm={() => {
                      const el = document.getElementById(`reset-${u.id}`) as HTMLInputElement | null;
                      return act(`已重置 ${u.username} 的密码，该用户下次登录须设置新密码`, () => api.post('/api/users/{id}/reset-password', { params: { id: u.id }, body: { password: el?.value ?? '' } }));
                    }}
                  >
                    <Button size="small">重置密码</Button>
                  </Popconfirm>
                  {u.disabled ? (
                    <Button size="small" onClick={() => void act(`已启用 ${u.username}`, () => api.post('/api/users/{id}/enable', { params: { id: u.id } }))}>
                      启用
                    </Button>
                  ) : (
                    <Popconfirm title={`停用 ${u.username}？该用户将不能登录`} okText="停用" cancelText="取消" onConfirm={() => act(`已停用 ${u.username}`, () => api.post('/api/users/{id}/disable', { params: { id: u.id } }))}>
                      <Button size="small" danger>
                        停用
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
