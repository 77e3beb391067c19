import { ApplicationFailure } from '@temporalio/activity';
import { isRetryable, isWechatError } from '../../wechat/errors';

/**
 * Business failures (a WeChat refusal, an empty pool, an unknown menu) end the step for good;
 * infrastructure failures (network, WeChat busy, 5xx, the database) are rethrown for
 * Temporal to retry with backoff.
 */
export function businessFailure(type: string, message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, type);
}

export function classifyWechat(error: unknown): never {
  if (isWechatError(error) && !isRetryable(error) && error.kind === 'api') {
    throw businessFailure(
      `WECHAT_${error.errcode}`,
      `WeChat refused: ${error.errcode} ${error.errmsg}`,
    );
  }
  throw error;
}
