/**
 * The result document of one decided application (issue 16, item 7), on one A4 page of the print
 * pipeline (print.css: the same page frame as the bound application): the notice, the park, the
 * result, the decision date and the 公示 period. 打印 / 另存为 PDF prints it (the browser's PDF).
 */
import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Button, Spin } from 'antd';
import { ApiFailure } from '../lib/api';
import { getResultDocument, type ResultDocument } from '../lib/results';
import { Link } from '../lib/router';
import './print.css';

function Line({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="yp-r" style={{ gridTemplateColumns: '34% minmax(0, 1fr)' }}>
      <div className="yp-label">{label}</div>
      <div className="yp-c" data-testid={testId}>
        {children}
      </div>
    </div>
  );
}

export default function ResultDocumentPage({ id }: { id: string }) {
  const [doc, setDoc] = useState<ResultDocument | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    getResultDocument(id).then(setDoc, (e: unknown) => setError(e instanceof ApiFailure ? e.message : '加载失败'));
  }, [id]);
  if (error) return <Alert type="error" showIcon message={error} action={<Link to={`/submissions/${id}`}>返回申报</Link>} />;
  if (!doc) return <Spin style={{ margin: 48 }} />;
  return (
    <main className="yp-print" data-print-ready="true" data-pages="1">
      <div className="yp-print-toolbar">
        <span className="yp-print-status">评定结果文书，共 1 页</span>
        <Link to={`/submissions/${id}`}>返回申报</Link>
        <Button type="primary" onClick={() => window.print()} data-testid="print">
          打印 / 另存为 PDF
        </Button>
      </div>
      <div className="yp-page" data-testid="result-document">
        <div className="yp-page-body">
          <div className="yp-sheet-head">
            <h1>评定结果告知书</h1>
            <div className="yp-sub">
              {doc.issuer}
              {doc.documentNumber ? ` ${doc.documentNumber}` : ''}
            </div>
          </div>
          <p className="yp-outline-p">
            {doc.park?.name ?? '贵园区'}：根据《{doc.packTitle}》，你园区报送的{doc.formTitle}已完成县级审核、市级审核推荐和省级评定，评定结果如下。
          </p>
          <div className="yp-result-table">
            <div className="yp-r yp-first" style={{ gridTemplateColumns: '34% minmax(0, 1fr)' }}>
              <div className="yp-label">园区</div>
              <div className="yp-c">{doc.park?.name ?? '—'}</div>
            </div>
            <Line label="统一社会信用代码">{doc.park?.creditCode ?? '—'}</Line>
            <Line label="所在地区">
              {doc.cityLabel} {doc.countyLabel}
            </Line>
            <Line label="通知">《{doc.packTitle}》</Line>
            <Line label="评定结果" testId="doc-result">
              <strong>{doc.result?.text ?? doc.statusLabel}</strong>
            </Line>
            {doc.outcomes.length > 1 ? <Line label="各项结论">{doc.outcomes.join('；')}</Line> : null}
            <Line label="评定日期">{doc.decidedAt ?? '—'}</Line>
            <Line label="评定意见">{doc.decisionComment ?? '（无）'}</Line>
            <Line label="结果公示">{doc.publication ? `${doc.publication.title}，公示期 ${doc.publication.startsOn} 至 ${doc.publication.endsOn}` : '尚未公示'}</Line>
          </div>
          <div className="yp-signature">
            <div>
              打印日期：{doc.printedOn}
              <br />
              本文书由园评系统根据评定记录生成，以主管部门正式发文为准。
            </div>
          </div>
        </div>
        <div className="yp-foot">第 1 页 共 1 页</div>
      </div>
    </main>
  );
}
