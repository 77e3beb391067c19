/**
 * services.flows on a real PostgreSQL: the flows list and its actions, and the editor's use
 * cases (save a draft, publish, restore a version, count an audience) — each scoped to the
 * brand it is given (another brand's flow id is unknown); status changes, publishing and
 * restoring are audited.
 */
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, type DbHandle } from '../../db/client';
import { auditLog, flows } from '../../db/schema';
import { SecretBox } from '../../services/secrets';
import { createServices, type Services } from '../../services';
import { OPERATOR } from '../../services/deps';
import { insertBrand, type TestBrand } from '../support/brands';

const box = new SecretBox(randomBytes(32).toString('hex'));
let handle: DbHandle;
let s: Services;
let brand: TestBrand;
let other: TestBrand;
const tz = (b: TestBrand) => ({ id: b.id, timezone: 'Asia/Shanghai' });

const doc = (name: string, text = 'hello') => ({
  format: 'fanfare.flow/v1',
  name,
  settings: {
    timezone: 'Asia/Shanghai',
    entry: { reentry: 'once' },
    quietHours: null,
    frequencyCap: null,
    exitOn: [],
    goal: null,
  },
  nodes: [
    { id: 'follow', kind: 'trigger.follow', config: { scenes: ['svc'] } },
    {
      id: 'push',
      kind: 'action.push',
      config: { channel: 'auto', message: { type: 'text', text } },
    },
    { id: 'end', kind: 'flow.end' },
  ],
  edges: [
    { id: 'e1', from: 'follow', port: 'next', to: 'push' },
    { id: 'e2', from: 'push', port: 'next', to: 'end' },
  ],
});

const auditOf = (flowId: string) =>
  handle.db
    .select({ action: auditLog.action, actorLabel: auditLog.actorLabel })
    .from(auditLog)
    .where(and(eq(auditLog.targetType, 'flow'), eq(auditLog.targetId, flowId)))
    .orderBy(auditLog.id);

beforeAll(async () => {
  handle = connect(inject('databaseUrl'), { max: 4 });
  s = createServices({ db: handle.db });
  brand = await insertBrand(handle.db, box, { prefix: 'flows-svc' });
  other = await insertBrand(handle.db, box, { prefix: 'flows-svc-other' });
});
afterAll(async () => {
  await handle?.close();
});

describe('services.flows', () => {
  it('creates, lists, duplicates and changes status within the brand only', async () => {
    expect(await s.flows.create(tz(brand), '  ')).toEqual({ ok: false, error: 'nameRequired' });
    const created = await s.flows.create(tz(brand), ' 新客欢迎 ');
    if (!created.ok) throw new Error('not created');
    expect(created.name).toBe('新客欢迎');
    const listed = await s.flows.list(brand.id);
    expect(listed.find((f) => f.id === created.flowId)).toMatchObject({
      status: 'draft',
      liveVersion: null,
      problems: [],
    });
    expect((await s.flows.list(other.id)).some((f) => f.id === created.flowId)).toBe(false);

    const copy = await s.flows.duplicate(brand.id, created.flowId, (n) => `${n} (copy)`);
    expect(copy).toMatchObject({ ok: true, result: 'duplicated', name: '新客欢迎 (copy)' });
    expect(await s.flows.duplicate(other.id, created.flowId, (n) => n)).toEqual({
      ok: false,
      error: 'notFound',
    });
    // A draft cannot be paused; another brand cannot archive it; its own brand can.
    expect(await s.flows.changeStatus(OPERATOR, brand.id, created.flowId, 'pause')).toMatchObject({
      ok: false,
      error: 'badTransition',
    });
    expect(await s.flows.changeStatus(OPERATOR, other.id, created.flowId, 'archive')).toEqual({
      ok: false,
      error: 'notFound',
    });
    expect(await s.flows.changeStatus(OPERATOR, brand.id, created.flowId, 'archive')).toMatchObject(
      { ok: true, result: 'archived' },
    );
    expect((await auditOf(created.flowId)).map((e) => e.action)).toEqual(['flow.archived']);
  });

  it('saves a draft, publishes it as the actor, restores a version, counts an audience', async () => {
    const [row] = await handle.db
      .insert(flows)
      .values({ brandId: brand.id, name: 'draft', draft: doc('draft') })
      .returning({ id: flows.id });
    const flowId = row!.id;
    const { editor } = s.flows;

    expect(await editor.saveDraft(other.id, flowId, doc('x'))).toEqual({
      ok: false,
      error: 'notFound',
    });
    expect(await editor.saveDraft(brand.id, flowId, { nodes: 'no' })).toMatchObject({
      ok: false,
      error: 'invalidDocument',
    });
    expect(await editor.saveDraft(brand.id, flowId, doc('v1', 'one'))).toMatchObject({ ok: true });

    const first = await editor.publishFlow(OPERATOR, brand.id, flowId, doc('v1', 'one'));
    expect(first, JSON.stringify(first)).toMatchObject({ ok: true, version: 1 });
    expect(await editor.publishFlow(OPERATOR, brand.id, flowId, doc('v1', 'one'))).toMatchObject({
      ok: false,
      error: 'unchanged',
      version: 1,
    });
    expect(await editor.publishFlow(OPERATOR, brand.id, flowId, doc('v2', 'two'))).toMatchObject({
      ok: true,
      version: 2,
    });

    const loaded = await editor.loadEditor(brand.id, flowId);
    expect(loaded?.flow).toMatchObject({ status: 'live', liveVersion: 2, name: 'v2' });
    expect(loaded?.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(await editor.loadEditor(other.id, flowId)).toBeNull();

    const restored = await editor.restoreVersion(OPERATOR, brand.id, flowId, 1);
    expect(restored).toMatchObject({ ok: true, version: 1 });
    expect(await editor.restoreVersion(OPERATOR, other.id, flowId, 1)).toMatchObject({
      ok: false,
      error: 'notFound',
    });
    expect((await auditOf(flowId)).map((e) => e.action)).toEqual([
      'flow.published',
      'flow.published',
      'flow.version_restored',
    ]);

    const count = await editor.estimateAudience(brand.id, flowId, {
      all: [{ fact: 'follower', path: '$.tags', operator: 'hasTag', value: 'vip' }],
    });
    expect(count).toEqual({ ok: true, count: 0 });
    expect(await editor.estimateAudience(brand.id, flowId, 'nonsense')).toEqual({
      ok: false,
      error: 'invalidRules',
    });
  });

  it('saves the Simulate panel’s scenarios with the flow, checked, at most 10', async () => {
    const created = await s.flows.create(tz(brand), '模拟场景');
    if (!created.ok) throw new Error('not created');
    const { flowId } = created;
    const editor = s.flows.editor;
    expect((await editor.loadEditor(brand.id, flowId))?.scenarios).toEqual([]);
    const scenario = {
      name: 'A',
      follower: { tags: ['vip'], subscribed: false },
      start: '2026-11-30T10:00:00+08:00',
      events: [
        { at: '+0m', type: 'follow' },
        { at: '+3h', type: 'keyword', text: '优惠' },
      ],
      until: '+7d',
    };
    expect(await editor.saveScenarios(brand.id, flowId, { scenarios: [scenario] })).toEqual({
      ok: true,
    });
    expect((await editor.loadEditor(brand.id, flowId))?.scenarios).toEqual([scenario]);

    // Where a scenario is wrong is said; nothing is stored.
    const bad = await editor.saveScenarios(brand.id, flowId, {
      scenarios: [scenario, { ...scenario, events: [{ at: '3h', type: 'keyword' }] }],
    });
    expect(bad).toMatchObject({ ok: false, error: 'invalidScenario' });
    expect(!bad.ok && bad.issues?.map((i) => i.path)).toEqual(['[1].events[0].at']);
    expect(
      await editor.saveScenarios(brand.id, flowId, { scenarios: Array(11).fill(scenario) }),
    ).toEqual({ ok: false, error: 'tooMany' });
    expect(await editor.saveScenarios(brand.id, flowId, 'nonsense')).toMatchObject({
      ok: false,
      error: 'invalidScenario',
    });
    expect(await editor.saveScenarios(other.id, flowId, { scenarios: [] })).toEqual({
      ok: false,
      error: 'notFound',
    });
    expect((await editor.loadEditor(brand.id, flowId))?.scenarios).toHaveLength(1);

    // An empty list clears them.
    expect(await editor.saveScenarios(brand.id, flowId, { scenarios: [] })).toEqual({ ok: true });
    const [row] = await handle.db
      .select({ scenarios: flows.simulationScenarios })
      .from(flows)
      .where(eq(flows.id, flowId));
    expect(row?.scenarios).toBeNull();
  });
});
