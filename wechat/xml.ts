/**
 * WeChat callback XML: a flat `<xml>` element of CDATA/text fields.
 * Parsing keeps every value a string (`parseTagValue: false`: 64-bit MsgId, leading zeros in
 * EventKey/Content), never expands entities and refuses any DTD outright. Only characters XML
 * 1.0 allows get through, raw or as references (no U+0000, no lone surrogate, no U+FFFE): what
 * comes out can always be stored as PostgreSQL text and jsonb.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export type WechatXmlErrorCode = 'E_XML_TOO_LARGE' | 'E_XML_DTD' | 'E_XML_MALFORMED' | 'E_XML_CHAR';

export class WechatXmlError extends Error {
  override readonly name = 'WechatXmlError';
  constructor(
    readonly code: WechatXmlErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Real pushes are a few KiB; anything near this is not WeChat. */
export const MAX_XML_BYTES = 64 * 1024;

/** WeChat's deepest push nests four levels (SendPicsInfo › PicList › item › PicMd5Sum). */
export const MAX_XML_DEPTH = 16;

export type XmlValue = string | XmlFields | XmlValue[];
export interface XmlFields {
  [key: string]: XmlValue;
}

const CDATA = '__cdata';
const parser = new XMLParser({
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreAttributes: true,
  processEntities: false,
  htmlEntities: false,
  trimValues: false,
  cdataPropName: CDATA,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_XML_DEPTH,
});

/** XML 1.0 `Char`: tab, LF, CR and U+0020… minus the surrogates, U+FFFE and U+FFFF. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

const codePointName = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

function notAChar(code: number, how: string): WechatXmlError {
  return new WechatXmlError(
    'E_XML_CHAR',
    `${how} ${codePointName(code)}, a character XML does not allow (no WeChat push carries it)`,
  );
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Decodes the five predefined XML entities and numeric references; nothing else exists without
 * a DTD. A reference to a code point XML does not allow (`&#0;`, `&#xD800;`) is an error.
 */
function decodeText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (code > 0x10ffff) return whole;
      const char = String.fromCodePoint(code);
      if (NOT_XML_CHAR.test(char)) throw notAChar(code, `the reference ${whole} stands for`);
      return char;
    }
    return PREDEFINED[ref] ?? whole;
  });
}

function normalize(node: unknown): XmlValue {
  if (typeof node === 'string') return decodeText(node);
  if (Array.isArray(node)) return node.map(normalize);
  if (node && typeof node === 'object') {
    const entries = Object.entries(node as Record<string, unknown>);
    const elements = entries.filter(([k]) => k !== CDATA && k !== '#text');
    if (elements.length === 0) {
      // text and CDATA only: concatenate (whitespace-only text around CDATA is layout)
      const cdata = (node as Record<string, unknown>)[CDATA];
      const text = (node as Record<string, unknown>)['#text'];
      const parts = Array.isArray(cdata)
        ? cdata.map(String)
        : cdata === undefined
          ? []
          : [String(cdata)];
      const plain = typeof text === 'string' ? decodeText(text) : '';
      return parts.length > 0 && plain.trim() === '' ? parts.join('') : plain + parts.join('');
    }
    return Object.fromEntries(elements.map(([k, v]) => [k, normalize(v)]));
  }
  return '';
}

function stripCdata(text: string): string {
  return text.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
}

/** Parses a callback body into the fields of its `<xml>` root. */
export function parseWechatXml(body: string | Buffer, maxBytes = MAX_XML_BYTES): XmlFields {
  const size = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
  if (size > maxBytes)
    throw new WechatXmlError('E_XML_TOO_LARGE', `body is ${size} bytes (limit ${maxBytes})`);
  let text: string;
  try {
    text = typeof body === 'string' ? body : utf8.decode(body);
  } catch {
    throw new WechatXmlError('E_XML_CHAR', 'the body is not valid UTF-8');
  }
  const bad = NOT_XML_CHAR.exec(text);
  if (bad) throw notAChar(bad[0].codePointAt(0)!, 'the body contains');
  if (/<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i.test(stripCdata(text))) {
    throw new WechatXmlError('E_XML_DTD', 'DTD and entity declarations are not accepted');
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    throw new WechatXmlError('E_XML_MALFORMED', `malformed XML: ${valid.err.msg}`);
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch (err) {
    throw new WechatXmlError('E_XML_MALFORMED', `malformed XML: ${(err as Error).message}`);
  }
  const roots = Object.keys(doc as object).filter((k) => k !== '#text');
  const root = (doc as Record<string, unknown>).xml;
  if (roots.length !== 1 || root === undefined || Array.isArray(root)) {
    throw new WechatXmlError('E_XML_MALFORMED', 'expected a single <xml> root element');
  }
  const fields = normalize(root);
  return typeof fields === 'string' ? {} : (fields as XmlFields);
}

/** Reads a field as a string (first value of a repeated element); undefined when absent or nested. */
export function fieldText(fields: XmlFields, name: string): string | undefined {
  const v = fields[name];
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return undefined;
}

export function cdata(value: string): string {
  return `<![CDATA[${value.replace(/\]\]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** Builds a flat `<xml>`: strings as CDATA, numbers bare (as WeChat writes CreateTime). */
export function buildXml(fields: Record<string, string | number | undefined>): string {
  const body = Object.entries(fields)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => `<${k}>${typeof v === 'number' ? String(v) : cdata(v)}</${k}>`)
    .join('');
  return `<xml>${body}</xml>`;
}

export interface TextReply {
  /** The follower's openid (the inbound FromUserName). */
  toUser: string;
  /** The account's original id (the inbound ToUserName). */
  fromUser: string;
  createTime: number;
  content: string;
}

export function buildTextReplyXml(r: TextReply): string {
  return buildXml({
    ToUserName: r.toUser,
    FromUserName: r.fromUser,
    CreateTime: r.createTime,
    MsgType: 'text',
    Content: r.content,
  });
}

export interface EncryptedEnvelope {
  encrypt: string;
  msgSignature: string;
  timestamp: string;
  nonce: string;
}

export function buildEncryptedEnvelope(e: EncryptedEnvelope): string {
  return buildXml({
    Encrypt: e.encrypt,
    MsgSignature: e.msgSignature,
    TimeStamp: e.timestamp,
    Nonce: e.nonce,
  });
}
