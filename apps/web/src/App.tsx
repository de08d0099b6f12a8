import { Button, Layout, Menu, Result, Space, Spin, Typography } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { ApiError, getJson, Me, storedKey, storeKey } from './api';
import { SCOPE_LABELS } from './lib/scopes';
import { LoginPage } from './pages/Login';
import { SessionContext, sessionOf } from './session';

// Each page is a chunk of its own: the sign-in page loads without them.
const ImportsPage = lazy(() => import('./pages/Imports'));
const ReviewPage = lazy(() => import('./pages/Review'));
const ReportsPage = lazy(() => import('./pages/Reports'));

const PAGES = [
  { key: 'imports', label: '导入', scope: 'imports:read' },
  { key: 'review', label: '审核', scope: 'registry:read' },
  { key: 'reports', label: '报表', scope: 'registry:read' },
] as const;
type PageKey = (typeof PAGES)[number]['key'];

function pageOfHash(): PageKey | null {
  const key = location.hash.replace(/^#\/?/, '');
  return PAGES.find((p) => p.key === key)?.key ?? null;
}

export function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(Boolean(storedKey()));
  const [page, setPage] = useState<PageKey | null>(pageOfHash());

  useEffect(() => {
    const onHash = () => setPage(pageOfHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  // A key kept in this tab from before is checked again: it may have been revoked since.
  useEffect(() => {
    if (!storedKey()) return;
    getJson<Me>('/v1/me').then(setMe, (err) => {
      if (err instanceof ApiError && err.status === 401) storeKey(null);
    }).finally(() => setChecking(false));
  }, []);

  const signOut = useCallback(() => {
    storeKey(null);
    setMe(null);
  }, []);

  if (checking) return <Spin fullscreen tip="正在验证密钥…" />;
  if (!me) return <LoginPage onSignedIn={setMe} />;

  const session = sessionOf(me);
  const offered = PAGES.filter((p) => session.may(p.scope));
  const current = offered.find((p) => p.key === page)?.key ?? offered[0]?.key;
  return (
    <SessionContext.Provider value={session}>
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Header className="qc-header">
          <Typography.Text className="qc-brand">青城党建数据工作台</Typography.Text>
          <Menu
            theme="dark" mode="horizontal" className="qc-menu" selectedKeys={current ? [current] : []}
            items={offered.map((p) => ({ key: p.key, label: <a href={`#/${p.key}`} data-page={p.key}>{p.label}</a> }))}
          />
          <Space className="qc-user">
            <Typography.Text style={{ color: '#fff' }} id="signed-in-as">{me.name}</Typography.Text>
            <Button size="small" onClick={signOut}>退出</Button>
          </Space>
        </Layout.Header>
        <Layout.Content className="qc-content">
          <Typography.Paragraph type="secondary" id="key-scopes" style={{ marginBottom: 8 }}>
            当前密钥「{me.name}」可以：{me.scopes.map((s) => SCOPE_LABELS[s] ?? s).join('；')}{me.mayReadPii ? '' : '；个人信息（身份证号、电话）显示为掩码'}。
          </Typography.Paragraph>
          <Suspense fallback={<Spin />}>
            {current === 'imports' && <ImportsPage />}
            {current === 'review' && <ReviewPage />}
            {current === 'reports' && <ReportsPage />}
            {!current && <Result status="403" title="此密钥没有可用的功能" subTitle="请联系管理员为密钥添加权限。" />}
          </Suspense>
        </Layout.Content>
      </Layout>
    </SessionContext.Provider>
  );
}
