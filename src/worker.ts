/** A background loop (sender, dispatcher, …): started after migrations, stopped before the pool closes. */
export interface Worker {
  readonly name: string;
  start(): void;
  /** Finishes in-flight work and resolves; new work is no longer taken. */
  stop(): Promise<void>;
}
