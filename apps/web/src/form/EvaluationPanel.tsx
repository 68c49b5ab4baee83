/* eslint-disable no-irregular-whitespace -- the full-width space (U+3000) is ordinary Chinese typography */
/**
 * What the data reach now, per rule set of the pack: the level / eligibility / score and,
 * for the next level, every missed criterion with the actual and the required value.
 */
import { Alert, Card, Empty, Space, Tag, Typography } from 'antd';
import type { Check, CriterionResult, Evaluation } from '@yuanping/core/browser';


/** Core writes the requirement with its comparison ("≥ 50 家", "属于 A、B、C"). */
export function requiredOf(c: Check): string {
  return c.requiredText;
}

export function CheckLine({ c }: { c: Check }) {
  return (
    <div className="yp-check" data-passed={c.passed ? 'true' : 'false'}>
      <Typography.Text type={c.passed ? 'success' : 'danger'}>{c.passed ? '✓' : '✗'} </Typography.Text>
      <Typography.Text strong>{c.label}</Typography.Text>
      <Typography.Text>
        ：实际 <b>{c.actualText}</b>，要求 <b>{requiredOf(c)}</b>
      </Typography.Text>
      {c.clause ? <Typography.Text type="secondary">（{c.clause}）</Typography.Text> : null}
    </div>
  );
}

function Missing({ items }: { items: CriterionResult[] }) {
  return (
    <div className="yp-list">
      {items.map((r) => (
        <div key={r.rule} className="yp-list-item">
          <div>
            <Typography.Text strong>{r.indicator ?? r.label}</Typography.Text>
            {r.clause ? <Typography.Text type="secondary">　{r.clause}</Typography.Text> : null}
          </div>
          {r.checks.filter((c) => !c.passed).map((c, i) => (
            <CheckLine key={i} c={c} />
          ))}
        </div>
      ))}
    </div>
  );
}

function Outcome({ ev }: { ev: Evaluation }) {
  const o = ev.outcome;
  if (o.kind === 'level') {
    return (
      <Space direction="vertical" style={{ width: '100%' }}>
        <div className="yp-outcome" data-outcome-level={o.level ?? ''}>
          当前达到：<Tag color={o.level ? 'green' : 'default'} style={{ fontSize: 16, padding: '2px 10px' }}>{o.label}</Tag>
        </div>
        <Space wrap>
          {o.levels.map((l) => (
            <Tag key={l.id} color={l.holds ? 'success' : 'default'}>
              {l.label}
              {l.holds ? ' ✓' : ''}
            </Tag>
          ))}
        </Space>
        {o.requested ? (
          <Alert
            type={o.requested.reached ? 'success' : 'warning'}
            showIcon
            message={`申请 ${o.requested.label}：${o.requested.reached ? '已达到' : '尚未达到'}`}
            {...(!o.requested.reached && o.next?.level !== o.requested.level && o.requested.missing.length ? { description: <Missing items={o.requested.missing} /> } : {})}
          />
        ) : null}
        {o.next ? (
          <div className="yp-next">
            <Typography.Text strong>距{o.next.label}还差：</Typography.Text>
            <Missing items={o.next.missing} />
          </div>
        ) : o.level ? (
          <Typography.Text type="success">已达到最高等级</Typography.Text>
        ) : null}
      </Space>
    );
  }
  if (o.kind === 'eligibility') {
    return (
      <Space direction="vertical" style={{ width: '100%' }}>
        <div className="yp-outcome">
          <Tag color={o.eligible ? 'green' : 'red'} style={{ fontSize: 16, padding: '2px 10px' }}>{o.label}</Tag>
        </div>
        {o.failed.length ? (
          <>
            <Typography.Text strong>未满足的条件：</Typography.Text>
            <Missing items={o.failed} />
          </>
        ) : null}
      </Space>
    );
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <div className="yp-outcome">
        合计：<Tag color="blue" style={{ fontSize: 16, padding: '2px 10px' }}>{o.label}</Tag>
        <Typography.Text type="secondary">（按{o.basis === 'reviewer' ? '审核评分' : '自评分'}计）</Typography.Text>
      </div>
      <table className="yp-kv">
        <tbody>
          {o.groupDetails.map((g) => (
            <tr key={g.id || g.label}>
              <th>{g.label}</th>
              <td>
                {g.score}
                {g.cap !== undefined ? ` / ${g.cap}` : ''}
                {g.cap !== undefined && g.raw > g.cap ? `（原始 ${g.raw}，按上限计）` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {o.items.some((i) => i.capped) ? (
        <Alert type="warning" showIcon message={`有 ${o.items.filter((i) => i.capped).length} 项自评分超过该项满分，已按满分计`} />
      ) : null}
    </Space>
  );
}

export function EvaluationView({ ev }: { ev: Evaluation }) {
  const derived = Object.entries(ev.derived ?? {});
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Outcome ev={ev} />
      {ev.errors.length ? (
        <Alert type="error" showIcon message="不符合申报条件" description={ev.errors.map((e) => <div key={e.rule}>{e.message ?? e.label}</div>)} />
      ) : null}
      {ev.warnings.length ? (
        <Alert type="warning" showIcon message="提醒" description={ev.warnings.map((e) => <div key={e.rule}>{e.message ?? e.label}</div>)} />
      ) : null}
      {derived.length ? (
        <div>
          <Typography.Text strong>计算指标</Typography.Text>
          <table className="yp-kv">
            <tbody>
              {derived.map(([k, d]) => (
                <tr key={k}>
                  <th>{d.label}</th>
                  <td>{d.value === undefined || d.value === null ? '无法计算（缺少数据）' : `${String(d.value)}${d.unit ? ` ${d.unit}` : ''}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Space>
  );
}

export function EvaluationPanel({ results, ms }: { results: Array<{ id: string; ev: Evaluation | null; error?: string }>; ms?: number }) {
  if (results.length === 0) return <Empty description="本表没有评价规则" />;
  return (
    <Space direction="vertical" style={{ width: '100%' }} className="yp-evaluation">
      {results.map((r) => (
        <Card key={r.id} size="small" title={r.ev?.title ?? r.id} data-ruleset={r.id}>
          {r.ev ? <EvaluationView ev={r.ev} /> : <Alert type="error" message={`评价失败：${r.error ?? ''}`} />}
        </Card>
      ))}
      {ms !== undefined ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-eval-ms={ms.toFixed(2)}>
          即时评价用时 {ms.toFixed(1)} 毫秒
        </Typography.Text>
      ) : null}
    </Space>
  );
}
