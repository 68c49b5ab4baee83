/**
 * A form's data outside React state: the groups of a sectioned form write into it, and the
 * parts of the page that read it (the live evaluation, autosave) subscribe to it. A keystroke
 * then re-renders only the group it happened in and what reads the data, never the page.
 */
export type Json = Record<string, unknown>;

export interface DataStore {
  get(): Json;
  /** `origin`: who changed it — a group's id, 'prefill' (values the applicant accepted), or 'external' (a reload: nothing to save) */
  set(next: Json, origin?: string): void;
  subscribe(listener: (origin: string) => void): () => void;
}

export function createStore(initial: Json): DataStore {
  let data = initial;
  const listeners = new Set<(origin: string) => void>();
  return {
    get: () => data,
    set(next, origin = 'external') {
      if (next === data) return;
      data = next;
      for (const l of [...listeners]) l(origin);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
