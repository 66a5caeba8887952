package dev.doorman.session;

import dev.doorman.account.UserId;

/**
 * Told when sessions end, so that what was issued under them ends too (SE-07): Doorman revokes the refresh tokens
 * (and listed access tokens) bound to the session, or all of the user's.
 */
public interface SessionEndListener {
    SessionEndListener NONE = new SessionEndListener() {
        @Override
        public void sessionEnded(UserId user, SessionId session) {
        }

        @Override
        public void allSessionsEnded(UserId user) {
        }
    };

    /** One session ended: logout, or revocation of that session. */
    void sessionEnded(UserId user, SessionId session);

    /** The user's sessions were ended wholesale: password change or reset, disable, "log out everywhere". */
    void allSessionsEnded(UserId user);
}
