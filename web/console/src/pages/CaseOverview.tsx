import { Alert, Button, Card, Col, Row, Space, Table, Typography } from 'antd';
import type { CaseFigures } from '../../../../src/web/api/contract';
import { exportUrl } from '../api';
import { Chart, type ChartOption } from '../Chart';
import { Alarm, EmptyText, useApi } from '../common';

const KIND_SERIES = [
  { key: 'tolerance', name: '容错免责申请', color: '#1d39c4' },
  { key: 'filing', name: '改革创新风险备案', color: '#08979c' },
  { key: 'clearance', name: '澄清正名', color: '#d48806' },
] as const;

const bars = (names: string[], series: { name: string; data: number[]; color: string }[], stacked: boolean, horizontal: boolean): ChartOption => ({
  animation: false,
  tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
  legend: { data: series.map((s) => s.name), top: 0 },
  grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
  [horizontal ? 'xAxis' : 'yAxis']: { type: 'value', minInterval: 1 },
  [horizontal ? 'yAxis' : 'xAxis']: { type: 'category', data: names, ...(horizontal ? { inverse: true } : {}) },
  series: series.map((s) => ({ name: s.name, type: 'bar', data: s.data, itemStyle: { color: s.color }, ...(stacked ? { stack: 'all' } : {}) })),
});

/** A chart with its numbers beside it. */
function Figure({ title, chart, table }: { title: string; chart: React.ReactNode; table: React.ReactNode }) {
  return (
    <Card title={title}>
      <Row gutter={24}>
        <Col xs={24} lg={13}>{chart}</Col>
        <Col xs={24} lg={11}>{table}</Col>
      </Row>
    </Card>
  );
}

/** 概览's cases: by status, where they wait and how long, what is past its 建议办理期限, per month, and what went to the city. */
export function CaseOverview({ year }: { year: number }) {
  const { data, error } = useApi<CaseFigures>(`/overview/cases?year=${year}`);
  if (error) return <Alert type="error" title={error} showIcon />;
  if (!data) return null;
  const empty = { emptyText: <EmptyText>暂无数据</EmptyText> };
  const months = data.perMonth.map((m) => `${Number(m.month.slice(5))}月`);
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>案件</Typography.Title>
        <Button href={exportUrl('/overview/cases.xlsx', { year: String(year) })}>导出案件统计 Excel</Button>
      </Space>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {data.year}年受理的案件共 {data.total} 件（您有权查看的范围），截至 {data.asOf}。等待时间按工作日计；建议办理期限为本区设置，见“设置”。
      </Typography.Paragraph>
      <Figure
        title="按状态"
        chart={
          <Chart
            height={240}
            summary={`案件按状态：${data.byStatus.map((s) => `${s.label}${s.count}件`).join('；')}`}
            option={{ animation: false, tooltip: { trigger: 'item' }, legend: { top: 0 }, series: [{ type: 'pie', radius: ['35%', '65%'], top: 24, data: data.byStatus.map((s) => ({ name: s.label, value: s.count })) }] }}
          />
        }
        table={
          <Table size="small" rowKey="status" pagination={false} locale={empty} dataSource={data.byStatus}
            columns={[{ title: '状态', dataIndex: 'label' }, { title: '件数', dataIndex: 'count', align: 'right' }]}
            summary={() => <Table.Summary.Row><Table.Summary.Cell index={0}>合计</Table.Summary.Cell><Table.Summary.Cell index={1} align="right">{data.total}</Table.Summary.Cell></Table.Summary.Row>}
          />
        }
      />
      <Figure
        title="办理中的环节（已等待工作日）"
        chart={
          <Chart
            height={Math.max(200, data.byStage.length * 40 + 60)}
            summary={`办理中的环节：${data.byStage.map((s) => `${s.title}${s.count}件，最长等待${s.longestWait}个工作日`).join('；')}`}
            option={bars(data.byStage.map((s) => s.title), [
              { name: '最长等待', data: data.byStage.map((s) => s.longestWait), color: '#cf1322' },
              { name: '平均等待', data: data.byStage.map((s) => s.averageWait), color: '#1d39c4' },
            ], false, true)}
          />
        }
        table={
          <Table size="small" rowKey="title" pagination={false} locale={empty} dataSource={data.byStage}
            columns={[
              { title: '环节', dataIndex: 'title' },
              { title: '件数', dataIndex: 'count', align: 'right' },
              { title: '最长等待', dataIndex: 'longestWait', align: 'right' },
              { title: '平均等待', dataIndex: 'averageWait', align: 'right' },
            ]}
          />
        }
      />
      <Card title={<span>超过建议办理期限（本区设置）的待办：{data.overdue.length > 0 ? <Alarm>{data.overdue.length} 项</Alarm> : '无'}</span>}>
        <Table size="small" rowKey={(o) => `${o.number}${o.title}`} pagination={{ pageSize: 10, hideOnSinglePage: true }} locale={empty} dataSource={data.overdue} scroll={{ x: 'max-content' }}
          columns={[
            { title: '编号', render: (_, o) => <a href={`/m/cases/${encodeURIComponent(o.number)}`}>{o.number}</a> },
            { title: '待办', dataIndex: 'title' },
            { title: '承办人', dataIndex: 'assignee' },
            { title: '建议办理期限', dataIndex: 'dueOn' },
            { title: '已超过（天）', render: (_, o) => <Alarm>{o.daysPast}</Alarm>, align: 'right' },
          ]}
        />
      </Card>
      <Figure
        title="每月受理"
        chart={
          <Chart
            height={260}
            summary={`每月受理：${data.perMonth.map((m, i) => `${months[i]}${m.tolerance + m.filing + m.clearance}件`).join('；')}`}
            option={bars(months, KIND_SERIES.map((k) => ({ name: k.name, color: k.color, data: data.perMonth.map((m) => m[k.key]) })), true, false)}
          />
        }
        table={
          <Table size="small" rowKey="month" pagination={false} locale={empty} dataSource={data.perMonth.filter((m) => m.tolerance + m.filing + m.clearance > 0)}
            columns={[{ title: '月份', dataIndex: 'month' }, ...KIND_SERIES.map((k) => ({ title: k.name, dataIndex: k.key, align: 'right' as const }))]}
          />
        }
      />
      <Card title="报备、呈报市纪委监委">
        <Table size="small" rowKey="number" pagination={{ pageSize: 10, hideOnSinglePage: true }} locale={empty} dataSource={data.city} scroll={{ x: 'max-content' }}
          columns={[
            { title: '编号', render: (_, c) => <a href={`/m/cases/${encodeURIComponent(c.number)}`}>{c.number}</a> },
            { title: '类别', dataIndex: 'kindTitle' },
            { title: '申请人', dataIndex: 'applicant' },
            { title: '方式', dataIndex: 'way' },
            { title: '完成日期', render: (_, c) => c.done ?? (c.dueOn && c.dueOn < data.asOf ? <Alarm>尚未完成（建议办理期限 {c.dueOn}）</Alarm> : `尚未完成${c.dueOn ? `（建议办理期限 ${c.dueOn}）` : ''}`) },
          ]}
        />
      </Card>
    </Space>
  );
}
