import type { ReactNode } from 'react';
import { NavLink } from 'react-router-dom';
import { label, t } from '../i18n/index.js';
import { can, useAuth, type Area } from '../lib/auth.js';
import { useLiveStatus } from '../lib/live.js';

const LINKS: { to: string; area: Area; text: string }[] = [
  { to: '/map', area: 'map', text: t.nav.map },
  { to: '/queue', area: 'queue', text: t.nav.queue },
  { to: '/screening', area: 'screening', text: t.nav.screening },
  { to: '/dashboards', area: 'dashboards', text: t.nav.dashboards },
  { to: '/admin', area: 'admin', text: t.nav.admin },
];

export const Layout = ({ children }: { children: ReactNode }) => {
  const { user, logout } = useAuth();
  const live = useLiveStatus();
  if (!user) return null;
  return (
    <div className="shell">
      <a className="skip" href="#main">{t.app.skip}</a>
      <header className="topbar">
        <span className="brand">{t.app.name}</span>
        <nav aria-label={t.nav.label}>
          <ul>
            {LINKS.filter((link) => can(user, link.area)).map((link) => (
              <li key={link.to}>
                <NavLink to={link.to}>{link.text}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <span className={`live live-${live}`} role="status" aria-live="polite">
          {live === 'connected' ? t.live.connected : t.live.reconnecting}
        </span>
        <span className="who" data-testid="who">
          {t.auth.signedInAs} <strong>{user.username}</strong> · {label(t.roles, user.role)}
          {user.offices !== 'all' && user.offices.length > 0 ? ` · ${user.offices.join(', ')}` : ''}
        </span>
        <button type="button" onClick={() => void logout()}>{t.auth.signOut}</button>
      </header>
      <main id="main" tabIndex={-1}>{children}</main>
    </div>
  );
};
