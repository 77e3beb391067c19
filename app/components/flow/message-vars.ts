/** What the message composer offers: message types and the variables it can insert. */
export const MESSAGE_TYPES = ['text', 'news', 'image', 'template', 'miniprogram'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const VARIABLES = [
  { token: 'follower.city', key: 'followerCity' },
  { token: 'follower.tier', key: 'followerTier' },
  { token: 'follower.points', key: 'followerPoints' },
  { token: 'follower.birthday', key: 'followerBirthday' },
  { token: 'coupon.code', key: 'couponCode' },
  { token: 'coupon.expiresAt', key: 'couponExpiresAt' },
  { token: 'event.scene', key: 'eventScene' },
  { token: 'event.text', key: 'eventText' },
] as const;
