package dev.doorman.oauth2.token;

import dev.doorman.account.UserId;
import dev.doorman.session.SessionId;
import org.jdbi.v3.core.Jdbi;

/** The ledger in {@code issued_access_tokens}. */
public final class JdbiAccessTokenLedger implements AccessTokenLedger {
    private final Jdbi jdbi;

    public JdbiAccessTokenLedger(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void save(IssuedAccessToken t) {
        jdbi.useHandle(h -> h.createUpdate("insert into issued_access_tokens (jti, grant_id, family_id, client_id, user_id, session_id, "
                        + "expires_at) values (:jti, :grant, :family, :client, :user, :session, :expires)")
                .bind("jti", t.jti().getValue())
                .bind("grant", t.grant().value())
                .bind("family", t.family().map(FamilyId::value).orElse(null))
                .bind("client", t.client().getValue())
                .bind("user", t.user().map(UserId::toString).orElse(null))
                .bind("session", t.session().map(SessionId::toString).orElse(null))
                .bind("expires", t.expiresAt().toEpochMilli())
                .execute());
    }
}
