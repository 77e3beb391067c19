/**
 * The node catalog. Typed as a mapped type over NodeKind: adding a kind to NODE_KINDS does
 * not compile until it has a spec here (and in every other `Record<NodeKind, …>`).
 */
import { actionCoupon } from './action-coupon';
import { actionMenuSwap } from './action-menu-swap';
import { actionPush } from './action-push';
import { actionTag } from './action-tag';
import { actionUpdateProfile } from './action-update-profile';
import { actionWebhook } from './action-webhook';
import { conditionRules } from './condition-rules';
import { flowEnd } from './flow-end';
import { type NodeKind, type NodeSpec } from './spec';
import { splitRandom } from './split-random';
import { triggerAudience } from './trigger-audience';
import { triggerBirthday } from './trigger-birthday';
import { triggerEvent } from './trigger-event';
import { triggerFollow } from './trigger-follow';
import { triggerKeyword } from './trigger-keyword';
import { triggerLocation } from './trigger-location';
import { triggerMenuClick } from './trigger-menu-click';
import { triggerPurchase } from './trigger-purchase';
import { triggerQrScan } from './trigger-qr-scan';
import { triggerRepurchaseDue } from './trigger-repurchase-due';
import { triggerTagAdded } from './trigger-tag-added';
import { triggerUnfollow } from './trigger-unfollow';
import { waitDelay } from './wait-delay';
import { waitEvent } from './wait-event';
import { waitUntil } from './wait-until';

export const nodeSpecs = {
  'trigger.follow': triggerFollow,
  'trigger.unfollow': triggerUnfollow,
  'trigger.qr_scan': triggerQrScan,
  'trigger.keyword': triggerKeyword,
  'trigger.menu_click': triggerMenuClick,
  'trigger.location': triggerLocation,
  'trigger.birthday': triggerBirthday,
  'trigger.repurchase_due': triggerRepurchaseDue,
  'trigger.purchase': triggerPurchase,
  'trigger.tag_added': triggerTagAdded,
  'trigger.event': triggerEvent,
  'trigger.audience': triggerAudience,
  'condition.rules': conditionRules,
  'split.random': splitRandom,
  'wait.delay': waitDelay,
  'wait.until': waitUntil,
  'wait.event': waitEvent,
  'flow.end': flowEnd,
  'action.tag': actionTag,
  'action.coupon': actionCoupon,
  'action.push': actionPush,
  'action.menu_swap': actionMenuSwap,
  'action.update_profile': actionUpdateProfile,
  'action.webhook': actionWebhook,
} satisfies { [K in NodeKind]: NodeSpec<unknown, unknown> };

export type NodeSpecs = typeof nodeSpecs;
/** The parsed config of a node kind (defaults applied). */
export type NodeConfig<K extends NodeKind> = ReturnType<NodeSpecs[K]['config']['parse']>;

/** The spec of a kind, erased to a common shape for generic code (validate, compile). */
export function specOf(kind: NodeKind): NodeSpec<unknown, unknown> {
  return nodeSpecs[kind] as unknown as NodeSpec<unknown, unknown>;
}

export * from './spec';
