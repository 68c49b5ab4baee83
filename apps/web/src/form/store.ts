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

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One key of a store as a store of its own (a form of a whole application: `{ [formId]: formData }`). */
export function subStore(parent: DataStore, key: string): DataStore {
  let seen: Json | null = null;
  let part: Json = {};
  const get = (): Json => {
    const p = parent.get();
    if (p !== seen) {
      seen = p;
      const v = p[key];
      part = isObj(v) ? v : {};
    }
    return part;
  };
  return {
    get,
    set(next, origin) {
      if (next === get()) return;
      parent.set({ ...parent.get(), [key]: next }, origin);
    },
    subscribe: (listener) => parent.subscribe(listener),
  };
}
