import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { NumberField, SelectField, TextField, withField } from '../fields';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { configOf, defineNodeUi, type PanelProps } from './types';

type Gender = 'male' | 'female' | 'other';
type ProfileSet = { gender?: Gender; province?: string; city?: string; birthday?: string };
type Config = { set?: ProfileSet; addPoints?: number; tier?: string };

function UpdateProfileNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const c = configOf<Config>(props.data);
  const parts = [
    c.addPoints !== undefined ? t('editor.summary.points', { n: c.addPoints }) : null,
    c.tier ? t('editor.summary.tier', { tier: c.tier }) : null,
    c.set && Object.keys(c.set).length
      ? t('editor.summary.setFields', { fields: Object.keys(c.set).join(', ') })
      : null,
  ].filter(Boolean);
  return (
    <NodeShell
      {...props}
      kind="action.update_profile"
      icon="👤"
      summary={parts.join(' · ') || t('editor.summary.notConfigured')}
    />
  );
}

function Panel({ config, onChange }: PanelProps<Config>) {
  const { t } = useTranslation();
  const set = config?.set ?? {};
  const setField = (key: keyof ProfileSet, value: string | undefined) => {
    const next = withField(set, key, value || undefined);
    onChange(withField(config, 'set', Object.keys(next).length ? next : undefined));
  };
  return (
    <>
      <NumberField
        path="addPoints"
        value={config?.addPoints}
        onChange={(v) => onChange(withField(config, 'addPoints', v))}
      />
      <TextField
        path="tier"
        value={config?.tier}
        onChange={(v) => onChange(withField(config, 'tier', v || undefined))}
      />
      <SelectField
        path="set/gender"
        value={set.gender}
        placeholder={t('editor.fields.unchanged')}
        onChange={(v) => setField('gender', v)}
      />
      <TextField
        path="set/province"
        value={set.province}
        onChange={(v) => setField('province', v)}
      />
      <TextField path="set/city" value={set.city} onChange={(v) => setField('city', v)} />
      <TextField
        path="set/birthday"
        value={set.birthday}
        placeholder="MM-DD"
        onChange={(v) => setField('birthday', v)}
      />
    </>
  );
}

export const actionUpdateProfile = defineNodeUi({
  kind: 'action.update_profile',
  icon: '👤',
  defaultConfig: () => ({ addPoints: 10 }),
  Node: UpdateProfileNode,
  Panel,
});
