import { useTranslation } from 'react-i18next';
import type { FlowStatus } from '~/lib/flows.server';

export function StatusBadge({ status }: { status: FlowStatus }) {
  const { t } = useTranslation();
  return <span className={`badge badge--${status}`}>{t(`status.${status}`)}</span>;
}
