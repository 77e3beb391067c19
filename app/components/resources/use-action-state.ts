import { useNavigation } from '@remix-run/react';

/** True while a form with this `intent` (and, if given, this `id`) is being submitted. */
export function useSubmitting(intent: string, id?: string): boolean {
  const navigation = useNavigation();
  const form = navigation.formData;
  if (navigation.state === 'idle' || !form) return false;
  return form.get('intent') === intent && (id === undefined || form.get('id') === id);
}
