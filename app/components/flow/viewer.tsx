/**
 * A published version, read-only: the same canvas and config panel, nothing editable.
 */
import { ReactFlowProvider } from '@xyflow/react';
import { useMemo, useState } from 'react';
import type { Language } from '~/i18n/config';
import type { BrandResources } from '../../../services/flows/editor.types';
import type { FlowDraft } from '~/lib/engine';
import { FlowCanvas } from './canvas';
import { EditorContext, type EditorContextValue } from './fields';
import { NodePanel } from './node-panel';
import { createEditorStore } from './store';

const NO_RESOURCES: BrandResources = {
  tags: [],
  accountTags: [],
  couponPools: [],
  menus: [],
  templates: [],
  qrChannels: [],
};

export function FlowViewer({
  brandSlug,
  flowId,
  doc,
  lang,
}: {
  brandSlug: string;
  flowId: string;
  doc: FlowDraft;
  lang: Language;
}) {
  const [store] = useState(() => createEditorStore(doc));
  const context = useMemo<EditorContextValue>(
    () => ({
      flowId,
      brandSlug,
      lang,
      resources: NO_RESOURCES,
      createTag: async () => false,
      readOnly: true,
    }),
    [flowId, brandSlug, lang],
  );
  return (
    <EditorContext.Provider value={context}>
      <ReactFlowProvider>
        <div className="editor__body editor__body--viewer">
          <FlowCanvas store={store} issues={[]} readOnly lang={lang} />
          <aside className="editor__side">
            <NodePanel store={store} issues={[]} />
          </aside>
        </div>
      </ReactFlowProvider>
    </EditorContext.Provider>
  );
}
