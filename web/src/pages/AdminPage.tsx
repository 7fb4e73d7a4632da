import { useEffect, useState } from 'react';
import { Evidence } from '../components/Evidence.js';
import { label, t } from '../i18n/index.js';
import { ApiError, request } from '../lib/api.js';
import type { Page } from '../lib/types.js';
import { useFetch } from '../lib/use-fetch.js';

interface UserRow {
  id: string;
  username: string;
  role: string;
  offices: string[] | 'all';
  disabled?: boolean;
}
interface ListVersion {
  id: string;
  source: string;
  version?: string;
  importedAt?: string;
  loadedAt?: string;
  entityCount?: number;
  entries?: number;
}
interface Change {
  kind?: string;
  change?: string;
  entityId?: string;
  name?: string;
  [key: string]: unknown;
}
type Rules = Record<string, unknown>;

const Unavailable = ({ error, missing }: { error: Error | null; missing: boolean }) =>
  error ? <p className="muted">{missing ? t.app.notAvailable : error.message}</p> : null;

const Users = () => {
  const users = useFetch<Page<UserRow>>('/users');
  return (
    <section className="card" aria-labelledby="users-title">
      <h2 id="users-title">{t.admin.users}</h2>
      <Unavailable error={users.error} missing={users.missing} />
      {users.data && (
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{t.admin.username}</th>
              <th scope="col">{t.admin.role}</th>
              <th scope="col">{t.admin.offices}</th>
            </tr>
          </thead>
          <tbody>
            {users.data.items.map((user) => (
              <tr key={user.id}>
                <td>{user.username}</td>
                <td>{label(t.roles, user.role)}</td>
                <td>{user.offices === 'all' ? t.auth.allOffices : user.offices.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
};

const LastDiff = ({ version }: { version: ListVersion }) => {
  const changes = useFetch<{ items: Change[] }>(`/screening/lists/${encodeURIComponent(version.id)}/changes`);
  if (changes.error) return <Unavailable error={changes.error} missing={changes.missing} />;
  const items = changes.data?.items ?? [];
  const counts = new Map<string, number>();
  for (const change of items) counts.set(String(change.kind ?? change.change ?? '?'), (counts.get(String(change.kind ?? change.change ?? '?')) ?? 0) + 1);
  return (
    <details>
      <summary>{[...counts].map(([kind, count]) => `${count} ${kind}`).join(', ') || '—'}</summary>
      <ul className="small">
        {items.slice(0, 50).map((change, index) => (
          <li key={index}>{String(change.kind ?? change.change ?? '')} {String(change.name ?? change.entityId ?? '')}</li>
        ))}
      </ul>
    </details>
  );
};

const Lists = () => {
  const versions = useFetch<{ items: ListVersion[] }>('/screening/lists');
  const latest = new Map<string, ListVersion>();
  for (const version of versions.data?.items ?? []) {
    const when = version.importedAt ?? version.loadedAt ?? '';
    const current = latest.get(version.source);
    if (!current || when > (current.importedAt ?? current.loadedAt ?? '')) latest.set(version.source, version);
  }
  return (
    <section className="card" aria-labelledby="lists-title">
      <h2 id="lists-title">{t.admin.lists}</h2>
      <Unavailable error={versions.error} missing={versions.missing} />
      {versions.data && (
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{t.screening.list}</th>
              <th scope="col">{t.admin.version}</th>
              <th scope="col">{t.admin.loaded}</th>
              <th scope="col">{t.admin.entries}</th>
              <th scope="col">{t.admin.lastDiff}</th>
            </tr>
          </thead>
          <tbody>
            {[...latest.values()].map((version) => (
              <tr key={version.id}>
                <td>{version.source}</td>
                <td>{version.version ?? version.id}</td>
                <td>{version.importedAt ?? version.loadedAt ?? '—'}</td>
                <td>{version.entityCount ?? version.entries ?? '—'}</td>
                <td><LastDiff version={version} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
};

interface ControlListVersion {
  listId: string;
  version: number;
  name: string;
  source: string;
  entryCount: number;
  importedBy: string;
  importedAt: string;
}
interface ControlListDiff {
  from: number;
  to: number;
  changes: { code: string; change: 'added' | 'removed' | 'changed' }[];
}

const ControlListDiffSummary = ({ listId }: { listId: string }) => {
  const diff = useFetch<ControlListDiff>(`/control-lists/${encodeURIComponent(listId)}/diff`);
  if (diff.error) return <Unavailable error={diff.error} missing={diff.missing} />;
  if (!diff.data) return <span>{t.app.loading}</span>;
  const count = (kind: string) => diff.data!.changes.filter((change) => change.change === kind).length;
  return (
    <details>
      <summary>
        v{diff.data.from} → v{diff.data.to}: {count('added')} {t.admin.added}, {count('removed')} {t.admin.removed}, {count('changed')} {t.admin.changed}
      </summary>
      <ul className="small">
        {diff.data.changes.slice(0, 100).map((change) => (
          <li key={`${change.change}:${change.code}`}>{change.change} <code>{change.code}</code></li>
        ))}
      </ul>
    </details>
  );
};

const ControlLists = () => {
  const versions = useFetch<{ items: ControlListVersion[] }>('/control-lists');
  const latest = new Map<string, ControlListVersion>();
  for (const version of versions.data?.items ?? []) {
    const current = latest.get(version.listId);
    if (!current || version.version > current.version) latest.set(version.listId, version);
  }
  return (
    <section className="card" aria-labelledby="control-lists-title">
      <h2 id="control-lists-title">{t.admin.controlLists}</h2>
      <Unavailable error={versions.error} missing={versions.missing} />
      {versions.data && (
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{t.screening.list}</th>
              <th scope="col">{t.admin.version}</th>
              <th scope="col">{t.admin.loaded}</th>
              <th scope="col">{t.admin.entries}</th>
              <th scope="col">{t.admin.lastDiff}</th>
            </tr>
          </thead>
          <tbody>
            {[...latest.values()].map((version) => (
              <tr key={version.listId}>
                <td>{version.name} <span className="muted small">{version.source}</span></td>
                <td>v{version.version}</td>
                <td>{version.importedAt} · {version.importedBy}</td>
                <td>{version.entryCount}</td>
                <td><ControlListDiffSummary listId={version.listId} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
};

const RuleWeights = () => {
  const rules = useFetch<Rules>('/risk/rules');
  const [text, setText] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    if (rules.data) setText(JSON.stringify(rules.data, null, 2));
  }, [rules.data]);
  const save = async () => {
    setMessage(null);
    try {
      await request('PUT', '/risk/rules', JSON.parse(text) as unknown);
      setMessage(t.admin.saved);
      rules.reload();
    } catch (caught) {
      setMessage(caught instanceof ApiError ? [caught.message, ...(caught.problem.errors ?? []).map((issue) => `${issue.path}: ${issue.message}`)].join(' — ') : String(caught));
    }
  };
  return (
    <section className="card" aria-labelledby="rules-title">
      <h2 id="rules-title">{t.admin.rules}</h2>
      <Unavailable error={rules.error} missing={rules.missing} />
      {rules.data && (
        <>
          <Evidence evidence={rules.data} />
          <label htmlFor="rules-json">{t.admin.rules}</label>
          <textarea id="rules-json" className="code" rows={12} value={text} onChange={(event) => setText(event.target.value)} />
          <button type="button" className="primary" onClick={() => void save()}>{t.admin.save}</button>
          {message && <p role="status">{message}</p>}
        </>
      )}
    </section>
  );
};

export const AdminPage = () => (
  <section aria-labelledby="admin-title" className="admin">
    <h1 id="admin-title">{t.admin.title}</h1>
    <Users />
    <Lists />
    <ControlLists />
    <RuleWeights />
  </section>
);
