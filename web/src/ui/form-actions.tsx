// A form's button row: an optional way back, then the submit button.
import type { ReactNode } from 'react';

interface FormActionsProps {
  readonly submit: ReactNode;
  readonly disabled?: boolean;
  /** A button before the submit one that leaves the form, e.g. Cancel or Back. */
  readonly cancel?: { readonly label: string; readonly onClick: () => void } | undefined;
  /** Spans the whole row of a `form-grid`. */
  readonly wide?: boolean;
  /** Shown before the buttons, e.g. a "Saved" status. */
  readonly children?: ReactNode;
}

export function FormActions({ submit, disabled, cancel, wide, children }: FormActionsProps) {
  return (
    <div className={wide ? 'actions field-wide' : 'actions'}>
      {children}
      {cancel ? (
        <button type="button" onClick={cancel.onClick}>
          {cancel.label}
        </button>
      ) : null}
      <button type="submit" className="primary" disabled={disabled}>
        {submit}
      </button>
    </div>
  );
}
