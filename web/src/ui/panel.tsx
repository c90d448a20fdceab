// A titled section of a screen (a landmark named by its heading), with an optional hint under the title.
import type { ReactNode } from 'react';

interface PanelProps {
  /** The heading's id, which names the section. */
  readonly titleId: string;
  readonly title: ReactNode;
  readonly hint?: ReactNode;
  readonly children: ReactNode;
}

export function Panel({ titleId, title, hint, children }: PanelProps) {
  return (
    <section aria-labelledby={titleId} className="stack">
      <h2 id={titleId}>{title}</h2>
      {hint ? <p className="hint">{hint}</p> : null}
      {children}
    </section>
  );
}
