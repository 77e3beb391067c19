import { describe, expect, it } from 'vitest';
import { type CallbackAccount, type CallbackResult, handleCallback } from './callback';
import { decryptMessage } from './crypto';
import { buildPush } from './sandbox/push';
import { computeMsgSignature, computeSignature } from './signature';
import { buildXml, parseWechatXml } from './xml';

const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const NOW = 1_700_000_000_000;
const TS = NOW / 1000;
const modes = ['plaintext', 'compatible', 'safe'] as const;

function account(mode: CallbackAccount['mode']): CallbackAccount {
  return { token: 'fanfare-token', appId: 'wx1234567890abcdef', aesKey: AES_KEY, mode };
}

const TEXT = {
  ToUserName: 'gh_123456789abc',
  FromUserName: 'o_fan',
  CreateTime: TS,
  MsgType: 'text',
  Content: '0042',
  MsgId: '9223372036854775807',
};

function expectRejected(r: CallbackResult, status: number, code: string) {
  expect(r.kind).toBe('rejected');
  if (r.kind === 'rejected') expect({ status: r.status, code: r.code }).toEqual({ status, code });
}

describe('handleCallback: URL check', () => {
  const q = { timestamp: String(TS), nonce: '42', echostr: 'echo-123' };
  it('echoes echostr when the signature matches', () => {
    const signature = computeSignature('fanfare-token', q.timestamp, q.nonce);
    const r = handleCallback({
      method: 'GET',
      query: { ...q, signature },
      account: account('safe'),
      now: NOW,
    });
    expect(r).toEqual({ kind: 'echo', status: 200, body: 'echo-123' });
  });

  it('rejects a bad signature with 401', () => {
    const r = handleCallback({
      method: 'GET',
      query: { ...q, signature: 'f'.repeat(40) },
      account: account('plaintext'),
      now: NOW,
    });
    expectRejected(r, 401, 'E_BAD_SIGNATURE');
  });

  it('reads URLSearchParams too', () => {
    const signature = computeSignature('fanfare-token', q.timestamp, q.nonce);
    const r = handleCallback({
      method: 'GET',
      query: new URLSearchParams({ ...q, signature }),
      account: account('plaintext'),
      now: NOW,
    });
    expect(r.kind).toBe('echo');
  });
});

describe.each(modes)('handleCallback: %s mode', (mode) => {
  const acct = account(mode);
  const push = () => buildPush(acct, TEXT, { timestamp: TS, nonce: '777' });

  it('verifies and parses a text message, keeping ids as strings', () => {
    const p = push();
    if (mode === 'safe') expect(parseWechatXml(p.body)).not.toHaveProperty('Content');
    const r = handleCallback({
      method: 'POST',
      query: p.query,
      body: p.body,
      account: acct,
      now: NOW,
    });
    expect(r.kind).toBe('message');
    if (r.kind !== 'message') return;
    expect(r.encrypted).toBe(mode !== 'plaintext');
    expect(r.message).toMatchObject({
      kind: 'text',
      content: '0042',
      msgId: '9223372036854775807',
    });
  });

  it('replies in plaintext or in an encrypted, signed envelope', () => {
    const p = push();
    const r = handleCallback({
      method: 'POST',
      query: p.query,
      body: p.body,
      account: acct,
      now: NOW,
    });
    if (r.kind !== 'message') throw new Error(`expected a message, got ${JSON.stringify(r)}`);
    const body = r.replyText('hello 007');
    const outer = parseWechatXml(body);
    let inner = outer;
    if (mode !== 'plaintext') {
      const { Encrypt, MsgSignature, TimeStamp, Nonce } = outer as Record<string, string>;
      expect(MsgSignature).toBe(computeMsgSignature(acct.token, TimeStamp!, Nonce!, Encrypt!));
      inner = parseWechatXml(decryptMessage(Encrypt!, { aesKey: AES_KEY, appId: acct.appId }).xml);
    }
    expect(inner).toEqual({
      ToUserName: 'o_fan',
      FromUserName: 'gh_123456789abc',
      CreateTime: String(TS),
      MsgType: 'text',
      Content: 'hello 007',
    });
  });

  it('identifies the message for the replay guard: a retry matches, another body does not', () => {
    const handled = (p: { query: Record<string, string>; body: string }) => {
      const r = handleCallback({
        method: 'POST',
        query: p.query,
        body: p.body,
        account: acct,
        now: NOW,
      });
      if (r.kind !== 'message') throw new Error(`expected a message, got ${JSON.stringify(r)}`);
      return r;
    };
    const first = handled(push());
    expect(first).toMatchObject({ nonce: '777', timestamp: TS });
    // A re-encrypted copy of the same message (fresh random prefix) is the same push.
    expect(handled(push()).fingerprint).toBe(first.fingerprint);
    const other = buildPush(acct, { ...TEXT, Content: 'other' }, { timestamp: TS, nonce: '777' });
    expect(handled(other).fingerprint).not.toBe(first.fingerprint);
  });

  it('refuses a nonce WeChat would never send with 400', () => {
    for (const nonce of ['n'.repeat(65), 'a b', '']) {
      const p = buildPush(acct, TEXT, { timestamp: TS, nonce: nonce || 'x' });
      const r = handleCallback({
        method: 'POST',
        query: { ...p.query, nonce },
        body: p.body,
        account: acct,
        now: NOW,
      });
      expectRejected(r, nonce ? 400 : 401, nonce ? 'E_BAD_PARAMS' : 'E_MISSING_PARAMS');
    }
  });

  it('rejects a bad signature with 401', () => {
    const p = push();
    const r = handleCallback({
      method: 'POST',
      query: { ...p.query, signature: '0'.repeat(40) },
      body: p.body,
      account: acct,
      now: NOW,
    });
    expectRejected(r, 401, 'E_BAD_SIGNATURE');
  });

  it('rejects a stale timestamp with 401', () => {
    const p = push();
    const r = handleCallback({
      method: 'POST',
      query: p.query,
      body: p.body,
      account: acct,
      now: NOW + 301_000,
    });
    expectRejected(r, 401, 'E_STALE_TIMESTAMP');
    const ok = handleCallback({
      method: 'POST',
      query: p.query,
      body: p.body,
      account: acct,
      now: NOW + 299_000,
    });
    expect(ok.kind).toBe('message');
  });

  it('rejects malformed XML with 400', () => {
    const p = push();
    const r = handleCallback({
      method: 'POST',
      query: p.query,
      body: '<xml><A>',
      account: acct,
      now: NOW,
    });
    expectRejected(r, 400, 'E_XML_MALFORMED');
  });

  it('rejects an oversized body with 400', () => {
    const p = push();
    const r = handleCallback({
      method: 'POST',
      query: p.query,
      body: `<xml><A>${'x'.repeat(70_000)}</A></xml>`,
      account: acct,
      now: NOW,
    });
    expectRejected(r, 400, 'E_XML_TOO_LARGE');
  });
});

describe('handleCallback: encrypted specifics', () => {
  it('rejects a bad msg_signature with 401', () => {
    const acct = account('safe');
    const p = buildPush(acct, TEXT, { timestamp: TS });
    const r = handleCallback({
      method: 'POST',
      query: { ...p.query, msg_signature: 'a'.repeat(40) },
      body: p.body,
      account: acct,
      now: NOW,
    });
    expectRejected(r, 401, 'E_BAD_MSG_SIGNATURE');
  });

  it('in compatible mode trusts the signed Encrypt, not the plaintext copy', () => {
    const acct = account('compatible');
    const p = buildPush(acct, TEXT, { timestamp: TS });
    const forged = p.body.replace('<![CDATA[0042]]>', '<![CDATA[forged]]>');
    const r = handleCallback({
      method: 'POST',
      query: p.query,
      body: forged,
      account: acct,
      now: NOW,
    });
    expect(r.kind === 'message' && r.message.kind === 'text' && r.message.content).toBe('0042');
  });

  it('rejects a push encrypted for another AppId with 400', () => {
    const p = buildPush({ ...account('safe'), appId: 'wxother' }, TEXT, { timestamp: TS });
    const r = handleCallback({
      method: 'POST',
      query: p.query,
      body: p.body,
      account: account('safe'),
      now: NOW,
    });
    expectRejected(r, 400, 'E_BAD_APPID');
  });

  it('safe mode refuses an unencrypted push', () => {
    const p = buildPush(account('plaintext'), TEXT, { timestamp: TS });
    const r = handleCallback({
      method: 'POST',
      query: p.query,
      body: p.body,
      account: account('safe'),
      now: NOW,
    });
    expectRejected(r, 400, 'E_ENCRYPTION_REQUIRED');
  });

  it('a plaintext account without a key cannot read an encrypted push', () => {
    const p = buildPush(account('safe'), TEXT, { timestamp: TS });
    const r = handleCallback({
      method: 'POST',
      query: p.query,
      body: p.body,
      account: { ...account('plaintext'), aesKey: undefined },
      now: NOW,
    });
    expectRejected(r, 400, 'E_NO_AES_KEY');
  });

  it('rejects a valid push of an invalid message with 400', () => {
    const acct = account('plaintext');
    const body = buildXml({ ...TEXT, MsgId: undefined });
    const p = buildPush(acct, TEXT, { timestamp: TS });
    const r = handleCallback({ method: 'POST', query: p.query, body, account: acct, now: NOW });
    expectRejected(r, 400, 'E_BAD_MESSAGE');
  });

  it('rejects other methods with 405 and missing params with 401', () => {
    expectRejected(
      handleCallback({ method: 'PUT', query: {}, account: account('safe') }),
      405,
      'E_METHOD',
    );
    expectRejected(
      handleCallback({ method: 'POST', query: {}, body: '<xml/>', account: account('safe') }),
      401,
      'E_MISSING_PARAMS',
    );
  });
});
