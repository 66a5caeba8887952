package dev.doorman.oauth2.token;

import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.doorman.account.UserId;
import dev.doorman.oauth2.GrantId;
import dev.doorman.session.SessionId;

import java.util.Objects;

/**
 * Which issued tokens to revoke. The same value selects refresh tokens ({@link RefreshTokenStore#revoke}) and access
 * tokens ({@link dev.doorman.oauth2.revocation.RevocationList#revokeAll}), so a caller revokes both halves alike:
 * <ul>
 *   <li>{@link Grant}: a replayed code (OA-06);</li>
 *   <li>{@link Family}: a reused refresh token (OA-16), or a refresh token revoked at the revocation endpoint (OA-21);</li>
 *   <li>{@link User}: logout everywhere, password change or reset, disable (SE-07);</li>
 *   <li>{@link Session}: logout or revocation of one session;</li>
 *   <li>{@link UserAndClient}: a withdrawn consent (OA-12);</li>
 *   <li>{@link Client}: a deleted client.</li>
 * </ul>
 */
public sealed interface TokensOf {
    record Grant(GrantId grant) implements TokensOf {
        public Grant {
            Objects.requireNonNull(grant, "grant");
        }
    }

    record Family(FamilyId family) implements TokensOf {
        public Family {
            Objects.requireNonNull(family, "family");
        }
    }

    record User(UserId user) implements TokensOf {
        public User {
            Objects.requireNonNull(user, "user");
        }
    }

    record Session(SessionId session) implements TokensOf {
        public Session {
            Objects.requireNonNull(session, "session");
        }
    }

    record UserAndClient(UserId user, ClientID client) implements TokensOf {
        public UserAndClient {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(client, "client");
        }
    }

    record Client(ClientID client) implements TokensOf {
        public Client {
            Objects.requireNonNull(client, "client");
        }
    }

    static TokensOf grant(GrantId grant) {
        return new Grant(grant);
    }

    static TokensOf family(FamilyId family) {
        return new Family(family);
    }

    static TokensOf user(UserId user) {
        return new User(user);
    }

    static TokensOf session(SessionId session) {
        return new Session(session);
    }

    static TokensOf userAndClient(UserId user, ClientID client) {
        return new UserAndClient(user, client);
    }

    static TokensOf client(ClientID client) {
        return new Client(client);
    }
}
