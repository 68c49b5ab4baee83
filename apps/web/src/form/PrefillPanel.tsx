/**
 * Values of the park's other forms offered to this one (manifest `prefill`): which field, the
 * value, where it comes from. Empty fields are ticked, fields the applicant filled differently
 * are not (replacing them is the applicant's choice); nothing is written until 填入所选.
 */
import { useMemo, useState } from 'react';
import { Button, Checkbox, Space } from 'antd';
import type { PrefillOffer } from '../lib/prefill';
import { Panel } from './Panel';

export function PrefillPanel({ offers, onAccept, onDismiss }: { offers: PrefillOffer[]; onAccept: (chosen: PrefillOffer[]) => void; onDismiss: () => void }) {
  const [chosen, setChosen] = useState(() => new Set(offers.filter((o) => o.kind === 'fill').map((o) => o.field)));
  const sources = useMemo(() => [...new Set(offers.map((o) => o.sourceTitle))].join('、'), [offers]);
  const toggle = (field: string, on: boolean) =>
    setChosen((s) => {
      const n = new Set(s);
      if (on) n.add(field);
      else n.delete(field);
      return n;
    });
  if (offers.length === 0) return null;
  return (
    <Panel small title="可从其他表预填" data-testid="prefill">
      <div className="yp-prefill-intro">
        以下数据取自{sources}中本园区的记录。勾选后点“填入所选”才会写入本表；已填写的项只有勾选后才会被替换。
      </div>
      <div className="yp-prefill-list">
        {offers.map((o) => (
          <label key={o.field} className="yp-prefill-item" data-prefill-field={o.field} data-prefill-kind={o.kind}>
            <Checkbox checked={chosen.has(o.field)} onChange={(e) => toggle(o.field, e.target.checked)} />
            <span>
              <strong>{o.label}</strong>：{o.valueText}
              {o.kind === 'replace' ? <span className="yp-t-danger">（本表现为 {o.currentText}，勾选则替换）</span> : null}
              <br />
              <span className="yp-t-secondary">
                来源：{o.sourceTitle}“{o.sourceLabel}”
              </span>
            </span>
          </label>
        ))}
      </div>
      <Space style={{ marginTop: 8 }}>
        <Button type="primary" size="small" disabled={chosen.size === 0} onClick={() => onAccept(offers.filter((o) => chosen.has(o.field)))} data-testid="prefill-accept">
          填入所选（{chosen.size} 项）
        </Button>
        <Button size="small" onClick={onDismiss} data-testid="prefill-dismiss">
          暂不填入
        </Button>
      </Space>
    </Panel>
  );
}
