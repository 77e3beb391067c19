import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { SelectField, withField } from '../fields';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { ScenesPicker } from '../resource-pickers';
import { configOf, defineNodeUi, list, type PanelProps } from './types';

type Who = 'new' | 'existing' | 'both';
type Config = { scenes?: string[]; who?: Who };
const WHO: readonly Who[] = ['both', 'new', 'existing'];

function QrScanNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const c = configOf<Config>(props.data);
  const summary = c.scenes?.length
    ? t('editor.summary.qrScan', { scenes: list(c.scenes), who: t(`editor.who.${c.who ?? 'both'}`) })
    : t('editor.summary.notConfigured');
  return <NodeShell {...props} kind="trigger.qr_scan" icon="🔳" title={t('editor.kinds.trigger.qr_scan.title')} summary={summary} />;
}

function Panel({ config, onChange }: PanelProps<Config>) {
  const { t } = useTranslation();
  return (
    <>
      <ScenesPicker label={t('editor.fields.scenes')} path="scenes" values={config?.scenes} onChange={(v) => onChange(withField(config, 'scenes', v))} />
      <SelectField
        label={t('editor.fields.who')}
        path="who"
        value={config?.who ?? 'both'}
        options={WHO.map((w) => ({ value: w, label: t(`editor.who.${w}`) }))}
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
