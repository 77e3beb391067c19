/** The stack's WeChat sandbox, where browser tests register Official Accounts. */
export function sandboxUrl(): string {
  const url =
    process.env.WECHAT_SANDBOX_URL ??
    (process.env.WECHAT_SANDBOX_PORT ? `http://127.0.0.1:${process.env.WECHAT_SANDBOX_PORT}` : '');
  if (!url) {
    throw new Error(
      'WECHAT_SANDBOX_URL (or WECHAT_SANDBOX_PORT) is required (npm run test:e2e sets it)',
    );
  }
  return url;
}
