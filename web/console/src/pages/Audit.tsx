import { useState } from 'react';
import { Button, DatePicker, Form, Input, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import type { AuditPage, AuditRow } from '../../../../src/web/api/contract';
import { exportUrl } from '../api';
import { EmptyText, useApi } from '../common';

interface Filter {
  person?: string;
  case?: string;
  action?: string;
  from?: string;
  to?: string;
}

const ACTIONS: Record<string, string> = {
  signin: '登录', 'signin.refused': '登录被拒', signout: '退出', 'talk.read': '查看谈话内容', 'talk.read.refused': '查看谈话被拒', 'api.refused': '越权访问被拒',
  'case.submitted': '提交申请', 'stage.approve': '同意', 'stage.reject': '不同意', 'stage.return': '退回补充', 'roster.imported': '导入名册', 'roster.exported': '导出名册',
  'calendar.loaded': '载入节假日', 'talk-quota-rule.set': '设置谈话频次', 'talk-quota-rule.removed': '取消谈话频次', 'audit.exported': '导出审计日志',
  'document.exported': '下载文书或台账', 'document.refused': '下载文书被拒', 'setting.changed': '修改设置', 'matter.opened': '登记问责事项',
  'exemptions.exported': '导出容错免责执行',
};

/** 审计: the audit log by person, case, action and date, and its export. */
export default function Audit() {
  const [filter, setFilter] = useState<Filter>({});
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const query = new URLSearchParams(Object.entries({ ...filter, page: String(page), pageSize: String(pageSize) }).filter((e): e is [string, string] => Boolean(e[1])));
  const { data } = useApi<AuditPage>(`/audit?${query}`);
  const search = (v: { person?: string; case?: string; action?: string; dates?: [Dayjs | null, Dayjs | null] | null }) => {
    setPage(1);
    setFilter({ person: v.person?.trim(), case: v.case?.trim(), action: v.action?.trim(), from: v.dates?.[0]?.format('YYYY-MM-DD'), to: v.dates?.[1]?.format('YYYY-MM-DD') });
  };
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>审计</Typography.Title>
      <Form layout="inline" onFinish={search}>
        <Form.Item name="person" label="人员"><Input placeholder="姓名或编号" allowClear /></Form.Item>
        <Form.Item name="case" label="案件"><Input placeholder="如 RC2026-0001" allowClear /></Form.Item>
        <Form.Item name="action" label="操作"><Input placeholder="如 talk.read、signin" allowClear /></Form.Item>
        <Form.Item name="dates" label="日期"><DatePicker.RangePicker /></Form.Item>
        <Form.Item><Button type="primary" htmlType="submit">查询</Button></Form.Item>
        <Form.Item><Button href={exportUrl('/audit.xlsx', { ...filter })}>导出 Excel</Button></Form.Item>
      </Form>
      <Table<AuditRow>
        locale={{ emptyText: <EmptyText>暂无数据</EmptyText> }}
        scroll={{ x: 'max-content' }}
        rowKey="id"
        size="small"
        loading={!data}
        dataSource={data?.rows}
        pagination={{
          current: page, pageSize, total: data?.total, showSizeChanger: { 'aria-label': '每页条数' }, pageSizeOptions: [10, 20, 50, 100], showTotal: (t) => `共 ${t} 条`,
          onChange: (p, size) => { setPage(size === pageSize ? p : 1); setPageSize(size); },
        }}
        columns={[
          { title: '时间', render: (_, r) => new Date(r.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) },
          { title: '人员', render: (_, r) => (r.actor ? `${r.actor.name}（${r.actor.code}）` : '（系统）') },
          { title: '渠道', dataIndex: 'channel' },
          { title: '操作', render: (_, r) => `${ACTIONS[r.action] ?? ''} ${r.action}` },
          { title: '对象', dataIndex: 'subject' },
          { title: '详情', dataIndex: 'detail', ellipsis: true, width: 320 },
        ]}
      />
    </Space>
  );
}
