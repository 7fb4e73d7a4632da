import { useEffect, useRef, useState } from 'react';

export interface LiveEvent {
  topic: 'movement' | 'alert' | 'position' | 'case';
  id: string;
  data: Record<string, unknown> & { id: string };
}

type Listener = (event: LiveEvent) => void;

const listeners = new Set<Listener>();
let source: EventSource | null = null;
let status: 'connected' | 'reconnecting' = 'reconnecting';
const statusListeners = new Set<(value: typeof status) => void>();

const setStatus = (value: typeof status): void => {
  status = value;
  for (const listener of statusListeners) listener(value);
};

/** One EventSource for the whole page, opened while anything listens; EventSource reconnects by itself. */
const ensureSource = (): void => {
  if (source) return;
  source = new EventSource('/api/v1/stream', { withCredentials: true });
  source.onopen = () => setStatus('connected');
  source.onerror = () => setStatus('reconnecting');
  for (const topic of ['movement', 'alert', 'position', 'case'] as const) {
    source.addEventListener(topic, (message) => {
      const data = JSON.parse((message as MessageEvent<string>).data) as LiveEvent['data'];
      for (const listener of listeners) listener({ topic, id: data.id, data });
    });
  }
};

const release = (): void => {
  if (listeners.size === 0 && statusListeners.size === 0 && source) {
    source.close();
    source = null;
    setStatus('reconnecting');
  }
};

export const useLive = (listener: Listener): void => {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => {
    const forward: Listener = (event) => latest.current(event);
    listeners.add(forward);
    ensureSource();
    return () => {
      listeners.delete(forward);
      release();
    };
  }, []);
};

export const useLiveStatus = (): typeof status => {
  const [value, setValue] = useState(status);
  useEffect(() => {
    statusListeners.add(setValue);
    ensureSource();
    return () => {
      statusListeners.delete(setValue);
      release();
    };
  }, []);
  return value;
};
