/** GET /qr/:id.png?brand=<slug> — a channel's code as a print-ready PNG download. */
import { data, type LoaderFunctionArgs } from '@remix-run/node';
import { findQrChannel, qrPng } from '~/lib/qr.server';
import { requireBrand, resourceDeps } from '~/lib/resources/context.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const brand = await requireBrand(request);
  // Only a channel of the brand in the URL: an id alone never reaches another brand's code.
  const channel = await findQrChannel(resourceDeps.db, brand.id, params.id ?? '');
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
