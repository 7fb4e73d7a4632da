import { EventEmitter } from 'node:events';

/** What the live views (map, queue) are told about. Published only after the change has committed. */
export interface LiveUpdate {
  topic: 'movement' | 'alert' | 'position' | 'case';
  /** The movement, alert or case the update concerns. */
  id: string;
  data: Record<string, unknown>;
}

/**
 * In-process fan-out from the services to live HTTP streams. Listeners that throw are cut off rather
 * than allowed to break the publisher; a lost live update is repaired by the client's next fetch.
 */
export class Notifier {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(update: LiveUpdate): void {
    for (const listener of this.emitter.listeners('update') as ((update: LiveUpdate) => void)[]) {
      try {
        listener(update);
      } catch {
        this.emitter.off('update', listener);
      }
    }
  }

  subscribe(listener: (update: LiveUpdate) => void): () => void {
    this.emitter.on('update', listener);
    return () => this.emitter.off('update', listener);
  }
}
