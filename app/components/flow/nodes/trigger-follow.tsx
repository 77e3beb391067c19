import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { CheckboxField, withField } from '../fields';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { ScenesPicker } from '../resource-pickers';
import { configOf, defineNodeUi, list, type PanelProps } from './types';

type Config = { scenes?: string[]; firstTimeOnly?: boolean };

function FollowNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const c = configOf<Config>(props.data);
  const summary = [
    c.scenes?.length
      ? t('editor.summary.viaScenes', { scenes: list(c.scenes) })
      : t('editor.summary.anyFollow'),
    c.firstTimeOnly ? t('editor.summary.firstTimeOnly') : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return <NodeShell {...props} kind="trigger.follow" icon="➕" summary={summary} />;
}

function Panel({ config, onChange }: PanelProps<Config>) {
  return (
    <>
      <ScenesPicker
        path="scenes"
        values={config?.scenes}
        onChange={(v) => onChange(withField(config, 'scenes', v.length ? v : undefined))}
      />
      <CheckboxField
        path="firstTimeOnly"
        checked={config?.firstTimeOnly === true}
        onChange={(v) => onChange(withField(config, 'firstTimeOnly', v || undefined))}
      />
    </>
  );
}

export const triggerFollow = defineNodeUi({
  kind: 'trigger.follow',
  icon: '➕',
  defaultConfig: () => ({}),
  Node: FollowNode,
  Panel,
});
