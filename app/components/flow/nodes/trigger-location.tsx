import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { DurationField, NumberField, withField } from '../fields';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { configOf, defineNodeUi, type PanelProps } from './types';

type Config = { center?: { lat?: number; lng?: number }; radiusM?: number; cooldown?: string };

function LocationNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const c = configOf<Config>(props.data);
  const summary =
    c.center && c.radiusM
      ? t('editor.summary.location', {
          radius: c.radiusM,
          lat: c.center.lat ?? '?',
          lng: c.center.lng ?? '?',
        })
      : t('editor.summary.notConfigured');
  return <NodeShell {...props} kind="trigger.location" icon="📍" summary={summary} />;
}

function Panel({ config, onChange }: PanelProps<Config>) {
  const center = config?.center ?? {};
  return (
    <>
      <NumberField
        path="center/lat"
        value={center.lat}
        step={0.0001}
        onChange={(v) => onChange(withField(config, 'center', { ...center, lat: v }))}
      />
      <NumberField
        path="center/lng"
        value={center.lng}
        step={0.0001}
        onChange={(v) => onChange(withField(config, 'center', { ...center, lng: v }))}
      />
      <NumberField
        path="radiusM"
        value={config?.radiusM}
        min={1}
        onChange={(v) => onChange(withField(config, 'radiusM', v))}
      />
      <DurationField
        path="cooldown"
        value={config?.cooldown}
        onChange={(v) => onChange(withField(config, 'cooldown', /^\d/.test(v) ? v : undefined))}
      />
    </>
  );
}

export const triggerLocation = defineNodeUi({
  kind: 'trigger.location',
  icon: '📍',
  defaultConfig: () => ({ center: { lat: 31.2304, lng: 121.4737 }, radiusM: 500 }),
  Node: LocationNode,
  Panel,
});
