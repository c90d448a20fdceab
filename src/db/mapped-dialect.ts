/**
 * Kysely's PostgreSQL dialect with one addition: every error a query raises passes through
 * `mapDatabaseError`. This is how errors are mapped "in one place" for every query path.
 */
import {
  PostgresDialect,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type PostgresDialectConfig,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { mapDatabaseError } from './error-mapping.js';

class MappedConnection implements DatabaseConnection {
  constructor(readonly inner: DatabaseConnection) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await this.inner.executeQuery<R>(query);
    } catch (error) {
      throw mapDatabaseError(error);
    }
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(query, chunkSize);
    } catch (error) {
      throw mapDatabaseError(error);
    }
  }
}

function inner(connection: DatabaseConnection): DatabaseConnection {
  return connection instanceof MappedConnection ? connection.inner : connection;
}

class MappedDriver implements Driver {
  constructor(private readonly driver: Driver) {}

  async init(): Promise<void> {
    try {
      await this.driver.init();
    } catch (error) {
      throw mapDatabaseError(error);
    }
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    try {
      return new MappedConnection(await this.driver.acquireConnection());
    } catch (error) {
      throw mapDatabaseError(error);
    }
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.driver.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.driver.commitTransaction(connection);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    // The driver's own connection: a failed rollback (the connection died) marks it for discard,
    // which it cannot do on the wrapper; the error is then an outage like any other.
    try {
      await this.driver.rollbackTransaction(inner(connection));
    } catch (error) {
      throw mapDatabaseError(error);
    }
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.driver.savepoint?.(connection, name, compile);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.driver.rollbackToSavepoint?.(connection, name, compile);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.driver.releaseSavepoint?.(connection, name, compile);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.driver.releaseConnection(inner(connection));
  }

  destroy(): Promise<void> {
    return this.driver.destroy();
  }
}

export class MappedPostgresDialect extends PostgresDialect implements Dialect {
  constructor(config: PostgresDialectConfig) {
    super(config);
  }

  override createDriver(): Driver {
    return new MappedDriver(super.createDriver());
  }
}
