import type { Submission } from '@yuanping/storage';


/**
 * The rows of drafts as this process last saved them (or created them), by id: an autosave's
 * If-Match names that version, and a version's row never changes (every change makes a new
 * version), so a save from it needs no read. Bounded by count and by size (the request bodies).
 */
export class DraftSnapshots {
  private readonly rows = new Map<string, { s: Submission; bytes: number }>();
  private bytes = 0;
  constructor(
    private readonly maxEntries = 5_000,
    private readonly maxBytes = 32 * 1024 * 1024,
  ) {}
  get(id: string): Submission | null {
    return this.rows.get(id)?.s ?? null;
  }
  set(s: Submission, bytes: number): void {
    this.delete(s.id);
    if (!(bytes > 0) || bytes > this.maxBytes / 64) return;
    this.rows.set(s.id, { s, bytes });
    this.bytes += bytes;
    while (this.rows.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.rows.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
  }
  delete(id: string): void {
    const e = this.rows.get(id);
    if (!e) return;
    this.rows.delete(id);
    this.bytes -= e.bytes;
  }
}
