/**
 * FlowChat's HTTP application with no background workers, as a process of its own: the webhook
 * route stores and acknowledges, and nothing processes what it stored. Measures the
 * acknowledgement path apart from the processing that follows it. Reads DATABASE_URL and
 * WHATSAPP_APP_SECRET; prints its port.
 */
import { openServer } from '../bench-database.js';
import { startBenchApp } from './flowchat-app.js';

const url = process.env['DATABASE_URL'] ?? '';
const database = await openServer(url);
const app = await startBenchApp(database, { DATABASE_URL: url, WHATSAPP_APP_SECRET: process.env['WHATSAPP_APP_SECRET'] ?? '' });
console.log(JSON.stringify({ port: Number(new URL(app.url).port) }));
process.on('SIGTERM', () => {
  void app.close().then(() => database.close()).then(() => process.exit(0));
});
