import { useTranslation } from 'react-i18next';
import { getDashboardStats } from '../../api/admin.js';
import type { DashboardStats } from '../../api/types.js';
import { formatDuration, formatNumber } from '../../lib/format.js';
import { useAsync } from '../../lib/use-async.js';
import { InlineError } from '../../ui/inline-error.js';
import { Loading } from '../../ui/loading.js';
import { Screen } from '../../ui/screen.js';
import { MessagesChart } from './messages-chart.js';

/** Volume per day, how fast agents first answer, and how many conversations are open. */
export function DashboardScreen() {
  const { t } = useTranslation();
  const stats = useAsync<DashboardStats>(() => getDashboardStats(), []);
  const data = stats.data;
  return (
    <Screen
      title={t('dashboard.title')}
      actions={
        <button type="button" onClick={stats.reload}>
          {t('dashboard.refresh')}
        </button>
      }
    >
      <InlineError error={stats.error} />
      {!data && stats.loading ? <Loading label={t('dashboard.loading')} /> : null}
      {data ? (
        <>
          <div className="stat-grid">
            <section className="card stat" aria-labelledby="stat-open">
              <h2 id="stat-open">{t('dashboard.openConversations')}</h2>
              <p className="stat-value">{formatNumber(data.open_conversations)}</p>
            </section>
            <section className="card stat" aria-labelledby="stat-response">
              <h2 id="stat-response">{t('dashboard.medianFirstResponse')}</h2>
              <p className="stat-value">
                {data.median_first_response_seconds === null ? '—' : formatDuration(data.median_first_response_seconds)}
              </p>
            </section>
            <section className="card stat" aria-labelledby="stat-total">
              <h2 id="stat-total">{t('dashboard.messagesInPeriod')}</h2>
              <p className="stat-value">
                {formatNumber(data.messages_per_day.reduce((sum, day) => sum + day.inbound + day.outbound, 0))}
              </p>
            </section>
          </div>
          <section className="card" aria-labelledby="chart-title">
            <h2 id="chart-title">{t('dashboard.messagesPerDay')}</h2>
            {data.messages_per_day.length > 0 ? (
              <MessagesChart days={data.messages_per_day} />
            ) : (
              <p className="empty">{t('dashboard.noMessages')}</p>
            )}
          </section>
        </>
      ) : null}
    </Screen>
  );
}
