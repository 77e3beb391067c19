/**
 * The canvas: React Flow as a view of the FlowDraft. Nodes and edges are derived from the
 * document (plus view state: selection, sizes, in-flight drags); every change a gesture makes
 * is turned into engine operations on the store. Nothing is edited inside React Flow itself.
 */
import {
  Background,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type IsValidConnection,
  type NodeChange,
} from '@xyflow/react';
import { useCallback, useMemo, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import {
  defaultReentry,
  isNodeKind,
  type DraftNode,
  type Issue,
  type NodeKind,
} from '~/lib/engine';
import { edgeTypes, type FlowRfEdge } from './flow-edge';
import { isTrigger, portsOf } from './kinds';
import { boundsOf, readableViewport } from './layout';
import type { FlowRfNode, NodeBadge } from './node-shell';
import { nodeTypes, nodeUi, UNKNOWN_TYPE } from './nodes/index';
import { newNodeId, type EditorStore } from './store';

/** The drag-and-drop payload type of palette items. */
export const PALETTE_MIME = 'application/x-fanfare-node-kind';
/** Where a dropped node's top-left lands relative to the pointer. */
const DROP_OFFSET = { x: 100, y: 30 };
const ORIGIN = { x: 0, y: 0 };
const NONE: readonly string[] = [];
/**
 * From this many steps on, the canvas draws only the steps and connections in view, and the
 * flow opens at a readable zoom at its top instead of shrunk to fit (docs/quality.md, the
 * editor benchmark: 2,000 steps). Smaller flows open fitted, every step drawn.
 */
export const LARGE_FLOW_NODES = 200;

type Dimensions = { width: number; height: number };

/** The connection under a screen point (drops onto an edge insert the node there). */
export function edgeAt(x: number, y: number): string | null {
  if (typeof document === 'undefined') return null;
  for (const el of document.elementsFromPoint(x, y)) {
    const edge = el.closest('.react-flow__edge');
    if (edge) return edge.getAttribute('data-id');
  }
  return null;
}

/** Keeps objects stable while their content key is unchanged (React Flow compares by identity). */
function useStableMap<V>() {
  const ref = useRef(new Map<string, { key: string; value: V }>());
  return useCallback((id: string, key: string, make: () => V): V => {
    const hit = ref.current.get(id);
    if (hit && hit.key === key) return hit.value;
    const value = make();
    ref.current.set(id, { key, value });
    return value;
  }, []);
}

function badgesOf(issues: readonly Issue[], lang: 'en' | 'zh-CN', by: 'nodeId' | 'edgeId') {
  const out = new Map<string, { errors: number; warnings: number; first: string | null }>();
  for (const issue of issues) {
    const id = issue[by];
    if (!id || (by === 'nodeId' && issue.edgeId)) continue;
    const b = out.get(id) ?? { errors: 0, warnings: 0, first: null };
    if (issue.severity === 'error') b.errors++;
    else b.warnings++;
    b.first ??= issue.message[lang];
    out.set(id, b);
  }
  return out;
}

interface Props {
  store: EditorStore;
  issues: readonly Issue[];
  readOnly: boolean;
  lang: 'en' | 'zh-CN';
}

export function FlowCanvas({ store, issues, readOnly, lang }: Props) {
  const { t } = useTranslation();
  const { screenToFlowPosition } = useReactFlow();
  const doc = useStore(store, (s) => s.doc);
  const selectedNodes = useStore(store, (s) => s.selectedNodes);
  const selectedEdges = useStore(store, (s) => s.selectedEdges);
  const dragging = useStore(store, (s) => s.dragging);
  // Sizes React Flow measured: kept for the node objects rebuilt later (so React Flow keeps
  // them), but not state — a step scrolled into view and measured while panning must not
  // rebuild the whole node list (React Flow already holds its size).
  const measured = useRef(new Map<string, Dimensions>());
  const [dropEdge, setDropEdge] = useState<string | null>(null);
  // Fit the flow in view when it opens — not later, when a first node lands on an empty canvas.
  // A large flow is drawn as far as the view goes, and opens at its top, readable.
  const [large] = useState(() => doc.nodes.length >= LARGE_FLOW_NODES);
  const [fitOnOpen] = useState(() => doc.nodes.length > 0 && !large);

  const stableBadge = useStableMap<NodeBadge | null>();
  const stablePorts = useStableMap<readonly string[]>();
  const stableEdge = useStableMap<FlowRfEdge>();

  const nodeBadges = useMemo(() => badgesOf(issues, lang, 'nodeId'), [issues, lang]);
  const edgeBadges = useMemo(() => badgesOf(issues, lang, 'edgeId'), [issues, lang]);

  // Node objects are rebuilt only when something they show changed: with hundreds of nodes,
  // React Flow then has little to re-process after an edit.
  const nodeCache = useRef(new Map<string, { deps: unknown[]; node: FlowRfNode }>());
  const nodes = useMemo<FlowRfNode[]>(() => {
    const used = new Map<string, string[]>();
    for (const e of doc.edges) used.set(e.from, [...(used.get(e.from) ?? []), e.port]);
    return doc.nodes.map((n) => {
      const b = nodeBadges.get(n.id);
      const badge = stableBadge(
        n.id,
        b ? `${b.errors}|${b.warnings}|${b.first}` : '',
        () => b ?? null,
      );
      const portsKey = (used.get(n.id) ?? []).join('|');
      const usedPorts = stablePorts(n.id, portsKey, () => (portsKey ? portsKey.split('|') : NONE));
      const position = dragging.get(n.id) ?? n.position ?? ORIGIN;
      const selected = selectedNodes.has(n.id);
      const size = measured.current.get(n.id);
      const deps = [n, position, selected, size, badge, usedPorts, readOnly];
      const hit = nodeCache.current.get(n.id);
      if (hit && hit.deps.every((d, i) => d === deps[i])) return hit.node;
      const ports = hit && hit.deps[0] === n ? hit.node.data.ports : portsOf(n);
      const node: FlowRfNode = {
        id: n.id,
        type: isNodeKind(n.kind) ? n.kind : UNKNOWN_TYPE,
        position,
        data: { node: n, badge, usedPorts, ports },
        selected,
        draggable: !readOnly,
        connectable: !readOnly,
        ...(size ? { measured: size } : {}),
      };
      nodeCache.current.set(n.id, { deps, node });
      return node;
    });
  }, [doc, dragging, selectedNodes, nodeBadges, readOnly, stableBadge, stablePorts]);

  const edges = useMemo<FlowRfEdge[]>(
    () =>
      doc.edges.map((e) => {
        const b = edgeBadges.get(e.id);
        const badge = stableBadge(
          `edge:${e.id}`,
          b ? `${b.errors}|${b.warnings}|${b.first}` : '',
          () => b ?? null,
        );
        const selected = selectedEdges.has(e.id);
        const drop = dropEdge === e.id;
        return stableEdge(
          e.id,
          `${e.from}|${e.port}|${e.to}|${selected}|${drop}|${b ? `${b.errors}|${b.warnings}|${b.first}` : ''}|${lang}`,
          () => ({
            id: e.id,
            source: e.from,
            sourceHandle: e.port,
            target: e.to,
            targetHandle: 'in',
            type: 'flow',
            selected,
            markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
            ariaLabel: t('editor.canvas.edgeLabel', { from: e.from, port: e.port, to: e.to }),
            data: { badge, dropTarget: drop },
          }),
        );
      }),
    [doc.edges, edgeBadges, selectedEdges, dropEdge, lang, t, stableBadge, stableEdge],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowRfNode>[]) => {
      const state = store.getState();
      let drag: Map<string, { x: number; y: number }> | null = null;
      let selection: Set<string> | null = null;
      const moves: { type: 'move_node'; nodeId: string; position: { x: number; y: number } }[] = [];
      for (const change of changes) {
        if (change.type === 'dimensions' && change.dimensions) {
          measured.current.set(change.id, change.dimensions);
        } else if (change.type === 'position' && change.position && !readOnly) {
          drag ??= new Map(state.dragging);
          if (change.dragging) drag.set(change.id, change.position);
          else {
            drag.delete(change.id);
            moves.push({
              type: 'move_node',
              nodeId: change.id,
              position: { x: Math.round(change.position.x), y: Math.round(change.position.y) },
            });
          }
        } else if (change.type === 'select') {
          selection ??= new Set(state.selectedNodes);
          if (change.selected) selection.add(change.id);
          else selection.delete(change.id);
        }
      }
      if (moves.length) state.dispatch(moves);
      if (drag) state.setDragging(drag);
      if (selection) state.select(selection, store.getState().selectedEdges);
    },
    [store, readOnly],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<FlowRfEdge>[]) => {
      const state = store.getState();
      let selection: Set<string> | null = null;
      for (const change of changes) {
        if (change.type !== 'select') continue;
        selection ??= new Set(state.selectedEdges);
        if (change.selected) selection.add(change.id);
        else selection.delete(change.id);
      }
      if (selection) state.select(store.getState().selectedNodes, selection);
    },
    [store],
  );

  // Connection rules, enforced while dragging: nothing enters a trigger, one edge per port.
  const isValidConnection = useCallback<IsValidConnection>(
    (c) => {
      const { doc } = store.getState();
      if (!c.source || !c.target || c.source === c.target) return false;
      const target = doc.nodes.find((n) => n.id === c.target);
      if (!target || isTrigger(target.kind)) return false;
      const port = c.sourceHandle ?? 'next';
      return !doc.edges.some((e) => e.from === c.source && e.port === port);
    },
    [store],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      if (readOnly || !c.source || !c.target) return;
      store.getState().dispatch({
        type: 'connect',
        edge: { from: c.source, port: c.sourceHandle ?? 'next', to: c.target },
      });
    },
    [store, readOnly],
  );

  const onDragOver = useCallback(
    (event: DragEvent) => {
      if (readOnly || !event.dataTransfer.types.includes(PALETTE_MIME)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
      const over = edgeAt(event.clientX, event.clientY);
      setDropEdge((current) => (current === over ? current : over));
    },
    [readOnly],
  );

  const onDrop = useCallback(
    (event: DragEvent) => {
      setDropEdge(null);
      const kind = event.dataTransfer.getData(PALETTE_MIME);
      if (readOnly || !isNodeKind(kind)) return;
      event.preventDefault();
      const at = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      addNode(
        store,
        kind,
        { x: Math.round(at.x - DROP_OFFSET.x), y: Math.round(at.y - DROP_OFFSET.y) },
        edgeAt(event.clientX, event.clientY),
      );
    },
    [store, readOnly, screenToFlowPosition],
  );

  const ariaLabelConfig = useMemo(
    () => ({
      'node.a11yDescription.default': t('editor.canvas.a11y.node'),
      'node.a11yDescription.keyboardDisabled': t('editor.canvas.a11y.nodeKeyboard'),
      'node.a11yDescription.ariaLiveMessage': ({
        direction,
        x,
        y,
      }: {
        direction: string;
        x: number;
        y: number;
      }) => t('editor.canvas.a11y.moved', { direction, x, y }),
      'edge.a11yDescription.default': t('editor.canvas.a11y.edge'),
      'controls.ariaLabel': t('editor.canvas.controls'),
      'controls.zoomIn.ariaLabel': t('editor.canvas.zoomIn'),
      'controls.zoomOut.ariaLabel': t('editor.canvas.zoomOut'),
      'controls.fitView.ariaLabel': t('editor.canvas.fitView'),
      'controls.interactive.ariaLabel': t('editor.canvas.interactive'),
      'minimap.ariaLabel': t('editor.canvas.minimap'),
      'handle.ariaLabel': t('editor.canvas.handle'),
    }),
    [t],
  );

  // While the view moves, the viewport gets its own compositor layer (CSS): panning then
  // moves pixels instead of repainting hundreds of nodes each frame. Set on the element
  // directly, so starting a pan does not re-render the canvas.
  const wrapper = useRef<HTMLDivElement>(null);
  const onInit = useCallback(
    (flow: { setViewport(v: { x: number; y: number; zoom: number }): unknown }) => {
      if (!large) return;
      const { doc } = store.getState();
      const bounds = boundsOf(
        new Map(doc.nodes.map((n) => [n.id, n.position ?? ORIGIN])),
        () => undefined,
      );
      const pane = wrapper.current?.getBoundingClientRect();
      if (bounds && pane) void flow.setViewport(readableViewport(bounds, pane));
    },
    [large, store],
  );
  const onMoveStart = useCallback(() => wrapper.current?.classList.add('flow-canvas--moving'), []);
  const onMoveEnd = useCallback(() => wrapper.current?.classList.remove('flow-canvas--moving'), []);

  return (
    <div
      ref={wrapper}
      className="flow-canvas"
      onDragLeave={() => setDropEdge(null)}
      data-node-count={doc.nodes.length}
    >
      <ReactFlow<FlowRfNode, FlowRfEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        onDragOver={onDragOver}
        onDrop={onDrop}
        onMoveStart={onMoveStart}
        onMoveEnd={onMoveEnd}
        onInit={onInit}
        onlyRenderVisibleElements={large}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control']}
        nodesConnectable={!readOnly}
        nodesDraggable={!readOnly}
        minZoom={0.05}
        maxZoom={2}
        // A flow reads downwards: the wheel scrolls it (Ctrl/pinch zooms).
        panOnScroll
        fitView={fitOnOpen}
        fitViewOptions={{ padding: 0.2, maxZoom: 1 }}
        ariaLabelConfig={ariaLabelConfig}
      >
        <Background gap={24} />
        <MiniMap
          pannable
          zoomable
          nodeStrokeWidth={3}
          nodeColor={(n) => minimapColor((n as FlowRfNode).data.node.kind)}
        />
        <Controls showInteractive={false} fitViewOptions={{ padding: 0.2, maxZoom: 1 }} />
      </ReactFlow>
      {doc.nodes.length === 0 ? (
        <p className="flow-canvas__empty">
          {t(readOnly ? 'editor.canvas.emptyReadOnly' : 'editor.canvas.empty')}
        </p>
      ) : null}
    </div>
  );
}

function minimapColor(kind: string): string {
  if (kind.startsWith('trigger.')) return '#7c9cf0';
  if (kind.startsWith('action.')) return '#5bb58f';
  return '#e0b25a';
}

/** Adds a node of `kind` at `position` — onto the connection `edgeId` when given — and selects it. */
export function addNode(
  store: EditorStore,
  kind: NodeKind,
  position: { x: number; y: number },
  edgeId: string | null,
): string | null {
  const state = store.getState();
  const id = newNodeId(state.doc);
  const config = nodeUi[kind].defaultConfig();
  const node: DraftNode = { id, kind, position, ...(config === undefined ? {} : { config }) };
  const edge = edgeId ? state.doc.edges.find((e) => e.id === edgeId) : undefined;
  // The first trigger of a flow whose re-entry is not chosen yet sets it to what suits the
  // trigger (a birthday or repurchase flow enters again; others once), in the same undo step.
  const unchosen = isTrigger(kind) && !state.doc.settings?.entry;
  const entry = unchosen
    ? [
        {
          type: 'update_settings' as const,
          settings: { entry: { reentry: defaultReentry({ nodes: [...state.doc.nodes, node] }) } },
        },
      ]
    : [];
  // A trigger cannot receive the connection: dropped on an edge, it is simply added.
  const ok =
    edge && !isTrigger(kind)
      ? state.dispatch({ type: 'insert_on_edge', edgeId: edge.id, node })
      : state.dispatch([{ type: 'add_node', node }, ...entry]);
  if (!ok) return null;
  store.getState().select([id]);
  return id;
}
