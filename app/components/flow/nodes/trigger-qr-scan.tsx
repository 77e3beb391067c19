import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { SelectField, withField } from '../fields';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { useOptionText } from '../labels';
import { ScenesPicker } from '../resource-pickers';
import { configOf, defineNodeUi, list, type PanelProps } from './types';

type Who = 'new' | 'existing' | 'both';
type Config = { scenes?: string[]; who?: Who };

function QrScanNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const option = useOptionText('trigger.qr_scan');
  const c = configOf<Config>(props.data);
  const summary = c.scenes?.length
    ? t('editor.summary.qrScan', { scenes: list(c.scenes), who: option('who', c.who ?? 'both') })
    : t('editor.summary.notConfigured');
  return <NodeShell {...props} kind="trigger.qr_scan" icon="🔳" summary={summary} />;
}

function Panel({ config, onChange }: PanelProps<Config>) {
  return (
    <>
      <ScenesPicker
        path="scenes"
        values={config?.scenes}
        onChange={(v) => onChange(withField(config, 'scenes', v))}
      />
      <SelectField
        path="who"
        value={config?.who ?? 'both'}
        onChange={(v) => onChange(withField(config, 'who', v))}
      />
    </>
  );
}

export const triggerQrScan = defineNodeUi({
  kind: 'trigger.qr_scan',
  icon: '🔳',
  defaultConfig: () => ({ scenes: [], who: 'both' }),
  Node: QrScanNode,
  Panel,
});
