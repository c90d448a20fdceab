// A labelled text input: a Field holding an <input> whose change hands on the new text.
import type { InputHTMLAttributes, ReactNode } from 'react';
import { Field } from './field.js';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange' | 'className'>;

interface TextFieldProps extends InputProps {
  readonly id: string;
  readonly label: ReactNode;
  readonly value: string;
  readonly onChange: (value: string) => void;
  /** Shown under the input, which is then marked invalid. */
  readonly error?: string | undefined;
  /** Added to `field`, e.g. `field-wide`. */
  readonly className?: string;
}

export function TextField({ id, label, value, onChange, error, className, ...input }: TextFieldProps) {
  return (
    <Field id={id} label={label} error={error} {...(className ? { className } : {})}>
      {(control) => <input {...input} {...control} value={value} onChange={(event) => onChange(event.target.value)} />}
    </Field>
  );
}
