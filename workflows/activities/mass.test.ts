import { describe, expect, it } from 'vitest';
import { chunksOf, MASS_MAX_OPENIDS, massBatchKey, massClientMsgId } from './mass';

describe('mass-send batches', () => {
  it('splits into as few lists of ≤ 10,000 as possible, evenly: none is left with one openid', () => {
    expect(chunksOf([])).toEqual([]);
    expect(chunksOf([1, 2, 3], 10).map((c) => c.length)).toEqual([3]);
    const many = Array.from({ length: MASS_MAX_OPENIDS + 1 }, (_, i) => i);
    expect(chunksOf(many).map((c) => c.length)).toEqual([5001, 5000]);
    expect(chunksOf(many).flat()).toEqual(many);
  });

  it('derives a clientmsgid per brand, batch and list: the same on a retry, another elsewhere', () => {
    const batch = massBatchKey('flow-1', 'news', '2026-11-29');
    expect(batch).toBe('flow-1:news:2026-11-29');
    const id = massClientMsgId('brand-1', batch, 0);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(massClientMsgId('brand-1', batch, 0)).toBe(id);
    expect(massClientMsgId('brand-1', batch, 1)).not.toBe(id);
    expect(massClientMsgId('brand-2', batch, 0)).not.toBe(id);
    expect(massClientMsgId('brand-1', massBatchKey('flow-1', 'news', '2026-11-30'), 0)).not.toBe(
      id,
    );
  });
});
