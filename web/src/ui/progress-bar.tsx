interface ProgressBarProps {
  readonly label: string;
  /** 0 to `max`; undefined shows an indeterminate bar. */
  readonly value: number | undefined;
  readonly max?: number;
  readonly valueText?: string;
}

/** A labelled progressbar that assistive technology reads with its value. */
export function ProgressBar({ label, value, max = 100, valueText }: ProgressBarProps) {
  const percent = value === undefined || max <= 0 ? undefined : Math.min(100, (value / max) * 100);
  return (
    <div
      className={percent === undefined ? 'progress progress-indeterminate' : 'progress'}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
      aria-valuetext={valueText}
    >
      <div className="progress-fill" style={{ width: percent === undefined ? undefined : `${percent}%` }} />
    </div>
  );
}
