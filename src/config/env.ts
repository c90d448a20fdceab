/**
 * The one place that reads `process.env`. Every variable of the contract is parsed here, and a bad
 * value stops the start with a `ConfigError` whose message names the variable.
 */
import { isIP } from 'node:net';
import { ConfigError } from '../shared/errors.js';

export interface WhatsAppCloudConfig {
  readonly accessToken: string;
  readonly phoneNumberId: string;
  readonly appSecret: string;
  readonly verifyToken: string;
}

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly adminEmail: string | undefined;
  readonly adminPassword: string | undefined;
  readonly defaultCountry: string | undefined;
  readonly whatsappApiUrl: string;
  /** Unset: the built-in sandbox channel. */
  readonly whatsapp: WhatsAppCloudConfig | undefined;
  /** Webhook secrets may be set in sandbox mode too, so a stand-in Cloud API can sign. */
  readonly whatsappAppSecret: string | undefined;
  readonly whatsappVerifyToken: string | undefined;
  readonly whatsappRateLimit: number;
  /** The WABA whose template catalogue is synced; unset: no catalogue (sends are not checked). */
  readonly whatsappBusinessAccountId: string | undefined;
  readonly dailyLimit: number | undefined;
  readonly pool: { readonly max: number; readonly idleTimeoutMillis: number; readonly connectionTimeoutMillis: number };
  readonly sessionTtlSeconds: number;
  readonly loginMaxFailures: number;
  readonly loginWindowSeconds: number;
  readonly importMaxBytes: number;
  readonly logLevel: string;
  /**
   * Proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed (addresses, CIDR ranges or
   * `loopback`, `linklocal`, `uniquelocal`). Anyone else could name any client address and dodge
   * the per-address login throttle. Empty: none.
   */
  readonly trustProxy: readonly string[];
  readonly optOutKeywords: readonly string[];
  readonly optInKeywords: readonly string[];
  /** Seconds an in-flight send waits for a status webhook before it is failed as `unknown_outcome`. */
  readonly unknownOutcomeGraceSeconds: number;
  /** A Cloud API call without an answer within this time has an unknown outcome. */
  readonly whatsappRequestTimeoutMs: number;
  /** Sandbox only: the wait between a message's simulated statuses (sent, delivered, read). */
  readonly sandboxStatusStepMs: number;
  /** How often an idle event stream gets a comment line (at most 15 s, for proxies). */
  readonly sseHeartbeatSeconds: number;
  readonly webhooks: WebhookDispatchConfig;
  /** FLOWCHAT_SECRET_KEY's bytes (channel secrets at rest); unset: see src/channels/secret-key.ts. */
  readonly secretKey: Buffer | undefined;
  readonly media: MediaConfig;
}

/** Media storage and the inbound download queue (src/media). The defaults are the contract's. */
export interface MediaConfig {
  /** The media folder (`FLOWCHAT_MEDIA_DIR`), also the spool for uploads when a bucket is used. */
  readonly dir: string;
  readonly s3: { readonly bucket: string; readonly endpoint: string | undefined; readonly region: string | undefined; readonly forcePathStyle: boolean } | undefined;
  /** The first retry of a failed download; each later wait doubles up to `retryMaxMs`. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** How long a download keeps being retried before its file is `failed`. */
  readonly retryWindowSeconds: number;
  /** How often each process looks for downloads, uploads and deletions queued by others. */
  readonly pollMs: number;
}

/** Outbound webhook delivery. The defaults are the contract's; tests shorten the times. */
export interface WebhookDispatchConfig {
  /** The first retry's wait; each later wait doubles (with jitter) up to `retryMaxMs`. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** How long a delivery keeps being retried before it is `failed`. */
  readonly retryWindowSeconds: number;
  /** A 2xx must arrive within this time. */
  readonly timeoutMs: number;
  /** How often each process looks for due deliveries written by other processes. */
  readonly pollMs: number;
  /** Requests in flight to one endpoint from one process. */
  readonly concurrencyPerEndpoint: number;
  /** Delivered and failed deliveries are kept this long for the deliveries list. */
  readonly retentionDays: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function value(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = value(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const parsed = Number(raw);
  if (parsed < min || parsed > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${raw}`);
  return parsed;
}

function url(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = value(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a valid URL`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got ${parsed.protocol}`);
  }
  return raw;
}

const proxyPresets = new Set(['loopback', 'linklocal', 'uniquelocal']);

function trustedProxies(env: Env): readonly string[] {
  const raw = value(env, 'FLOWCHAT_TRUST_PROXY');
  if (raw === undefined) return ['loopback'];
  if (raw === 'none') return [];
  const entries = raw.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  for (const entry of entries) {
    const [address = '', bits] = entry.split('/');
    if (proxyPresets.has(entry) || (isIP(address) !== 0 && (bits === undefined || /^\d{1,3}$/.test(bits)))) continue;
    throw new ConfigError(`FLOWCHAT_TRUST_PROXY must list addresses, CIDR ranges, loopback, linklocal or uniquelocal (or be none), got "${entry}"`);
  }
  return entries;
}

function keywords(env: Env, name: string, fallback: readonly string[]): readonly string[] {
  const raw = value(env, name);
  if (raw === undefined) return fallback;
  return raw.split(',').map((word) => word.trim().toUpperCase()).filter((word) => word !== '');
}

function businessAccountId(env: Env): string | undefined {
  const id = value(env, 'WHATSAPP_BUSINESS_ACCOUNT_ID');
  if (id !== undefined && !/^\d{1,32}$/.test(id)) throw new ConfigError('WHATSAPP_BUSINESS_ACCOUNT_ID must be the WABA id (digits only)');
  if (id !== undefined && value(env, 'WHATSAPP_ACCESS_TOKEN') === undefined) throw new ConfigError('WHATSAPP_BUSINESS_ACCOUNT_ID needs WHATSAPP_ACCESS_TOKEN');
  return id;
}

/** 32 or more bytes, written as hex or base64 (standard or URL-safe). */
function secretKey(env: Env): Buffer | undefined {
  const raw = value(env, 'FLOWCHAT_SECRET_KEY');
  if (raw === undefined) return undefined;
  const bytes = /^([0-9a-fA-F]{2})+$/.test(raw) ? Buffer.from(raw, 'hex') : /^[A-Za-z0-9+/_-]+={0,2}$/.test(raw) ? Buffer.from(raw, 'base64') : undefined;
  if (!bytes || bytes.length < 32) throw new ConfigError('FLOWCHAT_SECRET_KEY must be at least 32 random bytes, written as hex or base64');
  return bytes;
}

export function loadConfig(env: Env = process.env): Config {
  const accessToken = value(env, 'WHATSAPP_ACCESS_TOKEN');
  const phoneNumberId = value(env, 'WHATSAPP_PHONE_NUMBER_ID');
  const appSecret = value(env, 'WHATSAPP_APP_SECRET');
  const verifyToken = value(env, 'WHATSAPP_VERIFY_TOKEN');
  if (accessToken !== undefined) {
    if (phoneNumberId === undefined) throw new ConfigError('WHATSAPP_PHONE_NUMBER_ID is required with WHATSAPP_ACCESS_TOKEN');
    if (appSecret === undefined) throw new ConfigError('WHATSAPP_APP_SECRET is required with WHATSAPP_ACCESS_TOKEN');
    if (verifyToken === undefined) throw new ConfigError('WHATSAPP_VERIFY_TOKEN is required with WHATSAPP_ACCESS_TOKEN');
  }
  const country = value(env, 'FLOWCHAT_DEFAULT_COUNTRY');
  if (country !== undefined && !/^[A-Za-z]{2}$/.test(country)) {
    throw new ConfigError(`FLOWCHAT_DEFAULT_COUNTRY must be a two-letter ISO country code, got "${country}"`);
  }
  const adminEmail = value(env, 'FLOWCHAT_ADMIN_EMAIL');
  if (adminEmail !== undefined && !/^[^@\s]+@[^@\s]+$/.test(adminEmail)) {
    throw new ConfigError('FLOWCHAT_ADMIN_EMAIL is not an email address');
  }
  const adminPassword = value(env, 'FLOWCHAT_ADMIN_PASSWORD');
  if (adminPassword !== undefined && adminPassword.length < 10) {
    throw new ConfigError('FLOWCHAT_ADMIN_PASSWORD must have at least 10 characters');
  }
  const dailyLimitRaw = value(env, 'FLOWCHAT_DAILY_LIMIT');
  const dataDir = value(env, 'FLOWCHAT_DATA_DIR') ?? './data';
  const bucket = value(env, 'FLOWCHAT_S3_BUCKET');
  const forcePathStyle = value(env, 'FLOWCHAT_S3_FORCE_PATH_STYLE');
  if (forcePathStyle !== undefined && !/^(true|false|1|0)$/.test(forcePathStyle)) throw new ConfigError('FLOWCHAT_S3_FORCE_PATH_STYLE must be true or false');

  return Object.freeze({
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: value(env, 'HOST') ?? '127.0.0.1',
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    dataDir,
    adminEmail,
    adminPassword,
    defaultCountry: country?.toUpperCase(),
    whatsappApiUrl: (url(env, 'WHATSAPP_API_URL', ['http:', 'https:']) ?? 'https://graph.facebook.com/v25.0').replace(/\/+$/, ''),
    whatsapp:
      accessToken !== undefined && phoneNumberId !== undefined && appSecret !== undefined && verifyToken !== undefined
        ? Object.freeze({ accessToken, phoneNumberId, appSecret, verifyToken })
        : undefined,
    whatsappAppSecret: appSecret,
    whatsappVerifyToken: verifyToken,
    whatsappRateLimit: integer(env, 'WHATSAPP_RATE_LIMIT', 80, 1, 100_000),
    whatsappBusinessAccountId: businessAccountId(env),
    dailyLimit: dailyLimitRaw === undefined ? undefined : integer(env, 'FLOWCHAT_DAILY_LIMIT', 0, 1, 100_000_000),
    pool: Object.freeze({
      max: integer(env, 'DATABASE_POOL_MAX', 20, 1, 1000),
      idleTimeoutMillis: integer(env, 'DATABASE_POOL_IDLE_MS', 30_000, 0, 86_400_000),
      connectionTimeoutMillis: integer(env, 'DATABASE_CONNECT_TIMEOUT_MS', 2_000, 100, 600_000),
    }),
    sessionTtlSeconds: integer(env, 'FLOWCHAT_SESSION_TTL_SECONDS', 7 * 24 * 3600, 60, 365 * 24 * 3600),
    loginMaxFailures: integer(env, 'FLOWCHAT_LOGIN_MAX_FAILURES', 10, 1, 1_000_000),
    loginWindowSeconds: integer(env, 'FLOWCHAT_LOGIN_WINDOW_SECONDS', 15 * 60, 1, 86_400),
    importMaxBytes: integer(env, 'FLOWCHAT_IMPORT_MAX_BYTES', 50 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    logLevel: value(env, 'LOG_LEVEL') ?? 'info',
    trustProxy: trustedProxies(env),
    optOutKeywords: keywords(env, 'FLOWCHAT_OPT_OUT_KEYWORDS', ['STOP', 'UNSUBSCRIBE', 'PARAR', 'CANCELAR']),
    optInKeywords: keywords(env, 'FLOWCHAT_OPT_IN_KEYWORDS', ['START']),
    unknownOutcomeGraceSeconds: integer(env, 'FLOWCHAT_UNKNOWN_OUTCOME_GRACE_SECONDS', 600, 1, 7 * 86_400),
    whatsappRequestTimeoutMs: integer(env, 'WHATSAPP_REQUEST_TIMEOUT_MS', 15_000, 100, 120_000),
    sandboxStatusStepMs: integer(env, 'FLOWCHAT_SANDBOX_STATUS_STEP_MS', 1_500, 10, 60_000),
    sseHeartbeatSeconds: integer(env, 'FLOWCHAT_SSE_HEARTBEAT_SECONDS', 10, 1, 15),
    webhooks: Object.freeze({
      retryBaseMs: integer(env, 'FLOWCHAT_WEBHOOK_RETRY_BASE_MS', 2_000, 10, 5_000),
      retryMaxMs: integer(env, 'FLOWCHAT_WEBHOOK_RETRY_MAX_MS', 600_000, 10, 600_000),
      retryWindowSeconds: integer(env, 'FLOWCHAT_WEBHOOK_RETRY_WINDOW_SECONDS', 86_400, 1, 30 * 86_400),
      timeoutMs: integer(env, 'FLOWCHAT_WEBHOOK_TIMEOUT_MS', 10_000, 100, 10_000),
      pollMs: integer(env, 'FLOWCHAT_WEBHOOK_POLL_MS', 1_000, 10, 60_000),
      concurrencyPerEndpoint: integer(env, 'FLOWCHAT_WEBHOOK_CONCURRENCY', 4, 1, 64),
      retentionDays: integer(env, 'FLOWCHAT_WEBHOOK_RETENTION_DAYS', 30, 1, 3_650),
    }),
    media: Object.freeze({
      dir: value(env, 'FLOWCHAT_MEDIA_DIR') ?? `${dataDir.replace(/\/+$/, '')}/media`,
      s3: bucket === undefined ? undefined : Object.freeze({
        bucket,
        endpoint: url(env, 'FLOWCHAT_S3_ENDPOINT', ['http:', 'https:']),
        region: value(env, 'FLOWCHAT_S3_REGION'),
        forcePathStyle: forcePathStyle === 'true' || forcePathStyle === '1',
      }),
      retryBaseMs: integer(env, 'FLOWCHAT_MEDIA_RETRY_BASE_MS', 2_000, 10, 60_000),
      retryMaxMs: integer(env, 'FLOWCHAT_MEDIA_RETRY_MAX_MS', 600_000, 10, 3_600_000),
      retryWindowSeconds: integer(env, 'FLOWCHAT_MEDIA_RETRY_WINDOW_SECONDS', 86_400, 1, 30 * 86_400),
      pollMs: integer(env, 'FLOWCHAT_MEDIA_POLL_MS', 2_000, 10, 60_000),
    }),
    secretKey: secretKey(env),
  });
}
