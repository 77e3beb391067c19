/**
 * Temporal's time-skipping test server (installed by test/setup/install-tools.sh), for tests
 * that let days pass in a moment (`env.sleep('49h')`).
 */
import { execFileSync } from 'node:child_process';
import { TestWorkflowEnvironment } from '@temporalio/testing';

export function startTimeSkipping(): Promise<TestWorkflowEnvironment> {
  const path = execFileSync('sh', ['-c', 'command -v temporal-test-server'], {
    encoding: 'utf8',
  }).trim();
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path } },
  });
}
