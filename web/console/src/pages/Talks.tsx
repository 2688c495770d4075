import { useMemo, useState } from 'react';
import { Alert, Button, Input, Modal, Select, Space, Switch, Table, Tabs, Typography } from 'antd';
import type { LeaderProgress, TalkFigures, TalkListItem } from '../../../../src/web/api/contract';
import { api } from '../api';
import { Alarm, EmptyText, StatusTag, THIS_YEAR, useApi, YearSelect } from '../common';

const names = (list: LeaderProgress['owed']) => list.map((t) => (t.adjusted ? `${t.name}（被调整干部）` : t.name)).join('、') || '—';

/** 谈心谈话: each leader's progress, down to whom they still owe a talk; the records, and their content where allowed. */
export default function Talks() {
  const [year, setYear] = useState(THIS_YEAR);
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Title level={2} style={{ margin: 0 }}>谈心谈话</Typography.Title>
        <YearSelect value={year} onChange={setYear} />
      </Space>
      <Tabs
        items={[
          { key: 'progress', label: '进度', children: <Progress year={year} /> },
          { key: 'records', label: '谈话记录', children: <Records year={year} /> },
        ]}
      />
    </Space>
  );
}

function Progress({ year }: { year: number }) {
  const { data, error } = useApi<TalkFigures>(`/talks/progress?year=${year}`);
  const [unit, setUnit] = useState<string>();
  const [owingOnly, setOwingOnly] = useState(false);
  const [search, setSearch] = useState('');
  const units = useMemo(() => [...new Set((data?.byLeader ?? []).map((l) => l.unit))], [data]);
  const rows = (data?.byLeader ?? []).filter(
    (l) => (!unit || l.unit === unit) && (!owingOnly || l.owed.length > 0) && (!search || l.name.includes(search) || l.owed.some((t) => t.name.includes(search))),
  );
  if (error) return <Alert type="error" title={error} showIcon />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select aria-label="单位" allowClear placeholder="全部单位" value={unit} onChange={setUnit} style={{ width: 200 }} options={units.map((u) => ({ value: u, label: u }))} />
        <Input.Search aria-label="按姓名查找" placeholder="领导或谈话对象姓名" allowClear onSearch={setSearch} style={{ width: 240 }} />
        <Space>
          <Switch aria-label="只看尚未谈完的领导" checked={owingOnly} onChange={setOwingOnly} />
          <span>只看尚未谈完的领导</span>
        </Space>
      </Space>
      {data && (
        <Typography.Text type="secondary">
          截至 {data.asOf}：共 {rows.length} 位领导，尚未谈话 {rows.reduce((n, l) => n + l.owed.length, 0)} 人。点击一行展开已谈、未谈名单。
        </Typography.Text>
      )}
      <Table<LeaderProgress>
        locale={{ emptyText: <EmptyText>暂无数据</EmptyText> }}
        scroll={{ x: 'max-content' }}
        rowKey="talkerId"
        loading={!data}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        expandable={{
          expandRowByClick: true,
          expandedRowRender: (l) => (
            <div>
              <p><StatusTag tone="bad">尚未谈话</StatusTag>{names(l.owed)}</p>
              <p><StatusTag tone="good">已谈</StatusTag>{names(l.done)}</p>
            </div>
          ),
        }}
        columns={[
          { title: '领导', dataIndex: 'name' },
          { title: '职务', dataIndex: 'post' },
          { title: '单位', dataIndex: 'unit' },
          { title: '应谈（人）', render: (_, l) => l.done.length + l.owed.length, align: 'right' },
          { title: '已谈', render: (_, l) => l.done.length, align: 'right' },
          { title: '未谈', render: (_, l) => (l.owed.length > 0 ? <Alarm>{l.owed.length}</Alarm> : 0), align: 'right' },
          { title: '尚未谈话的对象', render: (_, l) => names(l.owed) },
        ]}
      />
    </Space>
  );
}

function Records({ year }: { year: number }) {
  const { data, error } = useApi<{ records: TalkListItem[] }>(`/talks/records?year=${year}`);
  const [open, setOpen] = useState<{ number: string; text: string }>();
  const [refused, setRefused] = useState<string>();
  const read = (number: string) =>
    api<{ number: string; text: string }>(`/talks/records/${encodeURIComponent(number)}`).then(setOpen, (e: Error) => setRefused(e.message));
  if (error) return <Alert type="error" title={error} showIcon />;
  return (
    <>
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} title="谈心谈话内容保密：只有谈话人、谈话对象的上级领导和党群工作部可以查看，每次查看都记入审计日志。" />
      {refused && <Alert type="error" showIcon closable onClose={() => setRefused(undefined)} title={refused} style={{ marginBottom: 16 }} />}
      <Table<TalkListItem>
        locale={{ emptyText: <EmptyText>暂无数据</EmptyText> }}
        scroll={{ x: 'max-content' }}
        rowKey="number"
        loading={!data}
        dataSource={data?.records}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: '编号', dataIndex: 'number' },
          { title: '日期', dataIndex: 'talkedOn' },
          { title: '类型', dataIndex: 'kind' },
          { title: '谈话人', dataIndex: 'talker' },
          { title: '谈话对象', render: (_, r) => r.talkees.join('、') },
          { title: '状态', render: (_, r) => (r.withdrawn ? <StatusTag tone="plain">已撤回</StatusTag> : <StatusTag tone="good">有效</StatusTag>) },
          { title: '内容', render: (_, r) => (r.readable ? <Button size="small" onClick={() => void read(r.number)}>查看内容</Button> : <Typography.Text type="secondary">无权查看</Typography.Text>) },
        ]}
      />
      <Modal open={open !== undefined} title={open?.number} onCancel={() => setOpen(undefined)} footer={null} width={640}>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{open?.text}</Typography.Paragraph>
      </Modal>
    </>
  );
}
