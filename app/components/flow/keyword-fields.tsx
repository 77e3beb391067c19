/**
 * What a follower's text must be — keywords and how they match — for `trigger.keyword` and a
 * keyword event in wait.event, exit events and the goal: one component over one schema
 * piece, so every place offers the same choices (exact, contains, regular expression).
 */
import { ListField, SelectField, withField } from './fields';

export type KeywordMatch = 'exact' | 'contains' | 'regex';
export type KeywordValue = { keywords?: string[]; match?: KeywordMatch };

/** `base`: the path of the object holding `keywords` and `match` ('' for the trigger). */
export function KeywordFields<T extends KeywordValue>({
  base,
  value,
  onChange,
}: {
  base: string;
  value: T | undefined;
  onChange(next: T): void;
}) {
  const at = (key: string) => (base ? `${base}/${key}` : key);
  return (
    <>
      <ListField
        path={at('keywords')}
        values={value?.keywords}
        onChange={(v) => onChange(withField(value, 'keywords', v))}
      />
      <SelectField
        path={at('match')}
        value={value?.match ?? 'exact'}
        onChange={(v) => onChange(withField(value, 'match', v as KeywordMatch))}
      />
    </>
  );
}
