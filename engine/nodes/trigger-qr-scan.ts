import { QrScanFilter } from '../schema/event-matcher';
import { defineNode, NEXT, sceneResources } from './spec';

/**
 * Enters on a parametric QR scan. A follow through a QR code is a scan by a new follower,
 * so unless the trigger is for existing followers only it also listens to follows.
 */
export const triggerQrScan = defineNode({
  kind: 'trigger.qr_scan',
  category: 'trigger',
  title: { 'zh-CN': '扫码', en: 'QR scan' },
  config: QrScanFilter,
  ports: () => NEXT,
  plan: (c) => c,
  opensWindow: true,
  entry: (nodeId, c) => ({
    kind: 'event',
    nodeId,
    eventTypes: c.who === 'existing' ? ['qr_scan'] : ['qr_scan', 'follow'],
    matcher: { type: 'qr_scan', ...c },
  }),
  resources: (c) => sceneResources(c.scenes, ['scenes']),
});
