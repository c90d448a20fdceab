import type { TemplateRef } from '../../api/types.js';

const KEY = 'flowchat.recentTemplates';
const MAX = 8;

/**
 * Templates this browser sent lately. The public API has no template catalogue (templates are
 * approved in Meta's manager), so the picker suggests what the agent used before.
 */
export function recentTemplates(): TemplateRef[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (item): item is TemplateRef =>
        typeof item === 'object' && item !== null && typeof item.name === 'string' && typeof item.language === 'string',
    );
  } catch {
    return [];
  }
}

export function rememberTemplate(template: TemplateRef): void {
  const others = recentTemplates().filter((item) => item.name !== template.name || item.language !== template.language);
  localStorage.setItem(KEY, JSON.stringify([{ name: template.name, language: template.language }, ...others].slice(0, MAX)));
}
