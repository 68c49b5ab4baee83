/** Quota use as one compact table (city × notice quota, used/limit), for the homes and the review queue. */
import { useMemo } from 'react';
import { Card, Typography } from 'antd';
import type { QuotaCard } from '../lib/home';

/** Quota use as one compact table: a row per city, a column per notice's quota, used/limit in each cell. */
export function QuotaTable({ quotas, testId = 'quota-table' }: { quotas: QuotaCard[]; testId?: string }) {
  const cities = useMemo(() => {
    const m = new Map<string, string>();
    for (const q of quotas) for (const r of q.rows) m.set(r.orgCode, r.orgName);
    return [...m.entries()];
  }, [quotas]);
  if (quotas.length === 0) return null;
  return (
    <Card size="small" title="推荐名额使用（已用/上限）" data-testid={testId}>
      <div style={{ overflowX: 'auto' }} tabIndex={0} role="region" aria-label="推荐名额（可左右滚动）">
        <table className="yp-quota-table">
          <thead>
            <tr>
              <th scope="col">地区</th>
              {quotas.map((q) => (
                <th key={`${q.packId}/${q.quotaId}`} scope="col" title={q.packTitle}>
                  {q.packTitle.length > 16 ? `${q.packTitle.slice(0, 16)}…` : q.packTitle}
                  <br />
                  <Typography.Text type="secondary">{q.label}</Typography.Text>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {cities.map(([code, name]) => (
              <tr key={code} data-org={code}>
                <th scope="row">{name}</th>
                {quotas.map((q) => {
                  const r = q.rows.find((x) => x.orgCode === code);
                  return (
                    <td key={`${q.packId}/${q.quotaId}`} className={r && r.used >= r.limit ? 'yp-full' : ''}>
                      {r ? `${r.used}/${r.limit}` : '—'}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

