import { lazy, Suspense } from 'react';
import { errorCode } from './api.ts';
import { Layout } from './components/Layout.tsx';
import { ErrorBoundary, ErrorState, Loading, Main } from './components/ui.tsx';
import { AdminJobsPage } from './pages/AdminJobs.tsx';
import { AdminLogsPage } from './pages/AdminLogs.tsx';
import { AdminUsersPage } from './pages/AdminUsers.tsx';
import { HistoryPage } from './pages/History.tsx';
import { ForbiddenPage, NotFoundPage, SettingsPage } from './pages/Misc.tsx';
import { ModelsPage } from './pages/Models.tsx';
import { RegisterPage, SignInPage } from './pages/SignIn.tsx';
import { TrackRecordPage } from './pages/TrackRecord.tsx';
import { useLocation } from './router.tsx';
import { type Me, useMe } from './session.ts';

// The chart pages carry lightweight-charts; they load on first visit so sign-in stays small.
const ForecastPage = lazy(() => import('./pages/Forecast.tsx'));
const ForecastDetailPage = lazy(() => import('./pages/ForecastDetail.tsx'));

function Page({ pathname, me }: { pathname: string; me: Me }) {
  if (pathname.startsWith('/admin/') && me.role !== 'admin') return <ForbiddenPage />;
  const detail = /^\/forecasts\/(\d+)$/.exec(pathname);
  if (detail?.[1]) return <ForecastDetailPage id={Number(detail[1])} />;
  switch (pathname) {
    case '/':
      return <ForecastPage />;
    case '/forecasts':
      return <HistoryPage />;
    case '/models':
      return <ModelsPage />;
    case '/track-record':
      return <TrackRecordPage />;
    case '/settings':
      return <SettingsPage />;
    case '/admin/users':
      return <AdminUsersPage me={me} />;
    case '/admin/logs':
      return <AdminLogsPage />;
    case '/admin/jobs':
      return <AdminJobsPage />;
    default:
      return <NotFoundPage />;
  }
}

export function App() {
  const { pathname } = useLocation();
  if (pathname === '/sign-in') return <SignInPage />;
  if (pathname === '/register') return <RegisterPage />;
  return <SignedIn pathname={pathname} />;
}

/** Everything behind sign-in; `users.me` is only asked for here. */
function SignedIn({ pathname }: { pathname: string }) {
  const me = useMe();

  if (me.isPending) {
    return (
      <Main className="boot">
        <Loading />
      </Main>
    );
  }
  if (me.isError) {
    // the global 401 handler (api.ts) is already on its way to the sign-in page
    if (errorCode(me.error) === 'UNAUTHORIZED') return null;
    return (
      <Main className="boot">
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      </Main>
    );
  }
  return (
    <Layout me={me.data}>
      <ErrorBoundary resetKey={pathname}>
        <Suspense fallback={<Loading />}>
          <Page pathname={pathname} me={me.data} />
        </Suspense>
      </ErrorBoundary>
    </Layout>
  );
}
