/**
 * Channel QR codes: parametric codes created through WeChat (permanent QR_LIMIT_STR_SCENE or
 * temporary QR_STR_SCENE, ≤ 30 days), stored in qr_channels, rendered from their `url` with
 * the `qrcode` package (never fetched from mp.weixin.qq.com), with scans and follows counted
 * from the events that carry the channel's scene.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import QRCode from 'qrcode';
import type { Db } from '../../db/client';
import { recordAudit } from '../audit';
import type { Actor } from '../deps';
import { events, qrChannels } from '../../db/schema';
import { QR_MAX_DAYS, QR_NAME_MAX, QR_SCENE } from '../resources/limits';
import { isUuid, problem, refuse, type Problem, type Result } from '../resources/problems';
import { withWechat, type ResourceDeps } from '../wechat/calls';

export type QrKind = 'permanent' | 'temporary';

export interface QrRow {
  id: string;
  name: string;
  scene: string;
  kind: QrKind;
  url: string;
  expiresAt: string | null;
  expired: boolean;
  createdAt: string;
  scans: number;
  follows: number;
}

export async function listQrChannels(db: Db, brandId: string, now = new Date()): Promise<QrRow[]> {
  const rows = await db
    .select()
    .from(qrChannels)
    .where(eq(qrChannels.brandId, brandId))
    .orderBy(desc(qrChannels.createdAt));
  const scenes = rows.map((r) => r.scene);
  const tallies =
    scenes.length === 0
      ? []
      : await db
          .select({
            scene: sql<string>`${events.payload}->>'scene'`,
            scans: sql<number>`count(*) filter (where ${events.type} = 'qr_scan')`.mapWith(Number),
            follows: sql<number>`count(*) filter (where ${events.type} = 'follow')`.mapWith(Number),
          })
          .from(events)
          .where(
            and(
              eq(events.brandId, brandId),
              inArray(events.type, ['qr_scan', 'follow']),
              inArray(sql`${events.payload}->>'scene'`, scenes),
            ),
          )
          .groupBy(sql`${events.payload}->>'scene'`);
  const byScene = new Map(tallies.map((t) => [t.scene, t]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    scene: r.scene,
    kind: r.kind,
    url: r.url,
    expiresAt: r.expiresAt?.toISOString() ?? null,
    expired: r.expiresAt !== null && r.expiresAt <= now,
    createdAt: r.createdAt.toISOString(),
    scans: byScene.get(r.scene)?.scans ?? 0,
    follows: byScene.get(r.scene)?.follows ?? 0,
  }));
}

export interface QrInput {
  name: string;
  scene: string;
  kind: string;
  /** Temporary codes only: 1–30. */
  days?: number;
}

function checkInput(input: QrInput): Problem[] {
  const out: Problem[] = [];
  const name = input.name.trim();
  const scene = input.scene.trim();
  if (!name) out.push(problem('name_required', undefined, 'name'));
  else if ([...name].length > QR_NAME_MAX)
    out.push(problem('name_too_long_chars', { max: QR_NAME_MAX }, 'name'));
  if (!scene) out.push(problem('qr_scene_required', undefined, 'scene'));
  else if (!QR_SCENE.test(scene)) out.push(problem('qr_scene_invalid', { scene }, 'scene'));
  if (input.kind !== 'permanent' && input.kind !== 'temporary')
    out.push(problem('qr_bad_kind', undefined, 'kind'));
  if (input.kind === 'temporary') {
    const days = input.days;
    if (days === undefined || !Number.isInteger(days) || days < 1 || days > QR_MAX_DAYS) {
      out.push(problem('qr_bad_expiry', { max: QR_MAX_DAYS }, 'days'));
    }
  }
  return out;
}

/** Creates the code on WeChat, then the channel; a scene is used once per brand. */
export async function createQrChannel(
  deps: ResourceDeps,
  brandId: string,
  input: QrInput,
  actor: Actor,
): Promise<Result<{ channel: { id: string; scene: string } }>> {
  const invalid = checkInput(input);
  if (invalid.length > 0) return refuse(...invalid);
  const name = input.name.trim();
  const scene = input.scene.trim();
  const kind = input.kind as QrKind;
  const taken = async () => {
    const [row] = await deps.db
      .select({ id: qrChannels.id })
      .from(qrChannels)
      .where(and(eq(qrChannels.brandId, brandId), eq(qrChannels.scene, scene)));
    return Boolean(row);
  };
  // Checked before asking WeChat: a permanent code cannot be taken back.
  if (await taken()) return refuse(problem('qr_scene_taken', { scene }, 'scene'));
  const created = await withWechat(deps, brandId, 'qr.create', (client) =>
    client.createQrCode(
      kind === 'permanent'
        ? { action_name: 'QR_LIMIT_STR_SCENE', action_info: { scene: { scene_str: scene } } }
        : {
            action_name: 'QR_STR_SCENE',
            expire_seconds: (input.days ?? QR_MAX_DAYS) * 86_400,
            action_info: { scene: { scene_str: scene } },
          },
    ),
  );
  if (!created.ok) return refuse(created.problem);
  const { ticket, url, expire_seconds } = created.value;
  const expiresAt =
    kind === 'temporary'
      ? new Date(Date.now() + (expire_seconds ?? (input.days ?? QR_MAX_DAYS) * 86_400) * 1000)
      : null;
  const row = await deps.db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(qrChannels)
      .values({ brandId, name, scene, kind, ticket, url, expiresAt })
      .onConflictDoNothing({ target: [qrChannels.brandId, qrChannels.scene] })
      .returning({ id: qrChannels.id, scene: qrChannels.scene });
    if (inserted)
      await recordAudit(tx, {
        actor,
        action: 'qr.created',
        brandId,
        target: { type: 'qr_channel', id: inserted.id },
        details: { name, scene, kind },
      });
    return inserted;
  });
  // Lost a race with another request for the same scene: theirs is the channel.
  if (!row) return refuse(problem('qr_scene_taken', { scene }, 'scene'));
  return { ok: true, channel: row };
}

/** One of this brand's channels (for the PNG download), by an id from the URL. */
export async function findQrChannel(db: Db, brandId: string, id: string) {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select()
    .from(qrChannels)
    .where(and(eq(qrChannels.id, id), eq(qrChannels.brandId, brandId)));
  return row ?? null;
}

/** The code as an SVG data URL, for an <img> on the page. */
export async function qrSvgDataUrl(url: string): Promise<string> {
  const svg = await QRCode.toString(url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** A print-ready PNG (1024 px): channel codes end up on cups and posters. */
export function qrPng(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { type: 'png', width: 1024, margin: 4, errorCorrectionLevel: 'M' });
}

/** The QR channels' use cases over one set of dependencies (the brand: requireMember's). */
export function createQr(deps: ResourceDeps) {
  return {
    list: (brandId: string, now?: Date) => listQrChannels(deps.db, brandId, now),
    create: (actor: Actor, brandId: string, input: QrInput) =>
      createQrChannel(deps, brandId, input, actor),
    find: (brandId: string, id: string) => findQrChannel(deps.db, brandId, id),
  };
}

export type QrService = ReturnType<typeof createQr>;
