import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { App } from './App';

dayjs.locale('zh-cn');
/** Ant Design's greys for secondary text and placeholders, darkened to a 4.5:1 contrast on white (WCAG AA). */
const THEME = {
  token: {
    colorPrimary: '#b02a1f',
    colorTextSecondary: '#595959',
    colorTextDescription: '#595959',
    colorTextTertiary: '#595959',
    colorTextPlaceholder: '#6b6b6b',
    // Links in tables (a case's number): the default blue is under 4.5:1 on white.
    colorLink: '#1d39c4',
    colorLinkHover: '#2f54eb',
    fontFamily: '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", system-ui, sans-serif',
  },
};

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} theme={THEME} button={{ autoInsertSpace: false }}>
      <App />
    </ConfigProvider>
  </StrictMode>,
);
