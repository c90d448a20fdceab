// Types `t('section.key')` against en.ts, so a misspelt or missing key fails the type-check.
import 'i18next';
import type { Messages } from './en.js';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}
