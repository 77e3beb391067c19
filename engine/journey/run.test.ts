import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../schema/event-matcher';
import { compile } from '../compile';
import { validFixtures } from '../../test/fixtures/flows/fixtures';
import { planHears } from './run';

const plan = (name: string) => {
  const found = validFixtures().find((f) => f.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return compile(found.doc);
};
const heard = (name: string) => EVENT_TYPES.filter((type) => planHears(plan(name), type));

describe('planHears: the events the router signals to a running journey', () => {
  it('an unfollow and the types of the exits, the goal and the event waits', () => {
    // exitOn keyword, goal purchase, a wait for a purchase
    expect(heard('dormant-reengagement')).toEqual(['unfollow', 'keyword', 'purchase']);
    // exitOn unfollow, a wait for a keyword
    expect(heard('golden-48h-welcome')).toEqual(['unfollow', 'keyword']);
    // goal purchase only
    expect(heard('cup-qr-coupon-vip')).toEqual(['unfollow', 'purchase']);
  });

  it('a flow that waits for nothing hears only the unfollow', () => {
    expect(heard('channel-qr-source')).toEqual(['unfollow']);
    expect(heard('birthday-gift')).toEqual(['unfollow']);
  });
});
