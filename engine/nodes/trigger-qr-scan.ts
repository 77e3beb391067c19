import { QrScanFilter } from '../schema/event-matcher';
import { defineNode, NEXT, sceneResources } from './spec';
import { WHO_OPTIONS } from '../schema/labels';

/**
 * Enters on a parametric QR scan. A follow through a QR code is a scan by a new follower,
 * so unless the trigger is for existing followers only it also listens to follows.
 */
export const triggerQrScan = defineNode({
  kind: 'trigger.qr_scan',
  category: 'trigger',
  title: { 'zh-CN': '扫码', en: 'QR scan' },
  config: QrScanFilter,
  fields: {
    scenes: { en: 'QR scenes', 'zh-CN': '二维码场景值' },
    who: { en: 'Who enters', 'zh-CN': '谁会进入', options: WHO_OPTIONS },
  },
  ports: () => NEXT,
  plan: (c) => c,
  opensQuota: 'event',
  entry: (nodeId, c) => ({
    kind: 'event',
    nodeId,
    eventTypes: c.who === 'existing' ? ['qr_scan'] : ['qr_scan', 'follow'],
    matcher: { type: 'qr_scan', ...c },
  }),
  resources: (c) => sceneResources(c.scenes, ['scenes']),
});
