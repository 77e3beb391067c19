/** Where a webhook may go: the address classifier, the operator's allow-list, the save-time check. */
import { describe, expect, it } from 'vitest';
import {
  addressAllowed,
  classifyAddress,
  hostAllowed,
  parseAllowList,
  parseIp,
  refusedAddress,
  refusedUrl,
  type AddressCategory,
} from './net';
import { validate } from './validate/index';

describe('classifyAddress', () => {
  it.each<[string, AddressCategory]>([
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['101.226.103.106', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.5', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['169.254.1.1', 'linkLocal'],
    ['169.254.169.254', 'metadata'],
    ['169.254.170.2', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['100.128.0.1', 'public'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a00:5', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['::127.0.0.1', 'reserved'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['64:ff9b::808:808', 'public'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:808:808::1', 'public'],
    ['fd00:ec2::254', 'metadata'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['fe80::1%eth0', 'linkLocal'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['2001::1', 'reserved'],
    ['2400:3200::1', 'public'],
    ['2001:4860:4860::8888', 'public'],
    ['not an address', 'reserved'],
    ['256.1.1.1', 'reserved'],
    ['1::2::3', 'reserved'],
  ])('%s is %s', (ip, category) => {
    expect(classifyAddress(ip)).toBe(category);
  });

  it('parses the forms DNS and URL give', () => {
    expect(parseIp('::ffff:127.0.0.1')).toEqual(parseIp('::ffff:7f00:1'));
    expect(parseIp('1:2:3:4:5:6:7:8')).toHaveLength(16);
    expect(parseIp('1:2:3:4:5:6:7')).toBeNull();
    expect(parseIp('1:2:3:4:5:6:7:8:9')).toBeNull();
  });
});

describe('the allow-list', () => {
  const list = ['127.0.0.1', '10.1.0.0/16', 'fd00:1::/32', 'crm.internal', '*.corp.example'];

  it('parses hosts, subdomains, addresses and networks, and names what it cannot', () => {
    expect(parseAllowList('127.0.0.1, crm.internal  10.0.0.0/8').entries).toHaveLength(3);
    expect(parseAllowList('10.0.0.0/33,bad_host,1.2.3.4/x,*.ok.example,a/b/c').invalid).toEqual([
      '10.0.0.0/33',
      'bad_host',
      '1.2.3.4/x',
      'a/b/c',
    ]);
  });

  it.each([
    ['127.0.0.1', true],
    ['::ffff:127.0.0.1', true],
    ['127.0.0.2', false],
    ['10.1.200.3', true],
    ['10.2.0.1', false],
    ['fd00:1:2::9', true],
    ['fd00:2::9', false],
  ])('address %s allowed: %s', (ip, allowed) => {
    expect(addressAllowed(list, ip)).toBe(allowed);
  });

  it.each([
    ['crm.internal', true],
    ['CRM.Internal.', true],
    ['x.crm.internal', false],
    ['hooks.corp.example', true],
    ['corp.example', false],
    ['evilcorp.example', false],
  ])('host %s allowed: %s', (host, allowed) => {
    expect(hostAllowed(list, host)).toBe(allowed);
  });

  it('refuses at connect time what is inside and not allowed, by host or by address', () => {
    expect(refusedAddress([], 'hooks.example.com', '127.0.0.1')).toEqual({
      host: 'hooks.example.com',
      address: '127.0.0.1',
      category: 'loopback',
    });
    expect(refusedAddress(['hooks.example.com'], 'hooks.example.com', '127.0.0.1')).toBeNull();
    expect(refusedAddress(['127.0.0.0/8'], 'hooks.example.com', '127.0.0.1')).toBeNull();
    expect(refusedAddress([], 'hooks.example.com', '93.184.216.34')).toBeNull();
  });
});

describe('save time: the URL by itself', () => {
  it.each([
    ['http://127.0.0.1:8080/hook', 'loopback'],
    ['http://127.1/hook', 'loopback'], // URL normalises it to 127.0.0.1
    ['http://2130706433/', 'loopback'],
    ['http://0x7f.0.0.1/', 'loopback'],
    ['http://0/', 'unspecified'],
    ['http://[::1]/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['http://[fd00:ec2::254]/', 'metadata'],
    ['http://10.0.0.8/crm', 'private'],
    ['http://localhost:3000/', 'loopback'],
    ['http://LOCALHOST./', 'loopback'],
    ['http://api.localhost/', 'loopback'],
  ])('%s is refused (%s)', (url, category) => {
    expect(refusedUrl([], url)?.category).toBe(category);
  });

  it.each([
    'https://crm.example.com/hooks',
    'http://8.8.8.8/',
    'https://[2400:3200::1]/',
    'https://localhost.example.com/',
  ])('%s is accepted', (url) => {
    expect(refusedUrl([], url)).toBeNull();
  });

  it('accepts what the operator allows', () => {
    expect(refusedUrl(['127.0.0.1'], 'http://127.0.0.1:8080/hook')).toBeNull();
    expect(refusedUrl(['localhost'], 'http://localhost:3000/')).toBeNull();
    expect(refusedUrl(['127.0.0.1'], 'http://localhost:3000/')?.category).toBe('loopback');
  });

  const doc = (url: string) => ({
    format: 'fanfare.flow/v1',
    name: 't',
    nodes: [
      { id: 'f', kind: 'trigger.follow' },
      { id: 'hook', label: 'Notify CRM', kind: 'action.webhook', config: { url } },
    ],
    edges: [{ id: 'e', from: 'f', to: 'hook' }],
  });

  const errors = (...args: Parameters<typeof validate>) =>
    validate(...args).filter((i) => i.severity === 'error');

  it('an internal URL is an E_CONFIG on the URL field, named by its label, in both languages', () => {
    const issues = validate(doc('http://169.254.169.254/latest')).filter(
      (i) => i.severity === 'error',
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      code: 'E_CONFIG',
      nodeId: 'hook',
      path: '/nodes/1/config/url',
    });
    expect(issues[0]!.message.en).toBe(
      '"Notify CRM" (Webhook): "URL" points to 169.254.169.254, a cloud server\'s internal metadata address; a webhook may only call public addresses, or ones your operator allows.',
    );
    expect(issues[0]!.message['zh-CN']).toContain(
      '“地址”指向 169.254.169.254（云服务器的内部元数据地址）',
    );
    expect(
      errors(doc('http://127.0.0.1:9/x'), undefined, { webhookAllowList: ['127.0.0.1'] }),
    ).toEqual([]);
    expect(errors(doc('https://crm.example.com/x'))).toEqual([]);
  });
});
