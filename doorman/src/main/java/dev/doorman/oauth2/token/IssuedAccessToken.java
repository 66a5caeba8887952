package dev.doorman.oauth2.token;

import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.JWTID;
import dev.doorman.account.UserId;
import dev.doorman.oauth2.GrantId;
import dev.doorman.session.SessionId;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A JWT access token as the ledger remembers it: enough to find it again by what it was issued under.
 *
 * @param family the refresh family it was issued beside (code exchange) or from (refresh); empty without one
 * @param user   empty for client credentials
 */
public record IssuedAccessToken(JWTID jti, GrantId grant, Optional<FamilyId> family, ClientID client, Optional<UserId> user,
                                Optional<SessionId> session, Instant expiresAt) {
    public IssuedAccessToken {
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(grant, "grant");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
