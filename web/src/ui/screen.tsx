// A top-level screen: its title (the page's one h1) with the screen's own actions beside it.
import type { ReactNode } from 'react';

interface ScreenProps {
  readonly title: ReactNode;
  /** Beside the title, e.g. a "New" button. */
  readonly actions?: ReactNode;
  /** Stacks the screen's parts with even gaps. */
  readonly stack?: boolean;
  readonly children: ReactNode;
}

export function Screen({ title, actions, stack, children }: ScreenProps) {
  return (
    <div className={stack ? 'screen stack' : 'screen'}>
      <header className="screen-header">
        <h1>{title}</h1>
        {actions}
      </header>
      {children}
    </div>
  );
}
