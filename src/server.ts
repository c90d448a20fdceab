/**
 * `flowchat serve`: connect, migrate, make sure an admin exists, start the background workers,
 * listen; on SIGTERM or SIGINT stop accepting, let in-flight work finish, and exit within 10 s.
 */
import type { Config } from './config/env.js';
import { connect } from './db/connection.js';
import { migrateUp } from './db/migrator.js';
import { compose } from './compose.js';
import type { AppContext } from './app-context.js';
import { buildApp, type App } from './http/app.js';
import { ensureFirstAdmin } from './auth/bootstrap.service.js';
import type { Logger } from './shared/logger.js';

export interface RunningServer {
  readonly ctx: AppContext;
  readonly app: App;
  readonly url: string;
  stop(): Promise<void>;
}

const STOP_DEADLINE_MS = 9_000;

export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const database = await connect({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, pool: config.pool, logger });
  try {
    const applied = await migrateUp(database.db);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    await ensureFirstAdmin(database.db, config, logger);
  } catch (error) {
    await database.close();
    throw error;
  }
  const ctx = await compose(config, logger, database);
  const app = await buildApp(ctx);
  const url = await app.listen({ port: config.port, host: config.host });
  for (const worker of ctx.workers) worker.start();
  logger.info({ url, engine: database.engine }, 'FlowChat is listening');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await app.close();
      await Promise.all(ctx.workers.map((worker) => worker.stop()));
      await database.close();
    })();
    return stopping;
  };
  return { ctx, app, url, stop };
}

/** Stops on the first SIGTERM or SIGINT, forcing an exit if the graceful stop overruns. */
export function stopOnSignals(server: RunningServer, logger: Logger): void {
  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'stopping');
    const deadline = setTimeout(() => {
      logger.error('graceful stop took too long; exiting');
      process.exit(1);
    }, STOP_DEADLINE_MS);
    deadline.unref();
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
