import { useState } from 'react';
import { Alert, Select, Space, Table, Typography } from 'antd';
import type { CaseListItem, CaseListView, MatterListItem, MatterListView } from '../../../../src/web/api/contract';
import { EmptyText, StatusTag, THIS_YEAR, useApi } from '../common';

interface Filter {
  status?: string;
  unit?: string;
  year?: string;
}

const TONE: Record<MatterListItem['status'], 'good' | 'bad' | 'warn' | 'info' | 'plain'> = { open: 'warn', exempted: 'good', closed: 'plain', unfounded: 'info' };
const query = (q: Record<string, string | number | undefined>) => new URLSearchParams(Object.entries(q).filter((e) => e[1] !== undefined && e[1] !== '').map(([k, v]) => [k, String(v)])).toString();
const PAGE = 20;

/** 问责事项: the 纪（工）委's register of their territory, filtered, and the 澄清正名 of the same territory. */
export default function Matters() {
  const [filter, setFilter] = useState<Filter>({});
  const [page, setPage] = useState(1);
  const { data, error } = useApi<MatterListView>(`/matters?${query({ ...filter, page, pageSize: PAGE })}`);
  const choose = (name: keyof Filter) => (value: string | undefined) => {
    setPage(1);
    setFilter((f) => ({ ...f, [name]: value }));
  };
  const years = [THIS_YEAR, THIS_YEAR - 1, THIS_YEAR - 2].map((y) => ({ value: String(y), label: `${y}年` }));
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>问责事项</Typography.Title>
      <Typography.Text type="secondary">纪（工）委启动问责时登记的事项（《容错细则》第六条（一）1），干部据此提出容错免责申请；经查举报失实的，可予澄清正名。</Typography.Text>
      <Space wrap>
        <Select aria-label="状态" allowClear placeholder="全部状态" value={filter.status} onChange={choose('status')} style={{ width: 160 }} options={data?.choices.statuses ?? []} />
        <Select aria-label="单位" allowClear placeholder="全部单位" value={filter.unit} onChange={choose('unit')} style={{ width: 180 }} options={data?.choices.units ?? []} />
        <Select aria-label="年度" allowClear placeholder="全部年度" value={filter.year} onChange={choose('year')} style={{ width: 120 }} options={years} />
      </Space>
      {error && <Alert type="error" title={error} showIcon />}
      <Table<MatterListItem>
        locale={{ emptyText: <EmptyText>没有符合条件的问责事项</EmptyText> }}
        scroll={{ x: 'max-content' }}
        rowKey="number"
        size="small"
        loading={!data && !error}
        dataSource={data?.matters}
        pagination={{ current: page, pageSize: PAGE, total: data?.total, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true, showTotal: (t) => `共 ${t} 件` }}
        columns={[
          { title: '编号', dataIndex: 'number' },
          { title: '对象', dataIndex: 'subject' },
          { title: '单位', dataIndex: 'unit' },
          { title: '事项', dataIndex: 'summary', width: 320 },
          { title: '登记日期', dataIndex: 'openedOn' },
          { title: '登记人', render: (_, m) => m.openedBy?.name ?? '—' },
          { title: '状态', render: (_, m) => <StatusTag tone={TONE[m.status]}>{m.statusLabel}</StatusTag> },
          {
            title: '相关案件',
            render: (_, m) => (m.cases.length === 0 ? '—' : m.cases.map((c) => <div key={c.number}><a href={`/m/cases/${encodeURIComponent(c.number)}`}>{c.number}</a> {c.kindTitle}（{c.statusLabel}）</div>)),
          },
        ]}
      />
      <Clearances />
    </Space>
  );
}

/** The 澄清正名 of the territory: the 案件 list's own query, kind clearance. */
function Clearances() {
  const [page, setPage] = useState(1);
  const { data, error } = useApi<CaseListView>(`/cases?${query({ kind: 'clearance', page, pageSize: 10 })}`);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>澄清正名</Typography.Title>
      {error && <Alert type="error" title={error} showIcon />}
      <Table<CaseListItem>
        locale={{ emptyText: <EmptyText>暂无澄清正名案件</EmptyText> }}
        scroll={{ x: 'max-content' }}
        rowKey="number"
        size="small"
        loading={!data && !error}
        dataSource={data?.cases}
        pagination={{ current: page, pageSize: 10, total: data?.total, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true }}
        columns={[
          { title: '编号', render: (_, c) => <a href={`/m/cases/${encodeURIComponent(c.number)}`}>{c.number}</a> },
          { title: '干部', render: (_, c) => c.applicant.name },
          { title: '单位', dataIndex: 'unit' },
          { title: '日期', dataIndex: 'filedOn' },
          { title: '状态', dataIndex: 'statusLabel' },
          { title: '当前环节', render: (_, c) => (c.stages.length === 0 ? '—' : c.stages.map((s) => <div key={s.key}>{s.title}：{s.assignee?.name ?? '待补充名册'}</div>)) },
        ]}
      />
    </Space>
  );
}
