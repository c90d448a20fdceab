// A labelled form control, with its error tied to it for screen readers: one shape for every form.
import type { ReactNode } from 'react';

/** What a control needs to be named by the label and described by the error. */
export interface FieldControlProps {
  readonly id: string;
  readonly 'aria-invalid'?: true;
  readonly 'aria-describedby'?: string;
}

interface FieldProps {
  readonly id: string;
  readonly label: ReactNode;
  /** Shown under the control, which is then marked invalid. */
  readonly error?: string | undefined;
  /** Added to `field`, e.g. `field-wide` or `field-inline`. */
  readonly className?: string;
  /** The control: given the props that tie it to the label and the error. */
  readonly children: (control: FieldControlProps) => ReactNode;
}

export function Field({ id, label, error, className, children }: FieldProps) {
  const errorId = `${id}-error`;
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children(error ? { id, 'aria-invalid': true, 'aria-describedby': errorId } : { id })}
      {error ? (
        <p className="field-error" role="alert" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
