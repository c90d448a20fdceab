/**
 * i18next for the web app: English, Brazilian Portuguese and Spanish. The language is the one the
 * user picked (kept in this browser), else the first of the browser's languages FlowChat speaks.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';
import { es } from './es.js';
import { ptBR } from './pt-BR.js';

export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'pt-BR', name: 'Português (Brasil)' },
  { code: 'es', name: 'Español' },
] as const;

export type Language = (typeof LANGUAGES)[number]['code'];

const STORAGE_KEY = 'flowchat.language';

function isLanguage(value: string | null | undefined): value is Language {
  return LANGUAGES.some((language) => language.code === value);
}

/** The first of `preferred` (BCP 47 tags) FlowChat speaks: `pt-PT` finds pt-BR, `es-MX` finds es. */
function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const wanted = tag.toLowerCase();
    const exact = LANGUAGES.find((language) => language.code.toLowerCase() === wanted);
    if (exact) return exact.code;
    const base = wanted.split('-')[0];
    const sameBase = LANGUAGES.find((language) => language.code.toLowerCase().split('-')[0] === base);
    if (sameBase) return sameBase.code;
  }
  return 'en';
}

function storedLanguage(): Language | undefined {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return isLanguage(stored) ? stored : undefined;
  } catch {
    // Storage can be switched off; the browser's languages still choose.
    return undefined;
  }
}

/** Switches the app to `language` and remembers the choice in this browser. */
export function chooseLanguage(language: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Without storage the choice lasts until the page reloads.
  }
  void i18next.changeLanguage(language);
}

i18next.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});

// The texts are bundled, so initialisation is synchronous: the first render is already translated.
void i18next.use(initReactI18next).init({
  resources: { en: { translation: en }, 'pt-BR': { translation: ptBR }, es: { translation: es } },
  lng: storedLanguage() ?? pickLanguage(navigator.languages.length > 0 ? navigator.languages : [navigator.language]),
  fallbackLng: 'en',
  supportedLngs: LANGUAGES.map((language) => language.code),
  interpolation: { escapeValue: false },
  initAsync: false,
});

export function currentLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : 'en';
}
