import { useState } from 'react';
import { Alert, Button, Select, Space, Table, Typography } from 'antd';
import type { ExemptionItem, ExemptionListView } from '../../../../src/web/api/contract';
import { exportUrl } from '../api';
import { Alarm, EmptyText, StatusTag, THIS_YEAR, useApi } from '../common';

interface Filter {
  state?: string;
  year?: string;
}

const PAGE = 20;

/** 容错免责: the granted 第七条 outcomes 组织人事部门 execute, with their own 执行 task, and the export. */
export default function Exemptions() {
  const [filter, setFilter] = useState<Filter>({});
  const [page, setPage] = useState(1);
  const params = new URLSearchParams(Object.entries({ ...filter, page: String(page), pageSize: String(PAGE) }).filter((e): e is [string, string] => Boolean(e[1])));
  const { data, error } = useApi<ExemptionListView>(`/exemptions?${params}`);
  const choose = (name: keyof Filter) => (value: string | undefined) => {
    setPage(1);
    setFilter((f) => ({ ...f, [name]: value }));
  };
  const years = [THIS_YEAR, THIS_YEAR - 1, THIS_YEAR - 2].map((y) => ({ value: String(y), label: `${y}年` }));
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Title level={2} style={{ margin: 0 }}>容错免责执行</Typography.Title>
        <Button href={exportUrl('/exemptions.xlsx', { ...filter })}>导出 Excel（当前筛选）</Button>
      </Space>
      <Typography.Text type="secondary">
        予以容错免责的认定及其《容错细则》第七条处理，由组织人事部门按规定执行（第六条（一）5）；对给予容错的干部，考核考察要客观评价，选拔任用要公正合理（第十一条）。
      </Typography.Text>
      <Space wrap>
        <Select aria-label="状态" allowClear placeholder="全部状态" value={filter.state} onChange={choose('state')} style={{ width: 140 }} options={[{ value: 'valid', label: '有效' }, { value: 'revoked', label: '已撤销' }]} />
        <Select aria-label="年度" allowClear placeholder="全部年度" value={filter.year} onChange={choose('year')} style={{ width: 120 }} options={years} />
      </Space>
      {error && <Alert type="error" title={error} showIcon />}
      <Table<ExemptionItem>
        locale={{ emptyText: <EmptyText>没有符合条件的容错免责</EmptyText> }}
        scroll={{ x: 'max-content' }}
        rowKey="number"
        size="small"
        loading={!data && !error}
        dataSource={data?.exemptions}
        pagination={{ current: page, pageSize: PAGE, total: data?.total, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true, showTotal: (t) => `共 ${t} 件` }}
        columns={[
          { title: '编号', render: (_, e) => <a href={`/m/cases/${encodeURIComponent(e.number)}`}>{e.number}</a> },
          { title: '干部', render: (_, e) => `${e.person.name}（${e.post}）` },
          { title: '单位', dataIndex: 'unit' },
          { title: '批复', render: (_, e) => (e.reply ? <div>{e.reply.title} {e.reply.number}<br />{e.reply.issuedOn}</div> : '—') },
          { title: '第七条处理', width: 360, render: (_, e) => e.outcomes.map((o) => <div key={o}>{o}</div>) },
          { title: '状态', render: (_, e) => (e.revoked ? <StatusTag tone="bad">已依{e.revoked}撤销</StatusTag> : <StatusTag tone="good">有效</StatusTag>) },
          {
            title: '组织人事部门执行（建议办理期限，本区设置）',
            render: (_, e) => (e.execution?.overdue ? <Alarm>{e.execution.label}</Alarm> : (e.execution?.label ?? '—')),
          },
        ]}
      />
    </Space>
  );
}
