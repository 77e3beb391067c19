/** GET /brands/<slug>/qr/<id>.png — a channel's code as a print-ready PNG download (viewer). */
import { data, type LoaderFunctionArgs } from '@remix-run/node';
import { requireMember } from '~/lib/auth.server';
import { services } from '~/lib/services.server';
import { qrPng } from '../../services/qr/index';
import { REQUIRED_ROLE } from '../../services/members/roles';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { member } = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['brand.read'],
  });
  // Only a channel of the brand in the URL: an id alone never reaches another brand's code.
  const channel = await services.qr.find(member.brand.id, params.id ?? '');
  if (!channel) throw data({ reason: 'not-found' }, { status: 404 });
  const png = await qrPng(channel.url);
  return new Response(new Uint8Array(png), {
    headers: {
      'Content-Type': 'image/png',
      'Content-Disposition': `attachment; filename="qr-${channel.scene}.png"`,
      'Cache-Control': 'private, max-age=300',
    },
  });
}
