import { secretKey } from '../../config/env';
import { SecretBox } from '../../services/secrets';
import { env } from '~/env.server';

/** Decrypts brand credentials (FANFARE_SECRET_KEY; a generated key in development). */
export const secretBox = new SecretBox(secretKey(env));
