/**
 * Notifications: stored in the database (one truth for every server process), then handed to an
 * outbound channel (SMS, e-mail, a 政务钉钉 robot webhook …) behind one interface. The default
 * channel only logs. Delivery happens after the change that caused the notification committed;
 * a channel that fails is logged and never undoes the change.
 */
import type { NewNotification, Notification, NotificationAudience, Storage, User } from '@yuanping/storage';

/** Where notifications go besides the in-app bell. */
export interface OutboundChannel {
  readonly name: string;
  send(n: Notification): Promise<void>;
}

export interface NotifyLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** The default channel: one log line per notification (what an SMS or e-mail gateway would be given). */
export function loggingChannel(log: NotifyLog): OutboundChannel {
  return {
    name: 'log',
    async send(n) {
      log.info({ notification: n.id, kind: n.kind, parkId: n.parkId, orgCode: n.orgCode, title: n.title }, 'notification');
    },
  };
}

/**
 * A 政务钉钉 (DingTalk) robot webhook: the notification as a text message
 * (`{ msgtype: 'text', text: { content } }`, the robot's documented format). `YUANPING_NOTIFY_WEBHOOK`.
 */
export function webhookChannel(url: string, fetchFn: typeof fetch = fetch): OutboundChannel {
  return {
    name: 'webhook',
    async send(n) {
      const content = [n.title, n.body].filter(Boolean).join('\n');
      const r = await fetchFn(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ msgtype: 'text', text: { content } }) });
      if (!r.ok) throw new Error(`webhook answered ${r.status}`);
    },
  };
}

/** Stores notifications inside the caller's transaction and delivers them outbound after it. */
export class Notifier {
  constructor(
    private readonly channel: OutboundChannel,
    private readonly log: NotifyLog,
  ) {}

  /**
   * Dedupe keys this process knows are stored (a stored notification is never deleted), so that the
   * bell's polling does not write the same deadline reminder again and again; bounded.
   */
  private readonly stored = new Set<string>();

  /** Stores the rows (those whose dedupe key exists already are skipped); returns the rows added. */
  async add(t: Storage, rows: NewNotification[]): Promise<Notification[]> {
    const fresh = rows.filter((r) => !r.dedupeKey || !this.stored.has(r.dedupeKey));
    if (fresh.length === 0) return [];
    return t.addNotifications(fresh);
  }

  /** After the transaction that added them committed: these dedupe keys are stored for good. */
  remember(rows: NewNotification[]): void {
    if (this.stored.size > 50_000) this.stored.clear();
    for (const r of rows) if (r.dedupeKey) this.stored.add(r.dedupeKey);
  }

  /** Hands committed notifications to the outbound channel; failures are logged, not thrown. */
  deliver(rows: Notification[]): Promise<void> {
    return Promise.all(
      rows.map((n) =>
        this.channel.send(n).catch((err: unknown) => {
          this.log.error({ err, notification: n.id, channel: this.channel.name }, 'notification delivery failed');
        }),
      ),
    ).then(() => undefined);
  }
}

/** Whose notifications `u` reads: an applicant its park's, a reviewer its org unit's; an administrator none. */
export function audienceOf(u: User): NotificationAudience | null {
  if (u.role === 'applicant') return u.parkId ? { parkId: u.parkId } : null;
  if (u.role === 'admin') return null;
  return u.orgCode ? { orgCode: u.orgCode } : null;
}
