/** Shapes the editor's server module sends to the browser (kept apart so both sides import them). */
import type { CouponExpiry } from '../../engine/coupon-expiry';
import type { TemplateKeyword } from '~/lib/engine';

export interface BrandResources {
  /** Tags marketers pick from (reserved menu tags left out). */
  tags: string[];
  /** Every tag on the account, reserved ones included (they count against WeChat's budget). */
  accountTags: string[];
  /** `expires`: the pool's codes have an expiry (else `{{coupon.expiresAt}}` renders empty). */
  couponPools: {
    name: string;
    available: number;
    expires: boolean;
    /** When its codes expire (the simulator dates its sample coupon with it); null: never. */
    expiry?: CouponExpiry | null;
  }[];
  menus: { name: string; isDefault: boolean }[];
  /** Message templates synced from WeChat: `fields` are the keyword keys, in order. */
  templates: {
    name: string;
    templateId: string;
    title: string;
    example: string;
    keywords: TemplateKeyword[];
    fields: string[];
  }[];
  qrChannels: { name: string; scene: string }[];
}

export interface VersionSummary {
  id: string;
  version: number;
  publishedAt: string;
  contentHash: string;
  nodeCount: number;
  /** Who published it (their name, else email); null for the operator's CLI or a deleted user. */
  publishedBy: string | null;
}
