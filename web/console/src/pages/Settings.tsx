import { useState } from 'react';
import { Alert, Button, Card, Form, Input, InputNumber, Popconfirm, Select, Space, Table, Tabs, Typography } from 'antd';
import type { ArrangedDay, CalendarView, DeadlinesView, QuotaRulesView, RosterProblem } from '../../../../src/web/api/contract';
import { api, ApiError } from '../api';
import { EmptyText, StatusTag, THIS_YEAR, useApi, YearSelect } from '../common';
import IntegratedMatters from './IntegratedMatters';

const SOURCE_WORDS: Record<CalendarView['source'], string> = { loaded: '本系统载入', package: 'chinese-days 软件包', weekdays: '无安排（按周一至周五计算）' };
const PERIODS = [
  { value: 'month', label: '每月' },
  { value: 'quarter', label: '每季度' },
  { value: 'half', label: '每半年' },
  { value: 'year', label: '每年' },
];

/** 设置: the holiday calendar, the talk frequencies and the 八个一体化 list, through the use cases the chat uses; 建议办理期限 read-only. */
export default function Settings() {
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>设置</Typography.Title>
      <Tabs
        items={[
          { key: 'calendar', label: '节假日安排', children: <Calendar /> },
          { key: 'quotas', label: '谈话频次', children: <QuotaRules /> },
          { key: 'deadlines', label: '建议办理期限', children: <Deadlines /> },
          { key: 'integrated', label: '八个一体化事项', children: <IntegratedMatters /> },
        ]}
      />
    </Space>
  );
}

/** SUGGESTED_DAYS_*: the zone's own settings, changed in the server's configuration, shown here as they are. */
function Deadlines() {
  const { data, error } = useApi<DeadlinesView>('/settings/deadlines');
  if (error) return <Alert type="error" title={error} showIcon />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Alert type="info" showIcon title="建议办理期限（本区设置）" description="以下天数由本开发区设定，不是文件规定的时限；自待办生成之日起按自然日计算。如需调整，请由系统管理员修改服务器配置（SUGGESTED_DAYS_*）后重启。" />
      <Table
        size="small"
        rowKey="key"
        loading={!data}
        pagination={false}
        dataSource={data?.settings}
        columns={[
          { title: '待办事项', dataIndex: 'label' },
          { title: '建议办理期限（天）', dataIndex: 'days', align: 'right' },
          { title: '配置项', dataIndex: 'env', render: (env: string) => <Typography.Text code>{env}</Typography.Text> },
        ]}
      />
    </Space>
  );
}

function ProblemList({ problems }: { problems: RosterProblem[] }) {
  return <ul style={{ margin: 0 }}>{problems.map((p) => <li key={`${p.row}${p.reason}`}>{p.row}：{p.reason}</li>)}</ul>;
}

function Calendar() {
  const [year, setYear] = useState(THIS_YEAR);
  const { data, reload } = useApi<CalendarView>(`/settings/calendar/${year}`);
  const [notice, setNotice] = useState('');
  const [preview, setPreview] = useState<{ days: ArrangedDay[]; problems: RosterProblem[] }>();
  const [result, setResult] = useState<{ type: 'success' | 'error'; text: string; problems?: RosterProblem[] }>();
  const check = async () => {
    setResult(undefined);
    try {
      setPreview(await api(`/settings/calendar/${year}/preview`, { method: 'POST', body: JSON.stringify({ notice }) }));
    } catch (e) {
      if (e instanceof ApiError && Array.isArray(e.body.problems)) setPreview({ days: (e.body.days as ArrangedDay[]) ?? [], problems: e.body.problems as RosterProblem[] });
      else setResult({ type: 'error', text: (e as Error).message });
    }
  };
  const load = async () => {
    try {
      const answer = await api<{ text: string }>(`/settings/calendar/${year}`, { method: 'PUT', body: JSON.stringify({ notice }) });
      setResult({ type: 'success', text: answer.text });
      setPreview(undefined);
      setNotice('');
      reload();
    } catch (e) {
      setResult({ type: 'error', text: (e as Error).message, problems: e instanceof ApiError ? (e.body.problems as RosterProblem[]) : undefined });
    }
  };
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space>
        <YearSelect value={year} onChange={(y) => { setYear(y); setPreview(undefined); setResult(undefined); }} />
        {data && <StatusTag tone={data.source === 'weekdays' ? 'bad' : 'info'}>来源：{SOURCE_WORDS[data.source]}</StatusTag>}
      </Space>
      <Card title={`${year}年放假和调休上班日`}>
        <Table<ArrangedDay>
          size="small"
          rowKey="date"
          dataSource={data?.days}
          loading={!data}
          pagination={{ pageSize: 15, hideOnSinglePage: true }}
          locale={{ emptyText: <EmptyText>本年度尚无节假日安排，提醒和催办按周一至周五计算。</EmptyText> }}
          columns={[
            { title: '日期', dataIndex: 'date' },
            { title: '节日', dataIndex: 'name' },
            { title: '类型', render: (_, d) => (d.kind === 'holiday' ? <StatusTag tone="good">放假</StatusTag> : <StatusTag tone="warn">调休上班</StatusTag>) },
          ]}
        />
      </Card>
      <Card title="载入国务院办公厅通知">
        <Form layout="vertical">
          <Form.Item label="按通知原文逐条粘贴（每个节日一行）" htmlFor="notice">
            <Input.TextArea
              id="notice"
              rows={6}
              value={notice}
              onChange={(e) => setNotice(e.target.value)}
              placeholder="二、春节：2月5日（周五）至13日（周六）放假调休，共9天。1月31日（周日）、2月20日（周六）上班。"
            />
          </Form.Item>
          <Space>
            <Button disabled={!notice.trim()} onClick={() => void check()}>预览</Button>
            <Button type="primary" disabled={!preview || preview.problems.length > 0} onClick={() => void load()}>确认载入 {year} 年安排</Button>
          </Space>
        </Form>
        {preview && preview.problems.length > 0 && <Alert style={{ marginTop: 16 }} type="error" showIcon title="通知中有问题，未载入" description={<ProblemList problems={preview.problems} />} />}
        {preview && preview.problems.length === 0 && (
          <Alert style={{ marginTop: 16 }} type="info" showIcon title={`将载入：放假 ${preview.days.filter((d) => d.kind === 'holiday').length} 天，调休上班 ${preview.days.filter((d) => d.kind === 'workday').length} 天，代替该年原有安排。`}
            description={preview.days.map((d) => `${d.date} ${d.name}${d.kind === 'holiday' ? '放假' : '上班'}`).join('；')}
          />
        )}
        {result && <Alert style={{ marginTop: 16 }} type={result.type} showIcon title={result.text} description={result.problems && <ProblemList problems={result.problems} />} />}
      </Card>
    </Space>
  );
}

function QuotaRules() {
  const { data, reload } = useApi<QuotaRulesView>('/settings/quota-rules');
  const [result, setResult] = useState<{ type: 'success' | 'error'; text: string }>();
  const [form] = Form.useForm<{ unit: string; period: string; times: number }>();
  const save = async (values: { unit: string; period: string; times: number }) => {
    try {
      await api(`/settings/quota-rules/${encodeURIComponent(values.unit)}`, { method: 'PUT', body: JSON.stringify({ period: values.period, times: values.times }) });
      setResult({ type: 'success', text: '已保存。' });
      reload();
    } catch (e) {
      const problems = e instanceof ApiError && Array.isArray(e.body.problems) ? (e.body.problems as RosterProblem[]).map((p) => p.reason).join('；') : '';
      setResult({ type: 'error', text: `${(e as Error).message}${problems ? `：${problems}` : ''}` });
    }
  };
  const remove = async (unit: string) => {
    await api(`/settings/quota-rules/${encodeURIComponent(unit)}`, { method: 'DELETE' });
    setResult({ type: 'success', text: '已取消该单位的规定，恢复为每年至少 1 次。' });
    reload();
  };
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>《激励办法》第十一条（四）规定每年至少谈心谈话1次。单位可以另行规定更高的频次，适用于该单位及其下属单位（下级单位自己的规定优先）。</Typography.Paragraph>
      <Table
        size="small"
        rowKey="unitCode"
        loading={!data}
        dataSource={data?.rules}
        pagination={false}
        locale={{ emptyText: <EmptyText>没有单位另行规定，全部按每年至少 1 次。</EmptyText> }}
        columns={[
          { title: '单位', render: (_, r) => `${r.unitName}（${r.unitCode}）` },
          { title: '频次', dataIndex: 'words' },
          { title: '', render: (_, r) => <Popconfirm title="恢复为每年至少 1 次？" onConfirm={() => void remove(r.unitCode)}><Button size="small" danger>取消规定</Button></Popconfirm> },
        ]}
      />
      <Card title="设置单位的谈话频次">
        <Form form={form} layout="inline" onFinish={(v) => void save(v)} initialValues={{ period: 'quarter', times: 1 }}>
          <Form.Item name="unit" label="单位" rules={[{ required: true, message: '请选择单位' }]}>
            <Select showSearch optionFilterProp="label" style={{ width: 240 }} options={(data?.units ?? []).map((u) => ({ value: u.code, label: `${u.name}（${u.code}）` }))} />
          </Form.Item>
          <Form.Item name="period" label="周期"><Select style={{ width: 110 }} options={PERIODS} /></Form.Item>
          <Form.Item name="times" label="至少次数"><InputNumber min={1} max={12} /></Form.Item>
          <Form.Item><Button type="primary" htmlType="submit">保存</Button></Form.Item>
        </Form>
        {result && <Alert style={{ marginTop: 16 }} type={result.type} showIcon title={result.text} />}
      </Card>
    </Space>
  );
}
