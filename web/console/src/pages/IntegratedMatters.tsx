import { useEffect, useState } from 'react';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import type { IntegratedMattersView } from '../../../../src/web/api/contract';
import { api } from '../api';
import { useApi } from '../common';

/**
 * 设置 → 八个一体化: the zone's own list, set through the use case of the chat's “设置八个一体化”
 * (ZoneSettings: validated there and audited); one matter a line here.
 */
export default function IntegratedMatters() {
  const { data, error, reload } = useApi<IntegratedMattersView>('/settings/integrated-matters');
  const [text, setText] = useState('');
  const [result, setResult] = useState<{ type: 'success' | 'error'; text: string }>();
  useEffect(() => {
    if (data) setText(data.matters.join('\n'));
  }, [data]);
  if (error) return <Alert type="error" title={error} showIcon />;
  const save = async () => {
    try {
      const matters = text.split('\n').map((m) => m.trim()).filter((m) => m.length > 0);
      const saved = await api<IntegratedMattersView>('/settings/integrated-matters', { method: 'PUT', body: JSON.stringify({ matters }) });
      setResult({ type: 'success', text: `已保存 ${saved.matters.length} 项。之后提出的申请和备案按新清单询问；已提交的不受影响。` });
      reload();
    } catch (e) {
      setResult({ type: 'error', text: (e as Error).message });
    }
  };
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Alert
        type="info"
        showIcon
        title="“八个一体化”事项清单（本区设置）"
        description="《容错细则》第六条提到“八个一体化”事项，但文件没有列出具体事项：本清单由本开发区党群工作部自行确定。申请容错免责和改革创新风险备案时，系统按此清单询问所办事项是否属于“八个一体化”。"
      />
      <Card title="当前清单">
        {data && (
          <Typography.Paragraph style={{ margin: 0 }}>
            {data.set ? `${data.updatedBy ?? ''} 于 ${new Date(data.updatedAt!).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })} 更新，共 ${data.matters.length} 项：` : data.description}
          </Typography.Paragraph>
        )}
        {data?.set && <ol style={{ marginBottom: 0 }}>{data.matters.map((m) => <li key={m}>{m}</li>)}</ol>}
      </Card>
      <Card title="修改清单">
        <Form layout="vertical">
          <Form.Item label={`每行一项（最多 ${data?.limits.most ?? 20} 项，每项 ${data?.limits.shortest ?? 2} 到 ${data?.limits.longest ?? 40} 字，不能重复）`} htmlFor="integrated">
            <Input.TextArea id="integrated" rows={8} value={text} onChange={(e) => setText(e.target.value)} placeholder={'规划建设一体化\n招商引资一体化'} />
          </Form.Item>
          <Button type="primary" disabled={!data} onClick={() => void save()}>保存清单</Button>
        </Form>
        {result && <Alert style={{ marginTop: 16 }} type={result.type} showIcon title={result.text} />}
      </Card>
    </Space>
  );
}
