// A select over a fixed list of options, typed by their values, bare or labelled as a Field.
import type { ReactNode } from 'react';
import { Field } from './field.js';
import type { FieldControlProps } from './field.js';

export interface Option<V extends string> {
  readonly value: V;
  readonly label: string;
}

interface SelectProps<V extends string> extends FieldControlProps {
  readonly value: V;
  readonly options: readonly Option<V>[];
  readonly onChange: (value: V) => void;
  readonly disabled?: boolean;
}

export function Select<V extends string>({ value, options, onChange, ...control }: SelectProps<V>) {
  return (
    <select
      {...control}
      value={value}
      onChange={(event) => {
        const chosen = options.find((option) => option.value === event.target.value);
        if (chosen) onChange(chosen.value);
      }}
    >
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
}

interface SelectFieldProps<V extends string> extends Omit<SelectProps<V>, keyof FieldControlProps> {
  readonly id: string;
  readonly label: ReactNode;
  /** Added to `field`, e.g. `field-inline`. */
  readonly className?: string;
}

export function SelectField<V extends string>({ id, label, className, ...select }: SelectFieldProps<V>) {
  return (
    <Field id={id} label={label} {...(className ? { className } : {})}>
      {(control) => <Select {...control} {...select} />}
    </Field>
  );
}
