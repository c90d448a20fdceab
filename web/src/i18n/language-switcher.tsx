// The language picker shown in the shell's top bar and on the sign-in page.
import { useTranslation } from 'react-i18next';
import { LANGUAGES, chooseLanguage, currentLanguage } from './i18n.js';

export function LanguageSwitcher() {
  // Subscribes to language changes, so the picker shows the one in use.
  const { t } = useTranslation();
  return (
    <select
      className="language-switcher"
      aria-label={t('common.language')}
      value={currentLanguage()}
      onChange={(event) => {
        const chosen = LANGUAGES.find((language) => language.code === event.target.value);
        if (chosen) chooseLanguage(chosen.code);
      }}
    >
      {LANGUAGES.map((language) => (
        <option key={language.code} value={language.code} lang={language.code}>
          {language.name}
        </option>
      ))}
    </select>
  );
}
