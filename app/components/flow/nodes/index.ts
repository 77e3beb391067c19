/**
 * The editor's node registry: one entry per kind, typed over NodeKind so that a kind added
 * to the engine's catalog does not compile until it has its component here too.
 */
import type { NodeProps, NodeTypes } from '@xyflow/react';
import type { ComponentType } from 'react';
import type { NodeKind } from '~/lib/engine';
import type { FlowRfNode } from '../node-shell';
import { actionCoupon } from './action-coupon';
import { actionMenuSwap } from './action-menu-swap';
import { actionPush } from './action-push';
import { actionTag } from './action-tag';
import { actionUpdateProfile } from './action-update-profile';
import { actionWebhook } from './action-webhook';
import { conditionRules } from './condition-rules';
import { flowEnd } from './flow-end';
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
import type { NodeUi } from './types';
import { UnknownNode } from './unknown';
import { waitDelay } from './wait-delay';
import { waitEvent } from './wait-event';
import { waitUntil } from './wait-until';

export const nodeUi: { [K in NodeKind]: NodeUi<K> } = {
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
};

/** The React Flow node type of a kind outside the catalog (an imported typo, say). */
export const UNKNOWN_TYPE = 'unknown';

const byKind = Object.fromEntries(
  Object.entries(nodeUi).map(([kind, ui]) => [kind, ui.Node]),
) as Record<NodeKind, ComponentType<NodeProps<FlowRfNode>>>;
export const nodeTypes: NodeTypes = { ...byKind, [UNKNOWN_TYPE]: UnknownNode } as NodeTypes;
