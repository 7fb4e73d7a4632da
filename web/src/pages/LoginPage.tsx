import { useState, type FormEvent } from 'react';
import { t } from '../i18n/index.js';
import { ApiError } from '../lib/api.js';
import { useAuth } from '../lib/auth.js';

export const LoginPage = () => {
  const { login } = useAuth();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username, password);
    } catch (caught) {
      setError(caught instanceof ApiError && caught.status === 404 ? t.auth.unavailable : caught instanceof ApiError && caught.status < 500 ? t.auth.failed : caught instanceof Error ? caught.message : t.app.error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login" id="main">
      <form onSubmit={(event) => void submit(event)} aria-labelledby="login-title" className="card">
        <h1 id="login-title">{t.auth.title}</h1>
        <p className="muted">{t.app.tagline}</p>
        <label htmlFor="username">{t.auth.username}</label>
        <input id="username" name="username" autoComplete="username" value={username} onChange={(event) => setUsername(event.target.value)} required autoFocus />
        <label htmlFor="password">{t.auth.password}</label>
        <input id="password" name="password" type="password" autoComplete="current-password" value={password} onChange={(event) => setPassword(event.target.value)} required />
        {error && <p role="alert" className="error">{error}</p>}
        <button type="submit" className="primary" disabled={busy}>{busy ? t.auth.submitting : t.auth.submit}</button>
      </form>
    </main>
  );
};
