import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { App } from './App';

dayjs.locale('zh-cn');
// The server puts a fresh nonce in the page for each request; Ant Design's styles carry it (CSP style-src).
const nonce = document.querySelector('meta[name="csp-nonce"]')?.getAttribute('content') ?? undefined;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} csp={{ nonce }} theme={{ token: { colorPrimary: '#c0392b', fontFamily: '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", system-ui, sans-serif' } }}>
      <App />
    </ConfigProvider>
  </StrictMode>,
);
