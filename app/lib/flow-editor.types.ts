/** Shapes the editor's server module sends to the browser (kept apart so both sides import them). */
export interface BrandResources {
  /** Tags marketers pick from (reserved menu tags left out). */
  tags: string[];
  /** Every tag on the account, reserved ones included (they count against WeChat's budget). */
  accountTags: string[];
  couponPools: { name: string; available: number }[];
  menus: { name: string; isDefault: boolean }[];
  templates: { name: string; templateId: string; fields: string[] }[];
  qrChannels: { name: string; scene: string }[];
}

export interface VersionSummary {
  id: string;
  version: number;
  publishedAt: string;
  contentHash: string;
  nodeCount: number;
}
