// How a contact filter's tags combine: the contact has all of them, or any one.
import type { TFunction } from 'i18next';
import type { Option } from '../../ui/select.js';

export type TagMatch = 'all' | 'any';

export function tagMatchOptions(t: TFunction): readonly Option<TagMatch>[] {
  return [
    { value: 'all', label: t('contacts.matchAll') },
    { value: 'any', label: t('contacts.matchAny') },
  ];
}
