/**
 * Issue 10, acceptance 4: `fanfare wechat sync` imports the sandbox account's message
 * templates (title, content, keywords); publishing a flow that names a template the account
 * lacks is refused with the template's name in the message, one that leaves a keyword empty
 * with the keyword's; a flow filling every keyword publishes and its push goes out as that
 * template message. The real CLI, Postgres, Temporal and sandbox.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { auditLog, flows, messageTemplates } from '../../db/schema';
import { journeyRows, startRuntime, type Runtime } from '../support/runtime';

let rt: Runtime;
let dir: string;
beforeAll(async () => {
  rt = await startRuntime();
  dir = mkdtempSync('/tmp/fanfare-message-templates-');
});
afterAll(() => rt?.close());

/** Run without blocking: the sandbox the CLI calls lives in this process. */
const fanfare = (...args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'cli/main.ts', ...args],
      {
        encoding: 'utf8',
        env: {
          ...process.env,
          DATABASE_URL: inject('databaseUrl'),
          FANFARE_SECRET_KEY: rt.secretKeyHex,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ status: child.exitCode, stdout, stderr });
      },
    );
  });

function flowFile(name: string, templateId: string, data: Record<string, string>): string {
  const file = `${dir}/${name}.json`;
  writeFileSync(
    file,
    JSON.stringify({
      format: 'fanfare.flow/v1',
      name,
      nodes: [
        { id: 'follow', kind: 'trigger.follow', label: '新关注', config: {} },
        {
          id: 'notify',
          kind: 'action.push',
          label: '注册通知',
          config: { channel: 'template', message: { type: 'template', templateId, data } },
        },
      ],
      edges: [{ id: 'e1', from: 'follow', port: 'next', to: 'notify' }],
    }),
  );
  return file;
}

const stored = () =>
  rt.handle.db
    .select()
    .from(messageTemplates)
    .where(eq(messageTemplates.brandId, rt.brand.id))
    .orderBy(messageTemplates.name);

it("imports the account's templates, then follows WeChat's list", async () => {
  expect(await stored()).toEqual([]);
  const sandboxList = await rt.control.templates(rt.brand.appId);
  expect(sandboxList.length).toBeGreaterThanOrEqual(3);

  const sync = await fanfare('wechat', 'sync', '--brand', rt.brand.slug);
  expect(sync.stderr).toContain(
    `${rt.brand.slug}: ${sandboxList.length} message template(s) from WeChat; ${sandboxList.length} added`,
  );
  expect(sync.status).toBe(0);
  for (const t of sandboxList) expect(sync.stdout).toContain(`${t.template_id}\t${t.title}\t`);
  expect(sync.stdout).toContain('thing1(会员名称), character_string2(会员卡号), time3(注册时间)');

  const rows = await stored();
  expect(rows.map((r) => r.wechatTemplateId).sort()).toEqual(
    sandboxList.map((t) => t.template_id).sort(),
  );
  const joined = rows.find((r) => r.title === '会员注册成功通知')!;
  expect(joined).toMatchObject({
    name: '会员注册成功通知',
    content: sandboxList.find((t) => t.title === '会员注册成功通知')!.content,
    fields: ['thing1', 'character_string2', 'time3'],
    keywords: [
      { key: 'thing1', kind: 'thing', label: '会员名称' },
      { key: 'character_string2', kind: 'character_string', label: '会员卡号' },
      { key: 'time3', kind: 'time', label: '注册时间' },
    ],
  });
  expect(joined.syncedAt).toBeInstanceOf(Date);

  // WeChat's list changes: one template added, one deleted on the account.
  const birthday = sandboxList.find((t) => t.title === '生日祝福')!;
  await rt.control.deleteTemplate(rt.brand.appId, birthday.template_id);
  const points = await rt.control.addTemplate(rt.brand.appId, {
    title: '积分变动提醒',
    content: '变动积分：{{number1.DATA}}\n当前积分：{{number2.DATA}}',
  });
  const again = await fanfare('wechat', 'sync', '--brand', rt.brand.slug);
  expect(again.status).toBe(0);
  expect(again.stderr).toContain('1 added: 积分变动提醒, 1 removed: 生日祝福, 0 changed');
  const after = await stored();
  expect(after.map((r) => r.title)).toContain('积分变动提醒');
  expect(after.map((r) => r.title)).not.toContain('生日祝福');
  expect(after.find((r) => r.wechatTemplateId === joined.wechatTemplateId)?.createdAt).toEqual(
    joined.createdAt,
  );
  expect(after.find((r) => r.wechatTemplateId === points.template_id)?.fields).toEqual([
    'number1',
    'number2',
  ]);

  const audited = await rt.handle.db
    .select({ details: auditLog.details })
    .from(auditLog)
    .where(and(eq(auditLog.brandId, rt.brand.id), eq(auditLog.action, 'message_templates.synced')));
  expect(audited).toHaveLength(2);

  expect((await fanfare('wechat', 'sync', '--brand', 'no-such-brand')).stderr).toContain(
    'error E_UNKNOWN_BRAND',
  );
});

it('refuses to publish a template the account lacks, naming it; and an empty keyword, naming it', async () => {
  const before = await rt.handle.db.select().from(flows).where(eq(flows.brandId, rt.brand.id));

  const unknown = await fanfare(
    'flow',
    'import',
    flowFile('未知模板', '生日祝福', { thing1: '小林', thing2: '蛋糕', date3: '2024年5月27日' }),
    '--brand',
    rt.brand.slug,
    '--publish',
  );
  expect(unknown.status).toBe(1);
  expect(unknown.stderr).toMatch(/E_UNKNOWN_RESOURCE .*message template "生日祝福"/);
  expect(unknown.stderr).toContain('error E_FLOW_INVALID');

  const [joined] = await rt.handle.db
    .select()
    .from(messageTemplates)
    .where(
      and(
        eq(messageTemplates.brandId, rt.brand.id),
        eq(messageTemplates.title, '会员注册成功通知'),
      ),
    );
  const missing = await fanfare(
    'flow',
    'import',
    flowFile('少填字段', joined!.wechatTemplateId, { thing1: '猫咖会员', time3: '{{event.time}}' }),
    '--brand',
    rt.brand.slug,
    '--publish',
  );
  expect(missing.status).toBe(1);
  expect(missing.stderr).toMatch(/E_CONFIG .*"会员卡号" \(character_string2\)/);
  expect(await rt.handle.db.select().from(flows).where(eq(flows.brandId, rt.brand.id))).toEqual(
    before,
  );
});

it('publishes a flow filling every keyword, and its push goes out as that template', async () => {
  const [joined] = await rt.handle.db
    .select()
    .from(messageTemplates)
    .where(
      and(
        eq(messageTemplates.brandId, rt.brand.id),
        eq(messageTemplates.title, '会员注册成功通知'),
      ),
    );
  const published = await fanfare(
    'flow',
    'import',
    flowFile('注册通知', '会员注册成功通知', {
      thing1: '猫咖会员',
      character_string2: '{{follower.openid}}',
      time3: '2024年5月20日 12:00',
    }),
    '--brand',
    rt.brand.slug,
    '--publish',
  );
  expect(published.stderr).not.toMatch(/error/);
  expect(published.status).toBe(0);
  const [flow] = await rt.handle.db
    .select()
    .from(flows)
    .where(and(eq(flows.brandId, rt.brand.id), eq(flows.name, '注册通知')));

  await rt.running(async () => {
    await rt.control.follow(rt.brand.appId, 'o_new_member');
    await expect
      .poll(async () => (await journeyRows(rt, flow!.id)).map((j) => j.status), {
        timeout: 30_000,
        interval: 200,
      })
      .toEqual(['completed']);
  });
  const sent = await rt.control.sentMessages(rt.brand.appId, 'o_new_member');
  expect(sent).toMatchObject([
    {
      channel: 'template',
      body: {
        template_id: joined!.wechatTemplateId,
        data: {
          thing1: { value: '猫咖会员' },
          character_string2: { value: 'o_new_member' },
          time3: { value: '2024年5月20日 12:00' },
        },
      },
    },
  ]);
});
