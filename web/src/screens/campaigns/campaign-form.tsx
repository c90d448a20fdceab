import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { createCampaign, createSegment, listSegments, previewAudience } from '../../api/campaigns.js';
import type { AudiencePreview } from '../../api/campaigns.js';
import type { Segment } from '../../api/types.js';
import { contactLabel, formatNumber } from '../../lib/format.js';
import { useAsync } from '../../lib/use-async.js';
import { useDebounced } from '../../lib/use-debounced.js';
import { useSubmission } from '../../lib/use-submission.js';
import { navigate } from '../../router/router.js';
import { Field } from '../../ui/field.js';
import { FormActions } from '../../ui/form-actions.js';
import { InlineError } from '../../ui/inline-error.js';
import { Screen } from '../../ui/screen.js';
import { SelectField } from '../../ui/select.js';
import { EMPTY_TEMPLATE, TemplateFields, templateFromDraft } from '../../ui/template-fields.js';
import type { TemplateDraft } from '../../ui/template-fields.js';
import { TextField } from '../../ui/text-field.js';
import { tagMatchOptions } from '../contacts/tag-match.js';
import { recentTemplates, rememberTemplate } from '../inbox/recent-templates.js';
import { EMPTY_AUDIENCE, audienceFromDraft, draftFromAudience } from './audience.js';
import { CampaignTemplateFields, type CampaignTemplateChoice } from '../templates/campaign-template-fields.js';
import { useApprovedTemplates } from '../templates/template-picker.js';
import type { AudienceDraft } from './audience.js';

/** A new campaign: pick or describe the audience, see how many it reaches, choose the template. */
export function CampaignForm() {
  const { t } = useTranslation();
  const segments = useAsync<readonly Segment[]>(() => listSegments(), []);
  const [name, setName] = useState('');
  const [segmentId, setSegmentId] = useState('');
  const [audience, setAudience] = useState<AudienceDraft>(EMPTY_AUDIENCE);
  const [segmentName, setSegmentName] = useState('');
  const [template, setTemplate] = useState<TemplateDraft>(EMPTY_TEMPLATE);
  const catalogue = useApprovedTemplates();
  const [fromCatalogue, setFromCatalogue] = useState<CampaignTemplateChoice | null>(null);
  const creating = useSubmission();
  const [segmentError, setSegmentError] = useState<unknown>(null);
  const debouncedAudience = useDebounced(audience, 400);
  const previewState = useAsync<AudiencePreview>(
    (signal) => previewAudience(audienceFromDraft(debouncedAudience), signal),
    [debouncedAudience],
  );
  const preview = previewState.data;

  const chooseSegment = (id: string) => {
    setSegmentId(id);
    const segment = segments.data?.find((item) => item.id === id);
    if (segment) setAudience(draftFromAudience(segment.filter));
  };

  const editAudience = (draft: AudienceDraft) => {
    setAudience(draft);
    setSegmentId('');
  };

  const saveSegment = async () => {
    if (!segmentName.trim()) {
      setSegmentError(t('campaigns.form.nameSegmentFirst'));
      return;
    }
    try {
      const created = await createSegment(segmentName.trim(), audienceFromDraft(audience));
      segments.setData((old) => [...(old ?? []), created]);
      setSegmentId(created.id);
      setSegmentName('');
      setSegmentError(null);
    } catch (reason) {
      setSegmentError(reason);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return creating.setError(t('campaigns.form.nameCampaign'));
    if (fromCatalogue && fromCatalogue.missing.length > 0) return creating.setError(t('templates.picker.fillIn', { fields: fromCatalogue.missing.join(', ') }));
    if (!fromCatalogue && !template.name.trim()) return creating.setError(t('campaigns.form.chooseTemplate'));
    void creating.run(async () => {
      const templateRef = fromCatalogue?.template ?? templateFromDraft(template);
      const target = segmentId ? { segment_id: segmentId } : { audience: audienceFromDraft(audience) };
      const created = await createCampaign({ name: name.trim(), template: templateRef, ...target });
      rememberTemplate(templateRef);
      navigate(`/campaigns/${created.id}`);
    });
  };

  return (
    <Screen title={t('campaigns.form.title')}>
      <form className="campaign-form" onSubmit={submit} noValidate>
        <TextField id="campaign-name" label={t('campaigns.form.name')} value={name} onChange={setName} />
        <fieldset className="card">
          <legend>{t('campaigns.form.audience')}</legend>
          <Field id="campaign-segment" label={t('campaigns.form.segment')}>
            {(control) => (
              <select {...control} value={segmentId} onChange={(event) => chooseSegment(event.target.value)}>
                <option value="">{t('campaigns.form.customAudience')}</option>
                {(segments.data ?? []).map((segment) => (
                  <option key={segment.id} value={segment.id}>
                    {segment.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <InlineError error={segments.error} />
          <div className="form-grid">
            <TextField
              id="audience-tags"
              label={t('contacts.tags')}
              placeholder={t('contacts.tagsPlaceholder')}
              value={audience.tags}
              onChange={(tags) => editAudience({ ...audience, tags })}
            />
            <SelectField id="audience-match" label={t('contacts.match')} options={tagMatchOptions(t)} value={audience.match} onChange={(match) => editAudience({ ...audience, match })} />
            <TextField
              id="audience-recent"
              label={t('campaigns.form.recentDays')}
              type="number"
              min={1}
              inputMode="numeric"
              value={audience.recentDays}
              onChange={(recentDays) => editAudience({ ...audience, recentDays })}
            />
            <Field id="audience-metadata" label={t('campaigns.form.metadata')} className="field-wide">
              {(control) => (
                <textarea {...control} rows={2} value={audience.metadata} onChange={(event) => editAudience({ ...audience, metadata: event.target.value })} />
              )}
            </Field>
          </div>
          <div className="preview" aria-live="polite">
            {preview ? (
              <p>
                <strong data-testid="preview-count">{formatNumber(preview.count)}</strong>{' '}
                {t('campaigns.form.previewCount', { count: preview.count })}
                {preview.items.length > 0
                  ? `: ${preview.items.slice(0, 5).map(contactLabel).join(', ')}${preview.count > 5 ? '…' : ''}`
                  : '.'}
              </p>
            ) : (
              <p>{t('campaigns.form.counting')}</p>
            )}
            <InlineError error={previewState.error} />
          </div>
          <div className="save-segment">
            <label htmlFor="segment-name">{t('campaigns.form.saveAsSegment')}</label>
            <input
              id="segment-name"
              placeholder={t('campaigns.form.segmentName')}
              value={segmentName}
              onChange={(event) => setSegmentName(event.target.value)}
            />
            <button type="button" onClick={() => void saveSegment()}>
              {t('campaigns.form.saveSegment')}
            </button>
          </div>
          <InlineError error={segmentError} />
        </fieldset>
        <fieldset className="card">
          <legend>{t('campaigns.form.template')}</legend>
          {catalogue && catalogue.length > 0 ? (
            <CampaignTemplateFields templates={catalogue} onChange={setFromCatalogue} />
          ) : (
            <TemplateFields
              draft={template}
              onChange={setTemplate}
              suggestions={recentTemplates()}
              variablesHint={t('campaigns.form.variablesHint', {
                name: '{{name}}',
                phone: '{{phone}}',
                email: '{{email}}',
                city: '{{metadata.city}}',
              })}
            />
          )}
        </fieldset>
        <InlineError error={creating.error} />
        <FormActions disabled={creating.busy} cancel={{ label: t('campaigns.form.back'), onClick: () => navigate('/campaigns') }} submit={t('campaigns.form.submit')} />
      </form>
    </Screen>
  );
}
