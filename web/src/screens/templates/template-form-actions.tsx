// The buttons under a template form: back to the text composer (where there is one), and Send.
import { useTranslation } from 'react-i18next';
import { FormActions } from '../../ui/form-actions.js';

export function TemplateFormActions({ busy, onCancel }: { readonly busy: boolean; readonly onCancel: (() => void) | undefined }) {
  const { t } = useTranslation();
  return (
    <FormActions
      disabled={busy}
      cancel={onCancel ? { label: t('templates.picker.backToText'), onClick: onCancel } : undefined}
      submit={t('templates.picker.send')}
    />
  );
}
