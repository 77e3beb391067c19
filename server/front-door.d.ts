import type { IncomingMessage, ServerResponse } from 'node:http';

export interface FrontDoorBuild {
  entry: {
    module: {
      frontDoor?: (request: Request) => Response | null;
      securityHeaders?: (pathname: string) => Headers;
    };
  };
}

export function frontDoorMiddleware(
  getBuild: () => Promise<FrontDoorBuild>,
): (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => Promise<void>;

export function securityHeadersMiddleware(
  getBuild: () => Promise<FrontDoorBuild>,
): (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => Promise<void>;
