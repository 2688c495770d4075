import { useState } from 'react';
import { Alert, Button, Select, Space, Table, Typography } from 'antd';
import type { CaseListItem, CaseListView } from '../../../../src/web/api/contract';
import { exportUrl } from '../api';
import { Alarm, EmptyText, StatusTag, THIS_YEAR, useApi } from '../common';

interface Filter {
  kind?: string;
  status?: string;
  unit?: string;
  year?: string;
  stage?: string;
  waitingOn?: string;
}

const TONE: Record<CaseListItem['status'], 'good' | 'bad' | 'warn' | 'info' | 'plain'> = {
  in_review: 'info', returned: 'warn', blocked: 'warn', withdrawn: 'plain', granted: 'good', rejected: 'bad', revoked: 'bad',
};

const query = (filter: Filter) => new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => Boolean(e[1]))).toString();

/** 案件: the cases this person may see, filtered; each opens its detail page; forms, 批复 and the 台账 download. */
export default function Cases() {
  const [filter, setFilter] = useState<Filter>({});
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const { data, error } = useApi<CaseListView>(`/cases?${query(filter)}&page=${page}&pageSize=${pageSize}`);
  const choose = (name: keyof Filter) => (value: string | undefined) => {
    setPage(1);
    setFilter((f) => ({ ...f, [name]: value }));
  };
  const choices = data?.choices;
  const select = (name: keyof Filter, label: string, options: { value: string; label: string }[] | undefined, width = 180) => (
    <Select aria-label={label} allowClear placeholder={`全部${label}`} value={filter[name]} onChange={choose(name)} style={{ width }} options={options ?? []} />
  );
  const years = [THIS_YEAR, THIS_YEAR - 1, THIS_YEAR - 2].map((y) => ({ value: String(y), label: `${y}年` }));
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Title level={2} style={{ margin: 0 }}>案件</Typography.Title>
        {data?.ledger && <Button href={exportUrl('/cases/ledger.xlsx', { ...filter })}>导出台账（当前筛选）</Button>}
      </Space>
      <Space wrap>
        {select('kind', '类别', choices?.kinds)}
        {select('status', '状态', choices?.statuses, 220)}
        {select('unit', '单位', choices?.units)}
        {select('year', '年度', years, 120)}
        {select('stage', '环节', choices?.stages, 220)}
        {select('waitingOn', '待办人', choices?.waitingOn, 140)}
      </Space>
      {error && <Alert type="error" title={error} showIcon />}
      {data && (
        <Typography.Text type="secondary">
          共 {data.total} 件；等待天数按工作日计（节假日按“设置”中的安排）。超过建议办理期限（本区设置）的待办以红色标出。
        </Typography.Text>
      )}
      <Table<CaseListItem>
        locale={{ emptyText: <EmptyText>没有符合条件的案件</EmptyText> }}
        scroll={{ x: 'max-content' }}
        rowKey="number"
        size="small"
        loading={!data}
        dataSource={data?.cases}
        pagination={{
          current: page, pageSize, total: data?.total, showSizeChanger: { 'aria-label': '每页条数' }, pageSizeOptions: [20, 50, 100], hideOnSinglePage: data !== undefined && data.total <= 20,
          onChange: (p, size) => { setPage(size === pageSize ? p : 1); setPageSize(size); },
        }}
        columns={[
          { title: '编号', render: (_, c) => <a href={`/m/cases/${encodeURIComponent(c.number)}`}>{c.number}</a> },
          { title: '类别', dataIndex: 'kindTitle' },
          { title: '申请人', render: (_, c) => c.applicant.name },
          { title: '单位', dataIndex: 'unit' },
          { title: '申请日期', dataIndex: 'filedOn' },
          { title: '状态', render: (_, c) => <StatusTag tone={TONE[c.status]}>{c.statusLabel}</StatusTag> },
          {
            title: '当前环节（已等待工作日）',
            render: (_, c) =>
              c.stages.length === 0 ? '—' : c.stages.map((s) => (
                <div key={s.key}>{s.title}：{s.assignee?.name ?? '待补充名册'}（{s.waitedWorkingDays} 个工作日）</div>
              )),
          },
          {
            title: '待办（建议办理期限）',
            render: (_, c) =>
              c.tasks.length === 0 ? '—' : c.tasks.map((t) => (
                <div key={t.kind}>
                  {t.assignee?.name ?? '待补充名册'}：{t.title.replace(/（.*）$/, '')}
                  {t.dueOn && (t.overdue ? <Alarm>（已超过 {t.dueOn}）</Alarm> : `（${t.dueOn}）`)}
                </div>
              )),
          },
          {
            title: '下载',
            render: (_, c) => (
              <Space size="small" wrap>
                <a href={`/api/cases/${c.number}/documents/form`} aria-label={`${c.number} 表格 Word`}>表格 Word</a>
                <a href={`/api/cases/${c.number}/documents/form?format=pdf`} aria-label={`${c.number} 表格 PDF`}>PDF</a>
                {c.documents.reply && <a href={`/api/cases/${c.number}/documents/reply`} aria-label={`${c.number} 批复`}>{c.kind === 'filing' ? '回复' : '批复'}</a>}
                {c.documents.submission && <a href={`/api/cases/${c.number}/documents/submission`} aria-label={`${c.number} 呈报表`}>呈报表</a>}
              </Space>
            ),
          },
        ]}
      />
    </Space>
  );
}
