/**
 * A card of the application page (antd's Card look) as plain elements: antd's Card brings its
 * tabs, menus and skeletons along (some 30 KB of gzipped JavaScript the page would load before
 * its form), and these cards use none of them.
 */
import type { HTMLAttributes, ReactNode } from 'react';
import './panels.css';

export function Panel({ title, small, className, children, ...rest }: { title?: ReactNode; small?: boolean; children?: ReactNode } & Omit<HTMLAttributes<HTMLDivElement>, 'title'>) {
  return (
    <div className={`yp-card${small ? '' : ' yp-card-large'}${className ? ` ${className}` : ''}`} {...rest}>
      {title ? <div className="yp-card-head">{title}</div> : null}
      <div className="yp-card-body">{children}</div>
    </div>
  );
}
