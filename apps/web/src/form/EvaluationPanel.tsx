/* eslint-disable no-irregular-whitespace -- the full-width space (U+3000) is ordinary Chinese typography */
/**
 * What the data reach now, per rule set of the pack: the level / eligibility / score and,
 * for the next level, every missed criterion with the actual and the required value.
 *
 * Rendered on every keystroke of the application form: each part is memoized on what it
 * shows (its text), so a keystroke re-renders only the lines whose text changed, and the
 * lines are plain elements (no antd component per line).
 */
import { memo, type ReactNode } from 'react';
import { Alert, Empty } from 'antd';
import type { Check, CriterionResult, Evaluation } from '@yuanping/core/browser';
import './panels.css';

/** Core writes the requirement with its comparison ("≥ 50 家", "属于 A、B、C"). */
export function requiredOf(c: Check): string {
  return c.requiredText;
}

/** Memoized on a signature of what it shows (the text of its part of the evaluation). */
function bySig<P extends { sig: string }>(render: (p: P) => ReactNode) {
  return memo(render, (a, b) => a.sig === b.sig);
}

const Line = bySig(function Line({ c }: { sig: string; c: Check }) {
  return (
    <div className="yp-check" data-passed={c.passed ? 'true' : 'false'}>
      <span className={c.passed ? 'yp-t-success' : 'yp-t-danger'}>{c.passed ? '✓' : '✗'} </span>
      <strong>{c.label}</strong>
      <span>
        ：实际 <b>{c.actualText}</b>，要求 <b>{requiredOf(c)}</b>
      </span>
      {c.clause ? <span className="yp-t-secondary">（{c.clause}）</span> : null}
    </div>
  );
});

const checkSig = (c: Check) => `${c.passed ? 1 : 0}\u0001${c.label}\u0001${c.actualText}\u0001${c.requiredText}\u0001${c.clause ?? ''}`;

export function CheckLine({ c }: { c: Check }) {
  return <Line sig={checkSig(c)} c={c} />;
}

const MissingItem = bySig(function MissingItem({ r }: { sig: string; r: CriterionResult }) {
  return (
    <div className="yp-list-item">
      <div>
        <strong>{r.indicator ?? r.label}</strong>
        {r.clause ? <span className="yp-t-secondary">　{r.clause}</span> : null}
      </div>
      {r.checks
        .filter((c) => !c.passed)
        .map((c, i) => (
          <CheckLine key={i} c={c} />
        ))}
    </div>
  );
});

function Missing({ items }: { items: CriterionResult[] }) {
  return (
    <div className="yp-list">
      {items.map((r) => (
        <MissingItem key={r.rule} sig={`${r.indicator ?? r.label}\u0002${r.clause ?? ''}\u0002${r.checks.filter((c) => !c.passed).map(checkSig).join('\u0002')}`} r={r} />
      ))}
    </div>
  );
}

type LevelOutcomeT = Extract<Evaluation['outcome'], { kind: 'level' }>;

const LevelHead = bySig(function LevelHead({ o }: { sig: string; o: LevelOutcomeT }) {
  return (
    <>
      <div className="yp-outcome" data-outcome-level={o.level ?? ''}>
        当前达到：<span className={`yp-tag yp-tag-big ${o.level ? 'yp-tag-green' : ''}`}>{o.label}</span>
      </div>
      <div className="yp-tags">
        {o.levels.map((l) => (
          <span key={l.id} className={`yp-tag ${l.holds ? 'yp-tag-green' : ''}`}>
            {l.label}
            {l.holds ? ' ✓' : ''}
          </span>
        ))}
      </div>
    </>
  );
});

const Requested = bySig(function Requested({ o }: { sig: string; o: LevelOutcomeT }) {
  const r = o.requested;
  if (!r) return null;
  return (
    <div className={`yp-note ${r.reached ? 'yp-note-success' : 'yp-note-warning'}`} role="status">
      <div className="yp-note-title">
        {r.reached ? '✓' : '!'} 申请 {r.label}：{r.reached ? '已达到' : '尚未达到'}
      </div>
      {!r.reached && o.next?.level !== r.level && r.missing.length ? <Missing items={r.missing} /> : null}
    </div>
  );
});

function Outcome({ ev }: { ev: Evaluation }) {
  const o = ev.outcome;
  if (o.kind === 'level') {
    const req = o.requested;
    return (
      <div className="yp-stack">
        <LevelHead sig={`${o.level ?? ''}\u0001${o.label}\u0001${o.levels.map((l) => `${l.id}:${l.label}:${l.holds ? 1 : 0}`).join(',')}`} o={o} />
        {req ? (
          <Requested
            sig={`${req.level}\u0001${req.label}\u0001${req.reached ? 1 : 0}\u0001${o.next?.level ?? ''}\u0001${req.reached || o.next?.level === req.level ? '' : JSON.stringify(req.missing.map((m) => [m.rule, m.indicator ?? m.label, m.checks.map(checkSig)]))}`}
            o={o}
          />
        ) : null}
        {o.next ? (
          <div className="yp-next">
            <strong>距{o.next.label}还差：</strong>
            <Missing items={o.next.missing} />
          </div>
        ) : o.level ? (
          <span className="yp-t-success">已达到最高等级</span>
        ) : null}
      </div>
    );
  }
  if (o.kind === 'eligibility') {
    return (
      <div className="yp-stack">
        <div className="yp-outcome">
          <span className={`yp-tag yp-tag-big ${o.eligible ? 'yp-tag-green' : 'yp-tag-red'}`}>{o.label}</span>
        </div>
        {o.failed.length ? (
          <>
            <strong>未满足的条件：</strong>
            <Missing items={o.failed} />
          </>
        ) : null}
      </div>
    );
  }
  return (
    <div className="yp-stack">
      <div className="yp-outcome">
        合计：<span className="yp-tag yp-tag-big yp-tag-blue">{o.label}</span>
        <span className="yp-t-secondary">（按{o.basis === 'reviewer' ? '审核评分' : '自评分'}计）</span>
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
      {o.items.some((i) => i.capped) ? <Alert type="warning" showIcon message={`有 ${o.items.filter((i) => i.capped).length} 项自评分超过该项满分，已按满分计`} /> : null}
    </div>
  );
}

const Fired = bySig(function Fired({ type, items }: { sig: string; type: 'error' | 'warning'; items: CriterionResult[] }) {
  if (!items.length) return null;
  return (
    <Alert
      type={type}
      showIcon
      message={type === 'error' ? '不符合申报条件' : '提醒'}
      description={items.map((e) => (
        <div key={e.rule}>{e.message ?? e.label}</div>
      ))}
    />
  );
});

const Derived = bySig(function Derived({ ev }: { sig: string; ev: Evaluation }) {
  const derived = Object.entries(ev.derived ?? {});
  if (!derived.length) return null;
  return (
    <div>
      <strong>计算指标</strong>
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
  );
});

const firedSig = (items: CriterionResult[]) => items.map((e) => `${e.rule}:${e.message ?? e.label}`).join('\u0001');

export function EvaluationView({ ev }: { ev: Evaluation }) {
  return (
    <div className="yp-stack">
      <Outcome ev={ev} />
      <Fired sig={firedSig(ev.errors)} type="error" items={ev.errors} />
      <Fired sig={firedSig(ev.warnings)} type="warning" items={ev.warnings} />
      <Derived sig={JSON.stringify(ev.derived ?? {})} ev={ev} />
    </div>
  );
}

/** A small card (antd's look, plain elements: it re-renders with every keystroke). */
function RuleSetCard({ id, ev, error }: { id: string; ev: Evaluation | null; error?: string | undefined }) {
  return (
    <div className="yp-card" data-ruleset={id}>
      <div className="yp-card-head">{ev?.title ?? id}</div>
      <div className="yp-card-body">{ev ? <EvaluationView ev={ev} /> : <Alert type="error" message={`评价失败：${error ?? ''}`} />}</div>
    </div>
  );
}

export function EvaluationPanel({ results, ms }: { results: Array<{ id: string; ev: Evaluation | null; error?: string }>; ms?: number }) {
  if (results.length === 0) return <Empty description="本表没有评价规则" />;
  return (
    <div className="yp-stack yp-evaluation">
      {results.map((r) => (
        <RuleSetCard key={r.id} id={r.id} ev={r.ev} error={r.error} />
      ))}
      {ms !== undefined ? (
        // a figure for measurements (the e2e metrics read it), never shown to the user
        <span hidden data-eval-ms={ms.toFixed(2)} />
      ) : null}
    </div>
  );
}
