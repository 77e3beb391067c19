import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Written by `npm run dev` while it runs, so CLI commands can reach the same stack. */
export interface DevStack {
  pid: number;
  webUrl: string;
  wechatApiBase: string | null;
  /** True when wechatApiBase is the built-in WeChat sandbox. */
  sandbox: boolean;
  temporalAddress: string;
}

export const stackFile = (dataDir: string) => join(dataDir, 'dev-stack.json');

export function readDevStack(dataDir: string): DevStack | null {
  try {
    const stack = JSON.parse(readFileSync(stackFile(dataDir), 'utf8')) as DevStack;
    process.kill(stack.pid, 0); // still running?
    return stack;
  } catch {
    return null;
  }
}
