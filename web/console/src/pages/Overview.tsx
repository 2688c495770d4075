import { useState } from 'react';
import { Alert, Button, Card, Col, Row, Space, Statistic, Table, Typography } from 'antd';
import type { TalkFigures } from '../../../../src/web/api/contract';
import { exportUrl } from '../api';
import { Chart, completionBars } from '../Chart';
import { rate, THIS_YEAR, useApi, YearSelect } from '../common';
import { useMe } from '../me';
import { CaseOverview } from './CaseOverview';

const LEADERS_CHARTED = 12;

/** 概览: the year's 谈心谈话 completion by unit and by leader, each chart with its numbers. */
export default function Overview() {
  const me = useMe();
  const [year, setYear] = useState(THIS_YEAR);
  const { data, error } = useApi<TalkFigures>(me.talkOverview ? `/overview/talks?year=${year}` : undefined);
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Title level={2} style={{ margin: 0 }}>概览</Typography.Title>
        <YearSelect value={year} onChange={setYear} />
      </Space>
      <CaseOverview year={year} />
      {me.talkOverview && (
        <>
          <Space wrap>
            <Typography.Title level={3} style={{ margin: 0 }}>谈心谈话</Typography.Title>
            <Button href={exportUrl('/overview/talks.xlsx', { year: String(year) })}>导出谈心谈话 Excel</Button>
          </Space>
          {error && <Alert type="error" title={error} showIcon />}
          {data && <Figures figures={data} />}
        </>
      )}
    </Space>
  );
}

function Figures({ figures }: { figures: TalkFigures }) {
  const { totals, byUnit, byLeader } = figures;
  const leaders = byLeader.slice(0, LEADERS_CHARTED);
  const scopeWords = figures.scope === 'zone' ? '全区' : figures.scope === 'units' ? '您分管和领导的单位' : '本人';
  return (
    <>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {figures.year}年谈心谈话完成情况（{scopeWords}），截至 {figures.asOf}。依据《激励办法》第十一条（四）和《能上能下办法》第十四条，按人次计。
      </Typography.Paragraph>
      <Row gutter={16}>
        <Col xs={12} md={6}><Card><Statistic title="应谈（人次）" value={totals.done + totals.owed} /></Card></Col>
        <Col xs={12} md={6}><Card><Statistic title="已谈" value={totals.done} styles={{ content: { color: '#389e0d' } }} /></Card></Col>
        <Col xs={12} md={6}><Card><Statistic title="未谈" value={totals.owed} styles={{ content: { color: '#cf1322' } }} /></Card></Col>
        <Col xs={12} md={6}><Card><Statistic title="完成率" value={rate(totals.done, totals.owed)} /></Card></Col>
      </Row>
      <Card title="按单位">
        <Row gutter={24}>
          <Col xs={24} lg={14}>
            <Chart
              option={completionBars(byUnit.map((u) => u.name), byUnit.map((u) => u.done), byUnit.map((u) => u.owed))}
              height={Math.max(200, byUnit.length * 36 + 60)}
              summary={`按单位的谈心谈话完成情况：${byUnit.map((u) => `${u.name}已谈${u.done}、未谈${u.owed}`).join('；')}`}
            />
          </Col>
          <Col xs={24} lg={10}>
            <Table
              size="small"
              rowKey="unitId"
              pagination={false}
              dataSource={byUnit}
              columns={[
                { title: '单位', dataIndex: 'name' },
                { title: '应谈', render: (_, u) => u.done + u.owed, align: 'right' },
                { title: '已谈', dataIndex: 'done', align: 'right' },
                { title: '未谈', dataIndex: 'owed', align: 'right' },
                { title: '完成率', render: (_, u) => rate(u.done, u.owed), align: 'right' },
              ]}
            />
          </Col>
        </Row>
      </Card>
      <Card title="按领导（未谈人数最多的在前）">
        <Row gutter={24}>
          <Col xs={24} lg={14}>
            <Chart
              option={completionBars(leaders.map((l) => l.name), leaders.map((l) => l.done.length), leaders.map((l) => l.owed.length))}
              height={Math.max(200, leaders.length * 32 + 60)}
              summary={`按领导的谈心谈话完成情况：${leaders.map((l) => `${l.name}已谈${l.done.length}人、未谈${l.owed.length}人`).join('；')}`}
            />
          </Col>
          <Col xs={24} lg={10}>
            <Table
              size="small"
              rowKey="talkerId"
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              dataSource={byLeader}
              columns={[
                { title: '领导', render: (_, l) => `${l.name}（${l.unit}）` },
                { title: '应谈', render: (_, l) => l.done.length + l.owed.length, align: 'right' },
                { title: '已谈', render: (_, l) => l.done.length, align: 'right' },
                { title: '未谈', render: (_, l) => l.owed.length, align: 'right' },
              ]}
            />
          </Col>
        </Row>
      </Card>
    </>
  );
}
