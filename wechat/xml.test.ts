import { describe, expect, it } from 'vitest';
import {
  MAX_XML_BYTES,
  MAX_XML_DEPTH,
  WechatXmlError,
  buildEncryptedEnvelope,
  buildTextReplyXml,
  buildXml,
  parseWechatXml,
} from './xml';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof WechatXmlError ? err.code : `not a WechatXmlError: ${String(err)}`;
  }
  return undefined;
}

const SUBSCRIBE = `<xml>
  <ToUserName><![CDATA[gh_123456789abc]]></ToUserName>
  <FromUserName><![CDATA[o6_bmjrPTlm6_2sgVt7hMZOPfL2M]]></FromUserName>
  <CreateTime>1700000000</CreateTime>
  <MsgType><![CDATA[event]]></MsgType>
  <Event><![CDATA[subscribe]]></Event>
  <EventKey><![CDATA[qrscene_00042]]></EventKey>
  <Ticket><![CDATA[TICKET]]></Ticket>
</xml>`;

describe('parseWechatXml', () => {
  it('keeps leading zeros and every value a string', () => {
    const f = parseWechatXml(SUBSCRIBE);
    expect(f).toEqual({
      ToUserName: 'gh_123456789abc',
      FromUserName: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M',
      CreateTime: '1700000000',
      MsgType: 'event',
      Event: 'subscribe',
      EventKey: 'qrscene_00042',
      Ticket: 'TICKET',
    });
  });

  it('keeps a 64-bit MsgId exactly, and Content whitespace inside CDATA', () => {
    const f = parseWechatXml(
      '<xml><MsgId>9223372036854775807</MsgId><Content><![CDATA[ 0012 ]]></Content><Seq>0012</Seq></xml>',
    );
    expect(f.MsgId).toBe('9223372036854775807');
    expect(f.Content).toBe(' 0012 ');
    expect(f.Seq).toBe('0012');
  });

  it('decodes only predefined entities in plain text and leaves CDATA alone', () => {
    const f = parseWechatXml(
      '<xml><A>a &amp; b &lt;c&gt; &#20320;</A><B><![CDATA[&amp;]]></B><C>&foo;</C></xml>',
    );
    expect(f).toEqual({ A: 'a & b <c> 你', B: '&amp;', C: '&foo;' });
  });

  it('keeps nested elements as objects and empty ones as empty strings', () => {
    const f = parseWechatXml('<xml><E></E><F><![CDATA[]]></F><N><Count>2</Count></N></xml>');
    expect(f).toEqual({ E: '', F: '', N: { Count: '2' } });
  });

  it.each([
    [
      'billion laughs',
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><xml><A>&b;</A></xml>',
    ],
    [
      'external entity',
      '<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><A>&xxe;</A></xml>',
    ],
    ['lowercase doctype', '<!doctype xml><xml><A>1</A></xml>'],
  ])('rejects a DTD (%s)', (_name, body) => {
    expect(codeOf(() => parseWechatXml(body))).toBe('E_XML_DTD');
  });

  it('allows the text "<!DOCTYPE" inside CDATA', () => {
    expect(
      parseWechatXml('<xml><Content><![CDATA[<!DOCTYPE html>]]></Content></xml>').Content,
    ).toBe('<!DOCTYPE html>');
  });

  it('rejects bodies over the limit before parsing', () => {
    const big = `<xml><Content><![CDATA[${'x'.repeat(MAX_XML_BYTES)}]]></Content></xml>`;
    expect(codeOf(() => parseWechatXml(big))).toBe('E_XML_TOO_LARGE');
    expect(codeOf(() => parseWechatXml('<xml><A>12345</A></xml>', 10))).toBe('E_XML_TOO_LARGE');
  });

  // Issue 14, item 4: these reached PostgreSQL (text and jsonb refuse them) and answered 500.
  it.each([
    ['U+0000 as a reference', '<xml><A>&#0;</A></xml>'],
    ['U+0000 as a hex reference', '<xml><A>a&#x0;b</A></xml>'],
    ['a lone surrogate reference', '<xml><A>&#xD800;</A></xml>'],
    ['a lone low surrogate reference', '<xml><A>&#56320;</A></xml>'],
    ['U+FFFE as a reference', '<xml><A>&#xFFFE;</A></xml>'],
    ['a control character reference', '<xml><A>&#27;</A></xml>'],
    ['a raw U+0000 in text', '<xml><A>a\u0000b</A></xml>'],
    ['a raw U+0000 in CDATA', '<xml><A><![CDATA[a\u0000b]]></A></xml>'],
    ['a raw lone surrogate', '<xml><A>\ud800</A></xml>'],
    ['a raw U+0000 in an element name', '<xml><A\u0000>1</A\u0000></xml>'],
  ])('refuses a character XML does not allow (%s)', (_name, body) => {
    expect(codeOf(() => parseWechatXml(body))).toBe('E_XML_CHAR');
  });

  it('refuses a body that is not UTF-8, and keeps emoji and tabs', () => {
    const latin1 = Buffer.concat([
      Buffer.from('<xml><A>'),
      Buffer.from([0xe9, 0xff]),
      Buffer.from('</A></xml>'),
    ]);
    expect(codeOf(() => parseWechatXml(latin1))).toBe('E_XML_CHAR');
    expect(parseWechatXml(Buffer.from('<xml><A>😀\t&#x1F600;&#9;</A></xml>')).A).toBe('😀\t😀\t');
  });

  it('refuses nesting deeper than WeChat ever sends', () => {
    const deep = (n: number) => `<xml>${'<a>'.repeat(n)}x${'</a>'.repeat(n)}</xml>`;
    expect(codeOf(() => parseWechatXml(deep(MAX_XML_DEPTH - 1)))).toBeUndefined();
    expect(codeOf(() => parseWechatXml(deep(MAX_XML_DEPTH + 1)))).toBe('E_XML_MALFORMED');
    expect(codeOf(() => parseWechatXml(deep(5_000)))).toBe('E_XML_MALFORMED');
  });

  it.each([
    ['unclosed', '<xml><A>1</A>'],
    ['mismatched', '<xml><A>1</B></xml>'],
    ['not xml', 'hello'],
    ['wrong root', '<root><A>1</A></root>'],
    ['two roots', '<xml><A>1</A></xml><xml></xml>'],
    ['prototype key', '<xml><__proto__>1</__proto__></xml>'],
  ])('rejects malformed input (%s)', (_name, body) => {
    expect(codeOf(() => parseWechatXml(body))).toBe('E_XML_MALFORMED');
  });
});

describe('building XML', () => {
  it('wraps strings in CDATA, splits "]]>" and writes numbers bare', () => {
    expect(buildXml({ A: 'x]]>y', B: 3, C: undefined })).toBe(
      '<xml><A><![CDATA[x]]]]><![CDATA[>y]]></A><B>3</B></xml>',
    );
  });

  it('round-trips through the parser', () => {
    const xml = buildTextReplyXml({
      toUser: 'o1',
      fromUser: 'gh_1',
      createTime: 1700000000,
      content: 'a]]>b 007',
    });
    expect(parseWechatXml(xml)).toEqual({
      ToUserName: 'o1',
      FromUserName: 'gh_1',
      CreateTime: '1700000000',
      MsgType: 'text',
      Content: 'a]]>b 007',
    });
    const env = buildEncryptedEnvelope({
      encrypt: 'E',
      msgSignature: 'S',
      timestamp: '1',
      nonce: 'N',
    });
    expect(parseWechatXml(env)).toEqual({
      Encrypt: 'E',
      MsgSignature: 'S',
      TimeStamp: '1',
      Nonce: 'N',
    });
  });
});
