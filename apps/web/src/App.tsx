import { Component, lazy, Suspense, useCallback, useEffect, useState, type ReactNode } from 'react';
import { Alert, App as AntApp, Button, ConfigProvider, Layout, Space, Spin, Typography } from 'antd';
import { IconProvider } from '@ant-design/icons';
import { THEME } from './theme';
import { LOCALE } from './locale';
import { api, setCsrf, type Me } from './lib/api';
import { confirmLeave, Link, match, navigate, usePath } from './lib/router';
import { SessionContext, homeOf } from './lib/session';
import { roleName } from './lib/labels';
import { LoginPage } from './pages/LoginPage';
import { applicationPage, preloadApplicationPage, preloadReviewPage, reviewPage, useReviewPage } from './lib/preload';

/**
 * The page's CSP nonce (the server writes a fresh one into index.html per request): antd's
 * run-time styles carry it, so a Content-Security-Policy without 'unsafe-inline' lets them apply.
 */
const CSP = { nonce: (typeof document === 'undefined' ? null : document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]'))?.nonce || undefined };
const ICON_CSP = { csp: CSP };

// A direct visit to an application: fetch it and its page's code while the session is checked.
let startup: Promise<void> = Promise.resolve();
{
  const m = match('/submissions/:id', location.pathname);
  if (m?.id) {
    const id = m.id;
    // the prefetch's module (with the pack loader and core) is the application page's, not the sign-in page's
    const prefetch = import('./lib/prefetch').then((p) => p.prefetchSubmission(id));
    startup = Promise.all([prefetch, preloadApplicationPage()]).then(
      () => undefined,
      () => undefined,
    );
  }
  // a direct visit to a review: its submission, confirmations and pack version (fetched ahead by
  // index.html) and its page's code load while the session is checked and the header is shown
  // (not for the page as it was before, kept for `pnpm bench`'s comparison: ?compare=before)
  const r = match('/review/:id', location.pathname);
  if (r?.id && !new URLSearchParams(location.search).has('compare')) {
    const id = r.id;
    void import('./lib/prefetch').then((p) => p.prefetchSubmission(id)).catch(() => undefined);
    void preloadReviewPage().catch(() => undefined);
  }
}


// the bell is behind sign-in: its popover and icons are not part of the first visit
const NotificationBell = lazy(() => import('./pages/NotificationBell').then((m) => ({ default: m.NotificationBell })));
const NoticesPage = lazy(() => import('./pages/NoticesPage'));
const PrintPage = lazy(() => import('./pages/PrintPage'));
const ReviewQueuePage = lazy(() => import('./pages/ReviewQueuePage'));
const AdminPage = lazy(() => import('./pages/AdminPage'));
const WorkbenchPage = lazy(() => import('./pages/workbench/WorkbenchPage'));
const DraftPage = lazy(() => import('./pages/workbench/DraftPage'));
const WorkbookPage = lazy(() => import('./pages/WorkbookPage'));
const PeoplePage = lazy(() => import('./pages/PeoplePage'));
const AuditPage = lazy(() => import('./pages/AuditPage'));
const PasswordPage = lazy(() => import('./pages/PasswordPage'));
const TablePage = lazy(() => import('./pages/TablePage'));
const CohortPage = lazy(() => import('./pages/CohortPage'));
const HomePage = lazy(() => import('./pages/HomePage'));
const ResultsPage = lazy(() => import('./pages/ResultsPage'));
const ResultDocumentPage = lazy(() => import('./pages/ResultDocumentPage'));
const DashboardPage = lazy(() => import('./pages/DashboardPage'));

/** `?compare=before`: the review page as it was before it was made lighter, kept for `pnpm bench` (loaded lazily, suspending) */
const COMPARE = typeof location !== 'undefined' && new URLSearchParams(location.search).has('compare');

function Review({ id }: { id: string }) {
  const Page = useReviewPage();
  if (COMPARE) {
    const Before = reviewPage();
    return <Before id={id} />;
  }
  return Page ? <Page id={id} /> : <Spin style={{ margin: 48 }} />;
}

function Routes({ path, me }: { path: string; me: Me }) {
  let m: Record<string, string> | null;
  if ((m = match('/submissions/:id/print', path))) return <PrintPage id={m.id ?? ''} />;
  if ((m = match('/submissions/:id/result/print', path))) return <ResultDocumentPage id={m.id ?? ''} />;
  if ((m = match('/print/:packId', path))) return <PrintPage packId={m.packId ?? ''} />;
  if ((m = match('/submissions/:id', path))) {
    const Page = applicationPage();
    return <Page id={m.id ?? ''} />;
  }
  if ((m = match('/review/:id', path))) return <Review id={m.id ?? ''} />;
  if ((m = match('/tables/:packId/:formId', path))) return <TablePage packId={m.packId ?? ''} formId={m.formId ?? ''} />;
  if (match('/home', path)) return <HomePage />;
  if ((m = match('/results/:packId', path))) return <ResultsPage packId={m.packId ?? ''} />;
  if (match('/results', path)) return <ResultsPage />;
  if ((m = match('/dashboard/:packId', path))) return <DashboardPage packId={m.packId ?? ''} />;
  if (match('/dashboard', path)) return <DashboardPage />;
  if (match('/review', path)) return <ReviewQueuePage />;
  if (match('/cohort', path)) return <CohortPage />;
  if (match('/admin', path)) return <AdminPage />;
  if ((m = match('/workbench/:id', path))) return <DraftPage id={Number(m.id)} />;
  if (match('/workbench', path)) return <WorkbenchPage />;
  if (match('/workbook', path)) return <WorkbookPage />;
  if (match('/people', path)) return <PeoplePage />;
  if (match('/audit', path)) return <AuditPage />;
  if (match('/password', path)) return <PasswordPage forced={false} onChanged={() => undefined} />;
  if (match('/notices', path)) return <NoticesPage />;
  if (match('/', path)) {
    navigate(homeOf(me.user.role), true);
    return null;
  }
  return <Alert type="warning" showIcon message="页面不存在" action={<Link to="/">返回首页</Link>} />;
}

class ErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override componentDidUpdate(prev: { resetKey: string }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }
  override render() {
    if (this.state.error) {
      return <Alert type="error" showIcon message="页面出错了，请刷新后重试；如果问题依旧，请联系管理员" description={this.state.error.message} />;
    }
    return this.props.children;
  }
}

function Shell({ me, path, onLogout, onPasswordChanged }: { me: Me; path: string; onLogout: () => void; onPasswordChanged: () => void }) {
  const bare = path.includes('/print');
  const role = me.user.role;
  if (me.user.mustChangePassword) {
    return (
      <Suspense fallback={<Spin />}>
        <PasswordPage forced onChanged={onPasswordChanged} />
        <div style={{ textAlign: 'center' }}>
          <Button onClick={onLogout}>退出</Button>
        </div>
      </Suspense>
    );
  }
  if (bare) {
    return (
      <Suspense fallback={<Spin />}>
        <Routes path={path} me={me} />
      </Suspense>
    );
  }
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="yp-header">
        <Space size={[24, 4]} wrap>
          <Link to="/" className="yp-brand">园评 · 小微企业园申报与评价</Link>
          {role !== 'admin' ? <Link to="/home">首页</Link> : null}
          {role === 'applicant' ? <Link to="/notices">通知与申报</Link> : null}
          {role === 'county' || role === 'city' || role === 'province' ? <Link to="/review">审核</Link> : null}
          {role === 'city' || role === 'province' ? <Link to="/dashboard">看板</Link> : null}
          {role === 'city' || role === 'province' ? <Link to="/cohort">群体评价</Link> : null}
          {role !== 'admin' ? <Link to="/results">结果公示</Link> : null}
          {role === 'admin' ? <Link to="/admin">通知包管理</Link> : null}
          {role === 'admin' ? <Link to="/workbench">通知包工作台</Link> : null}
          {role === 'admin' ? <Link to="/workbook">工作簿</Link> : null}
          {role === 'admin' ? <Link to="/people">账户与园区</Link> : null}
          {role !== 'applicant' ? <Link to="/audit">审计日志</Link> : null}
        </Space>
        <Space size={[8, 4]} className="yp-header-user">
          {role !== 'admin' ? (
            <Suspense fallback={null}>
              <NotificationBell path={path} />
            </Suspense>
          ) : null}
          <Typography.Text style={{ color: '#fff' }} className="yp-whoami" data-testid="whoami">
            {me.user.displayName}（{roleName(role)}
            {me.park ? ` · ${me.park.name}` : me.orgUnit ? ` · ${me.orgUnit.name}` : ''}）
          </Typography.Text>
          <Link to="/password">修改密码</Link>
          <Button size="small" onClick={onLogout}>
            退出
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content className="yp-content" id="yp-main">
        <ErrorBoundary resetKey={path}>
          <Suspense fallback={<Spin style={{ margin: 48 }} />}>
            <Routes path={path} me={me} />
          </Suspense>
        </ErrorBoundary>
      </Layout.Content>
    </Layout>
  );
}

export function App() {
  const path = usePath();
  const [me, setMeState] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const setMe = useCallback((m: Me | null) => {
    setCsrf(m?.csrfToken ?? null);
    setMeState(m);
  }, []);
  useEffect(() => {
    const me = api.get('/api/auth/me').then(
      (m) => m,
      () => null,
    );
    void Promise.all([me, startup]).then(([m]) => {
      setMe(m);
      setLoading(false);
    });
  }, [setMe]);
  useEffect(() => {
    // the session ended (expired, signed out elsewhere): back to the sign-in form, on the same page
    const on = () => setMe(null);
    window.addEventListener('yp:unauthenticated', on);
    return () => window.removeEventListener('yp:unauthenticated', on);
  }, [setMe]);
  const logout = useCallback(async () => {
    // signing out leaves the page: ask first when it has unsaved edits
    if (!confirmLeave()) return;
    try {
      await api.post('/api/auth/logout');
    } finally {
      setMe(null);
      navigate('/', false, true);
    }
  }, [setMe]);
  return (
    <ConfigProvider locale={LOCALE} theme={THEME} csp={CSP}>
      {/* the app's icons are @ant-design/icons 6: antd hands the nonce only to the context of the icons 5 it uses itself */}
      <IconProvider value={ICON_CSP}>
        <AntApp>
          <SessionContext.Provider value={{ me, setMe, logout }}>
            {loading ? (
              <Spin style={{ margin: 48 }} />
            ) : me ? (
              <Shell
                me={me}
                path={path}
                onLogout={() => void logout()}
                onPasswordChanged={() => void api.get('/api/auth/me').then(setMe, () => setMe(null))}
              />
            ) : (
              <LoginPage onLogin={(m) => setMe(m)} />
            )}
          </SessionContext.Provider>
        </AntApp>
      </IconProvider>
    </ConfigProvider>
  );
}
