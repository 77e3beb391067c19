/**
 * Request and response shapes of the Official Account endpoints Fanfare uses (docs/wechat.md).
 * Field names are WeChat's own (snake_case): these are wire types.
 */

export interface StableTokenRequest {
  grant_type: 'client_credential';
  appid: string;
  secret: string;
  force_refresh?: boolean;
}
export interface AccessTokenResponse {
  access_token: string;
  expires_in: number;
}

export type Lang = 'zh_CN' | 'zh_TW' | 'en';

export type SubscribeScene =
  | 'ADD_SCENE_SEARCH'
  | 'ADD_SCENE_ACCOUNT_MIGRATION'
  | 'ADD_SCENE_PROFILE_CARD'
  | 'ADD_SCENE_QR_CODE'
  | 'ADD_SCENE_PROFILE_LINK'
  | 'ADD_SCENE_PROFILE_ITEM'
  | 'ADD_SCENE_PAID'
  | 'ADD_SCENE_WECHAT_ADVERTISEMENT'
  | 'ADD_SCENE_REPRINT'
  | 'ADD_SCENE_LIVESTREAM'
  | 'ADD_SCENE_CHANNELS'
  | 'ADD_SCENE_OTHERS';

export interface SubscribedUserInfo {
  subscribe: 1;
  openid: string;
  language: string;
  subscribe_time: number;
  unionid?: string;
  remark: string;
  groupid: number;
  tagid_list: number[];
  subscribe_scene: SubscribeScene | string;
  qr_scene: number;
  qr_scene_str: string;
}
export interface UnsubscribedUserInfo {
  subscribe: 0;
  openid: string;
  unionid?: string;
}
export type UserInfo = SubscribedUserInfo | UnsubscribedUserInfo;

export interface BatchGetUserInfoRequest {
  user_list: { openid: string; lang?: Lang }[];
}
export interface BatchGetUserInfoResponse {
  user_info_list: UserInfo[];
}

export interface OpenidPage {
  total: number;
  count: number;
  data?: { openid: string[] };
  next_openid: string;
}

export interface Tag {
  id: number;
  name: string;
  count: number;
}
export interface CreateTagResponse {
  tag: { id: number; name: string };
}
export interface GetTagsResponse {
  tags: Tag[];
}
export interface TagMembersRequest {
  openid_list: string[];
  tagid: number;
}
export interface TagIdListResponse {
  tagid_list: number[];
}

export type MenuButton =
  | { type: 'click'; name: string; key: string }
  | { type: 'view'; name: string; url: string }
  | { type: 'miniprogram'; name: string; url: string; appid: string; pagepath: string }
  | {
      type:
        | 'scancode_push'
        | 'scancode_waitmsg'
        | 'pic_sysphoto'
        | 'pic_photo_or_album'
        | 'pic_weixin'
        | 'location_select';
      name: string;
      key: string;
    }
  | {
      type: 'media_id' | 'article_id' | 'article_view_limited';
      name: string;
      media_id?: string;
      article_id?: string;
    }
  | { name: string; sub_button: MenuButton[] };

export interface Menu {
  button: MenuButton[];
}
/** Only `tag_id` (and client platform) still match: docs/wechat.md#menus. */
export interface MatchRule {
  tag_id?: string;
  client_platform_type?: string;
}
export interface ConditionalMenu extends Menu {
  matchrule: MatchRule;
  menuid: string;
}
export interface GetMenuResponse {
  menu: Menu & { menuid?: string };
  conditionalmenu?: ConditionalMenu[];
}
export interface AddConditionalResponse {
  menuid: string;
}
export interface TryMatchResponse {
  button: MenuButton[];
}

export type QrActionName = 'QR_SCENE' | 'QR_STR_SCENE' | 'QR_LIMIT_SCENE' | 'QR_LIMIT_STR_SCENE';
export interface QrCodeRequest {
  expire_seconds?: number;
  action_name: QrActionName;
  action_info: { scene: { scene_id?: number; scene_str?: string } };
}
export interface QrCodeResponse {
  ticket: string;
  expire_seconds?: number;
  url: string;
}

export type CustomMessage =
  | { touser: string; msgtype: 'text'; text: { content: string } }
  | { touser: string; msgtype: 'image'; image: { media_id: string } }
  | {
      touser: string;
      msgtype: 'news';
      news: { articles: { title: string; description?: string; url: string; picurl?: string }[] };
    }
  | { touser: string; msgtype: 'mpnewsarticle'; mpnewsarticle: { article_id: string } }
  | {
      touser: string;
      msgtype: 'miniprogrampage';
      miniprogrampage: { title: string; appid: string; pagepath: string; thumb_media_id: string };
    };

export interface TemplateMessage {
  touser: string;
  template_id: string;
  url?: string;
  miniprogram?: { appid: string; pagepath?: string };
  data: Record<string, { value: string }>;
  client_msg_id?: string;
}
/** One of the account's private templates (`template/get_all_private_template`). */
export interface PrivateTemplate {
  template_id: string;
  title: string;
  primary_industry: string;
  deputy_industry: string;
  /** One `{{key.DATA}}` per keyword, e.g. `到期时间：{{time2.DATA}}`. */
  content: string;
  example: string;
}
export interface PrivateTemplateList {
  template_list: PrivateTemplate[];
}

/**
 * `message/mass/send` by OpenID list (verified service accounts): 2–10,000 openids; with
 * `clientmsgid` a repeat within 24 hours is refused with 45065 instead of sent again.
 */
export type MassMessage = {
  touser: string[];
  clientmsgid?: string;
  send_ignore_reprint?: 0 | 1;
} & (
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'image'; image: { media_id: string } }
  | { msgtype: 'mpnews'; mpnews: { media_id: string } }
);

/** msg_id / msg_data_id are 64-bit: strings here. */
export interface MassSendResponse {
  msg_id: string;
  msg_data_id?: string;
}

/** msgid is 64-bit: always a string here. */
export interface TemplateSendResponse {
  msgid: string;
}

export interface WechatErrorBody {
  errcode: number;
  errmsg: string;
}
