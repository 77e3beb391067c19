/** A signed-in person's own account: changing the password signs out their other browsers. */
import type { AuditService } from '../audit';
import type { Actor } from '../deps';
import type { ClientInfo, NewSession, SessionsService } from './sessions';
import type { UsersService } from './users';

export function createAccount(deps: {
  users: UsersService;
  sessions: SessionsService;
  audit: AuditService;
}) {
  return {
    /**
     * Checks the current password, sets the new one, ends every other session of the user and
     * replaces this browser's (`token`) with a fresh one, which it returns.
     */
    async changePassword(
      actor: Extract<Actor, { kind: 'user' }>,
      input: { token: string; current: unknown; next: unknown; client?: ClientInfo },
    ): Promise<NewSession> {
      await deps.users.changePassword(actor.userId, input.current, input.next);
      // They just proved the password: a session ended meanwhile is simply replaced.
      const fresh =
        (await deps.sessions.rotate(input.token, input.client)) ??
        (await deps.sessions.create(actor.userId, input.client));
      await deps.sessions.revokeAllForUser(actor.userId, fresh.token);
      await deps.audit.record({
        actor,
        action: 'user.password_changed',
        target: { type: 'user', id: actor.userId },
      });
      return fresh;
    },
  };
}
