/**
 * Schema messages are written once in English with their Chinese beside them: `bi(en, zh)`
 * returns the English text for zod and remembers the translation, so the issue translator
 * can show either language without a second catalogue drifting out of sync.
 */
const chinese = new Map<string, string>();

export function bi(en: string, zh: string): string {
  chinese.set(en, zh);
  return en;
}

export function chineseFor(en: string): string | undefined {
  return chinese.get(en);
}
