/** Reading flow files and printing issues, shared by the flow commands. */
import { readFileSync } from 'node:fs';
import type { Issue, Lang } from '../../engine/index';
import { CliError } from '../context';

export function collectParam(
  value: string,
  previous: Record<string, string>,
): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new CliError('E_USAGE', `--param expects name=value (got "${value}")`, 2);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

export function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new CliError('E_FILE_UNREADABLE', `cannot read the ${what} file ${file} (${reason})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(
      'E_BAD_JSON',
      `the ${what} file ${file} is not valid JSON: ${(error as Error).message}`,
    );
  }
}

export function formatIssues(file: string, issues: Issue[], lang: Lang): string {
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;
  const zh = lang === 'zh-CN';
  if (issues.length === 0) return zh ? `✓ ${file}：没有问题` : `✓ ${file}: no issues`;
  const head = zh
    ? `${errors ? '✗' : '✓'} ${file}：${errors} 个错误，${warnings} 个警告`
    : `${errors ? '✗' : '✓'} ${file}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  const lines = issues.map((i) => {
    const where = [
      i.nodeId ? `node ${i.nodeId}` : null,
      i.edgeId ? `edge ${i.edgeId}` : null,
      i.path ?? null,
    ]
      .filter(Boolean)
      .join(' ');
    return `  ${i.severity.padEnd(7)} ${i.code.padEnd(22)} ${where ? `[${where}] ` : ''}${i.message[lang]}`;
  });
  return [head, ...lines].join('\n');
}
