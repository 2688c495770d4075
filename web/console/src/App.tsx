import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { Alert, Button, Grid, Layout, Menu, Space, Spin, Typography } from 'antd';
import type { Me, Section } from '../../../src/web/api/contract';
import { loadMe, signOut } from './api';
import { MeContext } from './me';
import { navigate, usePath } from './router';

const PAGES: Record<Section, { path: string; label: string; page: React.LazyExoticComponent<() => React.JSX.Element> }> = {
  overview: { path: '/console/', label: '概览', page: lazy(() => import('./pages/Overview')) },
  cases: { path: '/console/cases', label: '案件', page: lazy(() => import('./pages/Cases')) },
  matters: { path: '/console/matters', label: '问责事项', page: lazy(() => import('./pages/Matters')) },
  exemptions: { path: '/console/exemptions', label: '容错免责', page: lazy(() => import('./pages/Exemptions')) },
  talks: { path: '/console/talks', label: '谈心谈话', page: lazy(() => import('./pages/Talks')) },
  roster: { path: '/console/roster', label: '名册', page: lazy(() => import('./pages/Roster')) },
  settings: { path: '/console/settings', label: '设置', page: lazy(() => import('./pages/Settings')) },
  audit: { path: '/console/audit', label: '审计', page: lazy(() => import('./pages/Audit')) },
};

const sectionOf = (path: string): Section | undefined =>
  (Object.keys(PAGES) as Section[]).find((s) => PAGES[s].path === path || PAGES[s].path === `${path}/`);

export function App() {
  const [me, setMe] = useState<Me>();
  const [error, setError] = useState<string>();
  const path = usePath();
  const wide = Grid.useBreakpoint().md ?? true;
  useEffect(() => {
    loadMe().then(setMe, (e: Error) => setError(e.message));
  }, []);

  const wanted = sectionOf(path);
  const section = me && (wanted && me.sections.includes(wanted) ? wanted : me.sections[0]);
  useEffect(() => {
    document.title = section ? `${PAGES[section].label} - 担当` : '担当';
  }, [section]);

  if (error) return <Alert type="error" title="无法加载" description={error} showIcon style={{ margin: 24 }} />;
  if (!me || !section) return <Spin size="large" style={{ display: 'block', marginTop: '30vh' }} />;
  const Page = PAGES[section].page;

  return (
    <MeContext.Provider value={me}>
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Header style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', columnGap: 24, height: 'auto', lineHeight: '56px', paddingInline: wide ? 24 : 12 }}>
          <Typography.Text strong style={{ color: '#fff', fontSize: 18, whiteSpace: 'nowrap' }}>担当 · 管理控制台</Typography.Text>
          <Menu
            theme="dark"
            mode="horizontal"
            disabledOverflow
            selectedKeys={[section]}
            style={{ flex: wide ? 1 : '1 0 100%', minWidth: 0, order: wide ? 0 : 1 }}
            items={me.sections.map((s) => ({ key: s, label: <a href={PAGES[s].path} onClick={(e) => { e.preventDefault(); navigate(PAGES[s].path); }}>{PAGES[s].label}</a> }))}
          />
          <Space>
            <Typography.Text style={{ color: '#fff' }}>{wide ? `${me.person.name}（${me.person.unit} ${me.person.post}）` : me.person.name}</Typography.Text>
            <Button size="small" onClick={() => void signOut()}>退出</Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: wide ? 24 : 12 }}>
          <KeyboardScrolling>
            <Suspense fallback={<Spin />}>
              <Page />
            </Suspense>
          </KeyboardScrolling>
        </Layout.Content>
        <Layout.Footer style={{ textAlign: 'center', color: '#595959' }}>
          依据澄港开工委发〔2020〕4号 · 登录方式：{me.signedInVia}
        </Layout.Footer>
      </Layout>
    </MeContext.Provider>
  );
}

/**
 * The page's main region. A table wider than a phone scrolls sideways inside itself; so that it
 * can be scrolled from the keyboard too, each such scroller is made focusable and named (Ant
 * Design leaves it a bare div).
 */
function KeyboardScrolling({ children }: { children: React.ReactNode }) {
  const main = useRef<HTMLElement>(null);
  useEffect(() => {
    const mark = () => {
      for (const el of main.current?.querySelectorAll('.ant-table-content:not([tabindex])') ?? []) {
        el.setAttribute('tabindex', '0');
        el.setAttribute('role', 'region');
        el.setAttribute('aria-label', '表格（可左右滚动）');
      }
    };
    mark();
    const observer = new MutationObserver(mark);
    observer.observe(main.current!, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, []);
  return <main ref={main}>{children}</main>;
}
