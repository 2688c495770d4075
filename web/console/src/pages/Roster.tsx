import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Input, List, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import type { RosterPreview, RosterProblem, RosterView, SyncPreview } from '../../../../src/web/api/contract';
import { api, ApiError, exportUrl } from '../api';
import { EmptyText, useApi } from '../common';
import { useMe } from '../me';

type People = RosterView['people'];

/** 名册: the roster as it is, exported in the import template, imported from Excel or synced from a messenger — each after a preview. */
export default function Roster() {
  const me = useMe();
  const [search, setSearch] = useState('');
  const [unit, setUnit] = useState<string>();
  const [page, setPage] = useState(1);
  const query = new URLSearchParams(Object.entries({ search, unit, page: String(page), pageSize: '25' }).filter((e): e is [string, string] => Boolean(e[1])));
  const { data, error, reload } = useApi<RosterView>(`/roster?${query}`);
  const filterBy = <T,>(set: (v: T) => void) => (v: T) => {
    setPage(1);
    set(v);
  };
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Title level={2} style={{ margin: 0 }}>名册</Typography.Title>
        <Button href={exportUrl('/roster/export.xlsx', {})}>导出名册（导入模板格式）</Button>
      </Space>
      {me.manages && <Import onApplied={reload} />}
      {me.manages && <Sync onApplied={reload} />}
      {error && <Alert type="error" title={error} showIcon />}
      <Card title={`人员（${data?.total ?? 0}）`}>
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search aria-label="查找人员" placeholder="姓名、编号或职务" allowClear onSearch={filterBy(setSearch)} style={{ width: 240 }} />
          <Select aria-label="单位" allowClear placeholder="全部单位" value={unit} onChange={filterBy(setUnit)} style={{ width: 220 }} options={(data?.units ?? []).map((u) => ({ value: u.code, label: `${u.name}（${u.code}）` }))} />
        </Space>
        <Table<People[number]>
          locale={{ emptyText: <EmptyText>暂无数据</EmptyText> }}
        scroll={{ x: 'max-content' }}
        rowKey="code"
          size="small"
          loading={!data}
          dataSource={data?.people}
          pagination={{ current: page, pageSize: 25, total: data?.total, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true, showTotal: (t) => `共 ${t} 人` }}
          columns={[
            { title: '编号', dataIndex: 'code' },
            { title: '姓名', dataIndex: 'name' },
            { title: '单位', dataIndex: 'unit' },
            { title: '职务', dataIndex: 'post' },
            { title: '性质', dataIndex: 'nature' },
            { title: '角色', render: (_, p) => p.roles.map((r) => <Tag key={r}>{r}</Tag>) },
            { title: '企业微信', render: (_, p) => (p.wecom ? '已关联' : '—') },
            { title: '钉钉', render: (_, p) => (p.dingtalk ? '已关联' : '—') },
            { title: '离开日期', render: (_, p) => p.leftOn ?? '' },
          ]}
        />
      </Card>
    </Space>
  );
}

function Problems({ problems }: { problems: RosterProblem[] }) {
  return (
    <Table
      size="small"
      rowKey={(p) => `${p.row}:${p.reason}`}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      dataSource={problems}
      columns={[
        { title: '位置', dataIndex: 'row', width: 180 },
        { title: '问题', dataIndex: 'reason' },
      ]}
    />
  );
}

function Changes({ preview }: { preview: RosterPreview }) {
  const entries = (list: { code: string; name: string; fields?: string[] }[]) => (list.length === 0 ? '无' : list.map((e) => `${e.code} ${e.name}${e.fields ? `（${e.fields.join('、')}）` : ''}`).join('；'));
  const roles = (list: RosterPreview['roles']['added']) => (list.length === 0 ? '无' : list.map((r) => `${r.personName} ${r.role}@${r.unitCode}`).join('；'));
  return (
    <Descriptions bordered size="small" column={1} styles={{ label: { width: 160 } }}>
      <Descriptions.Item label={`新增单位（${preview.units.added.length}）`}>{entries(preview.units.added)}</Descriptions.Item>
      <Descriptions.Item label={`更新单位（${preview.units.updated.length}）`}>{entries(preview.units.updated)}</Descriptions.Item>
      <Descriptions.Item label={`新增人员（${preview.people.added.length}）`}>{entries(preview.people.added)}</Descriptions.Item>
      <Descriptions.Item label={`更新人员（${preview.people.updated.length}）`}>{entries(preview.people.updated)}</Descriptions.Item>
      <Descriptions.Item label={`离开（${preview.people.leaving.length}）`}>{entries(preview.people.leaving)}</Descriptions.Item>
      <Descriptions.Item label={`新增角色（${preview.roles.added.length}）`}>{roles(preview.roles.added)}</Descriptions.Item>
      <Descriptions.Item label={`撤销角色（${preview.roles.removed.length}）`}>{roles(preview.roles.removed)}</Descriptions.Item>
      <Descriptions.Item label="未变">单位 {preview.units.unchanged} 个，人员 {preview.people.unchanged} 人{preview.notInFile > 0 ? `；名册中另有 ${preview.notInFile} 人不在文件中，保持不变` : ''}</Descriptions.Item>
    </Descriptions>
  );
}

function Import({ onApplied }: { onApplied: () => void }) {
  const [preview, setPreview] = useState<RosterPreview>();
  const [problems, setProblems] = useState<{ error: string; problems: RosterProblem[] }>();
  const [done, setDone] = useState<RosterPreview>();
  const [busy, setBusy] = useState(false);
  const upload = async (file: File) => {
    setBusy(true);
    setPreview(undefined);
    setProblems(undefined);
    setDone(undefined);
    try {
      setPreview(await api<RosterPreview>('/roster/import/preview', { method: 'POST', body: await file.arrayBuffer(), headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(file.name) } }));
    } catch (e) {
      if (e instanceof ApiError && Array.isArray(e.body.problems)) setProblems({ error: e.message, problems: e.body.problems as RosterProblem[] });
      else setProblems({ error: (e as Error).message, problems: [] });
    } finally {
      setBusy(false);
    }
  };
  const apply = async () => {
    setBusy(true);
    try {
      setDone(await api<RosterPreview>('/roster/import/apply', { method: 'POST', body: JSON.stringify({ token: preview!.token }) }));
      setPreview(undefined);
      onApplied();
    } catch (e) {
      setProblems({ error: (e as Error).message, problems: e instanceof ApiError && Array.isArray(e.body.problems) ? (e.body.problems as RosterProblem[]) : [] });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="从 Excel 导入">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">文件格式与“导出名册”相同（units、people 两张工作表）。上传后先预览变化，确认后才写入；文件中没有的人员保持不变，离开的人员请填写“离开日期”。</Typography.Text>
        <Upload accept=".xlsx" maxCount={1} showUploadList={false} beforeUpload={(file) => { void upload(file); return false; }}>
          <Button loading={busy}>选择 Excel 文件</Button>
        </Upload>
        {problems && (
          <Alert type="error" showIcon title={problems.error} description={problems.problems.length > 0 ? <Problems problems={problems.problems} /> : undefined} />
        )}
        {preview && (
          <>
            <Typography.Title level={4}>预览：{preview.fileName}</Typography.Title>
            <Changes preview={preview} />
            <Space>
              <Button type="primary" loading={busy} onClick={() => void apply()}>确认导入</Button>
              <Button onClick={() => setPreview(undefined)}>取消</Button>
            </Space>
          </>
        )}
        {done && <Alert type="success" showIcon title={`已导入 ${done.fileName}`} description={<Changes preview={done} />} />}
      </Space>
    </Card>
  );
}

const CHANNELS = { wecom: '企业微信', dingtalk: '钉钉' } as const;

function Sync({ onApplied }: { onApplied: () => void }) {
  const [preview, setPreview] = useState<SyncPreview>();
  const [message, setMessage] = useState<{ type: 'success' | 'error'; text: string }>();
  const run = async (channel: keyof typeof CHANNELS, step: 'preview' | 'apply') => {
    setMessage(undefined);
    try {
      const answer = await api<SyncPreview>(`/roster/sync/${channel}/${step}`, { method: 'POST', body: JSON.stringify(step === 'apply' ? { token: preview?.token } : {}) });
      if (step === 'preview') setPreview(answer);
      else {
        setPreview(undefined);
        setMessage({ type: 'success', text: `已关联 ${answer.report.linked.length} 人。` });
        onApplied();
      }
    } catch (e) {
      setMessage({ type: 'error', text: (e as Error).message });
    }
  };
  const report = preview?.report;
  return (
    <Card title="从企业微信 / 钉钉通讯录同步">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">按姓名和部门把通讯录成员关联到名册中的人员；只关联尚未关联的人，不删除任何内容。</Typography.Text>
        <Space>
          <Button onClick={() => void run('wecom', 'preview')}>预览企业微信同步</Button>
          <Button onClick={() => void run('dingtalk', 'preview')}>预览钉钉同步</Button>
        </Space>
        {message && <Alert type={message.type} showIcon title={message.text} />}
        {preview && report && (
          <>
            <Typography.Title level={4}>预览：{CHANNELS[preview.channel]}</Typography.Title>
            <List size="small" bordered header={`将新关联 ${report.linked.length} 人（原已关联 ${report.alreadyLinked} 人）`} dataSource={report.linked} renderItem={(l) => <List.Item>{l.code} {l.name} → {l.userid}</List.Item>} />
            <List size="small" bordered header={`未能匹配的成员 ${report.unmatched.length} 人`} dataSource={report.unmatched} renderItem={(u) => <List.Item>{u.userid} {u.name}（{u.departments.join('、') || '无部门'}）：{u.reason}</List.Item>} />
            <Typography.Text>名册中仍未关联的 {report.stillUnlinked.length} 人；已关联但通讯录中找不到的 {report.notInDirectory.length} 人（不作改动）。</Typography.Text>
            <Space>
              <Button type="primary" disabled={report.linked.length === 0} onClick={() => void run(preview.channel, 'apply')}>确认关联</Button>
              <Button onClick={() => setPreview(undefined)}>取消</Button>
            </Space>
          </>
        )}
      </Space>
    </Card>
  );
}
