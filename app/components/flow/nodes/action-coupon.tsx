import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { CouponPoolPicker } from '../resource-pickers';
import { configOf, defineNodeUi, type PanelProps } from './types';

type Config = { pool?: string };

function CouponNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const c = configOf<Config>(props.data);
  const summary = c.pool
    ? t('editor.summary.coupon', { pool: c.pool })
    : t('editor.summary.notConfigured');
  return <NodeShell {...props} kind="action.coupon" icon="🎟️" summary={summary} />;
}

function Panel({ config, onChange }: PanelProps<Config>) {
  return (
    <CouponPoolPicker
      path="pool"
      value={config?.pool}
      onChange={(pool) => onChange({ ...config, pool })}
    />
  );
}

export const actionCoupon = defineNodeUi({
  kind: 'action.coupon',
  icon: '🎟️',
  defaultConfig: () => ({ pool: '' }),
  Node: CouponNode,
  Panel,
});
