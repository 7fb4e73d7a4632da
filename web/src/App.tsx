import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { Layout } from './components/Layout.js';
import { t } from './i18n/index.js';
import { can, useAuth, type Area } from './lib/auth.js';
import { LoginPage } from './pages/LoginPage.js';
// The live map is the landing page: bundled with the shell so it loads in parallel, not after sign-in.
import { MapPage } from './pages/MapPage.js';

const QueuePage = lazy(() => import('./pages/QueuePage.js').then((module) => ({ default: module.QueuePage })));
const DashboardsPage = lazy(() => import('./pages/DashboardsPage.js').then((module) => ({ default: module.DashboardsPage })));
const ScreeningPage = lazy(() => import('./pages/ScreeningPage.js').then((module) => ({ default: module.ScreeningPage })));
const AdminPage = lazy(() => import('./pages/AdminPage.js').then((module) => ({ default: module.AdminPage })));
const MovementPage = lazy(() => import('./pages/MovementPage.js').then((module) => ({ default: module.MovementPage })));

const Guard = ({ area, children }: { area: Area; children: ReactNode }) => {
  const { user } = useAuth();
  return can(user, area) ? <>{children}</> : <p role="alert" className="notice">{t.auth.forbidden}</p>;
};

export const App = () => {
  const { user, checking } = useAuth();
  if (checking) return <p className="notice" aria-live="polite">{t.app.loading}</p>;
  if (!user) return <LoginPage />;
  return (
    <Layout>
      <Suspense fallback={<p className="notice">{t.app.loading}</p>}>
        <Routes>
          <Route path="/" element={<Navigate to="/map" replace />} />
          <Route path="/login" element={<Navigate to="/map" replace />} />
          <Route path="/map" element={<Guard area="map"><MapPage /></Guard>} />
          <Route path="/queue" element={<Guard area="queue"><QueuePage /></Guard>} />
          <Route path="/movements/:id" element={<Guard area="map"><MovementPage /></Guard>} />
          <Route path="/dashboards" element={<Guard area="dashboards"><DashboardsPage /></Guard>} />
          <Route path="/screening" element={<Guard area="screening"><ScreeningPage /></Guard>} />
          <Route path="/admin" element={<Guard area="admin"><AdminPage /></Guard>} />
          <Route path="*" element={<Navigate to="/map" replace />} />
        </Routes>
      </Suspense>
    </Layout>
  );
};
