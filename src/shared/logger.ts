/**
 * The process logger: pino, pretty in a terminal and JSON otherwise. Known secret-bearing fields
 * are redacted wherever they appear, so a careless `log.info(obj)` cannot leak them.
 */
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

const redactPaths = [
  'password', '*.password', 'token', '*.token', 'key', '*.key', 'secret', '*.secret',
  'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization',
  'req.headers.cookie', 'res.headers["set-cookie"]', 'accessToken', '*.accessToken',
  'appSecret', '*.appSecret', 'password_hash', '*.password_hash', 'params',
  'access_token', '*.access_token', 'app_secret', '*.app_secret', 'verify_token', '*.verify_token', 'verifyToken', '*.verifyToken',
];

export function createLogger(level = 'info', pretty = process.stdout.isTTY === true): Logger {
  return pino({
    level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l' } } } : {}),
  });
}

/** A logger that writes nothing, for tests and tools that print their own output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
