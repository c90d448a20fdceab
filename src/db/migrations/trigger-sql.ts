/**
 * The SQL of the migrations' PL/pgSQL triggers, written once. PostgreSQL stores a function's body
 * as written, so the text returned here, down to its indentation, is part of migrations that have
 * run: change it and a fresh database would differ from an upgraded one. A new shape gets a new
 * function instead. The text is laid out for a statement that starts four spaces in.
 */

/**
 * A trigger function that runs `body` and returns NULL. `body` starts with a line break and is
 * indented six spaces, as it stands between `BEGIN` and `RETURN NULL`.
 *
 * @example
 * triggerFunction('flowchat_rows_gone', `
 *       DELETE FROM copies c USING old_rows o WHERE c.id = o.id;`)
 */
export function triggerFunction(name: string, body: string, options: { readonly replace?: boolean } = {}): string {
  return `${options.replace === true ? 'CREATE OR REPLACE' : 'CREATE'} FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN${body}
      RETURN NULL;
    END
    $fn$`;
}

export interface TransitionTrigger {
  readonly name: string;
  /** The name of the function it runs, created with it. */
  readonly fn: string;
  readonly after: 'INSERT' | 'DELETE';
  readonly on: string;
  /** Reads the statement's rows as `new_rows` (insert) or `old_rows` (delete). */
  readonly body: string;
}

/** A statement-level trigger with its function, that sees every row of the statement at once. */
export function transitionTrigger(trigger: TransitionTrigger): string {
  const rows = trigger.after === 'INSERT' ? 'NEW TABLE AS new_rows' : 'OLD TABLE AS old_rows';
  return `${triggerFunction(trigger.fn, trigger.body)};
    CREATE TRIGGER ${trigger.name} AFTER ${trigger.after} ON ${trigger.on}
      REFERENCING ${rows} FOR EACH STATEMENT EXECUTE FUNCTION ${trigger.fn}();`;
}
