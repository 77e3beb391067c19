/**
 * The engine is pure enough for Temporal's workflow sandbox: a workflow importing it bundles
 * with Temporal's own bundler (no disallowed modules), and runs on the real dev server.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { compile } from '../../engine/index';
import type { RulesWorkflowInput, RulesWorkflowResult } from '../fixtures/workflows/rules-workflow';

const workflowsPath = fileURLToPath(
  new URL('../fixtures/workflows/rules-workflow.ts', import.meta.url),
);
const flow = JSON.parse(
  readFileSync(new URL('../fixtures/flows/valid/cup-qr-coupon-vip.json', import.meta.url), 'utf8'),
);

const quiet = {
  trace() {},
  debug() {},
  info() {},
  log() {},
  warn: console.warn,
  error: console.error,
};

describe('the engine inside a Temporal workflow bundle', () => {
  let code: string;

  beforeAll(async () => {
    const bundle = await bundleWorkflowCode({ workflowsPath, logger: quiet });
    code = bundle.code;
  }, 120_000);

  it('bundles without errors or disallowed modules', () => {
    expect(code.length).toBeGreaterThan(10_000);
    expect(code).toContain('rulesWorkflow');
    expect(code).toContain('evaluateRules');
  });

  describe('on the real dev server', () => {
    let native: NativeConnection;
    let client: Client;
    beforeAll(async () => {
      native = await NativeConnection.connect({ address: inject('temporalAddress') });
      client = new Client({
        connection: await Connection.connect({ address: inject('temporalAddress') }),
      });
    });
    afterAll(async () => {
      await client?.connection.close();
      await native?.close();
    });

    it('evaluates rules at workflow time, renders and compiles', async () => {
      const taskQueue = `rules-bundle-${randomUUID()}`;
      const worker = await Worker.create({
        connection: native,
        taskQueue,
        workflowBundle: { code },
      });
      const run = (input: RulesWorkflowInput) =>
        client.workflow.execute<(i: RulesWorkflowInput) => Promise<RulesWorkflowResult>>(
          'rulesWorkflow',
          {
            taskQueue,
            workflowId: `rules-${randomUUID()}`,
            args: [input],
            workflowExecutionTimeout: '30s',
          },
        );
      const longAgo = new Date(Date.now() - 40 * 86_400_000).toISOString();
      const rules = {
        all: [
          { fact: 'follower' as const, path: '$.tags', operator: 'hasTag' as const, value: 'vip' },
          {
            fact: 'follower' as const,
            path: '$.lastInteractionAt',
            operator: 'daysAgoAtLeast' as const,
            value: 30,
          },
          { fact: 'follower' as const, path: '$.city', operator: 'matches' as const, value: '^上' },
        ],
      };
      const [yes, no] = await worker.runUntil(
        Promise.all([
          run({
            rules,
            flow,
            text: 'a'.repeat(40),
            follower: {
              openid: 'o1',
              tags: ['vip'],
              city: '上海',
              tier: 'gold',
              lastInteractionAt: longAgo,
            },
          }),
          run({
            rules,
            flow,
            // Linear time inside the sandbox too: this text would stall a backtracking engine.
            text: `${'a'.repeat(40)}!`,
            follower: { openid: 'o2', tags: ['vip'], lastInteractionAt: new Date().toISOString() },
          }),
        ]),
      );
      expect(yes.matched).toBe(true);
      expect(no.matched).toBe(false);
      expect([yes.keywordMatched, no.keywordMatched]).toEqual([true, false]);
      expect(yes.greeting).toBe('你好 上海 & gold');
      expect(yes.planHash).toBe(compile(flow).hash);
      expect(Math.abs(yes.now - Date.now())).toBeLessThan(60_000);
    });
  });
});
