import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { db } from '~/lib/db.server';
import { logger } from '~/lib/logger.server';
import { secretBox } from '~/lib/secrets.server';
import { handleWechatCallback } from '~/lib/wechat-callback.server';

const deps = { db, box: secretBox, logger };

/** WeChat's URL check (echostr). */
export function loader({ params, request }: LoaderFunctionArgs) {
  return handleWechatCallback(deps, params.brand ?? '', request);
}

/** Every push from WeChat. */
export function action({ params, request }: ActionFunctionArgs) {
  return handleWechatCallback(deps, params.brand ?? '', request);
}
