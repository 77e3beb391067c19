/**
 * The document's script nonce (lib/http/security-headers.server), from `entry.server.tsx` to
 * the root layout's `<Scripts>` and `<ScrollRestoration>`. Empty in the browser: a nonce only
 * matters in the server's HTML (browsers hide it from the DOM once the page is parsed).
 */
import { createContext, useContext } from 'react';

export const NonceContext = createContext<string | undefined>(undefined);

export const useNonce = () => useContext(NonceContext);
