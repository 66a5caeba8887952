package dev.doorman.oauth2.token;

import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.doorman.account.UserId;
import dev.doorman.oauth2.Authentication;
import dev.doorman.oauth2.GrantId;
import dev.doorman.session.SessionId;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One refresh token as stored, by the SHA-256 of its value. Rotation marks it {@code rotatedAt} and stores a
 * successor in the same family, with the same grant, client, user, session, authentication and scope (OA-19: a
 * refresh narrows only the access token) and the same absolute expiry (OA-20).
 *
 * @param authentication  how the user authenticated for the grant that started the family, which every refresh
 *                        claims again; empty for a family from before migration V10, which does not know it
 * @param idleExpiresAt   unusable after this unless rotated before; never later than {@code familyExpiresAt}
 * @param familyExpiresAt the absolute end of the family, whatever the activity
 */
public record RefreshToken(String hash, FamilyId family, GrantId grant, ClientID client, Optional<UserId> user,
                           Optional<SessionId> session, Optional<Authentication> authentication, Scope scope, Instant createdAt,
                           Optional<Instant> lastUsedAt, Instant idleExpiresAt, Instant familyExpiresAt, Optional<Instant> rotatedAt,
                           Optional<Instant> revokedAt) {
    public enum State { ACTIVE, ROTATED, REVOKED, IDLE_EXPIRED, EXPIRED }

    public RefreshToken {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(grant, "grant");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(authentication, "authentication");
        scope = new Scope(Objects.requireNonNull(scope, "scope"));
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
        Objects.requireNonNull(idleExpiresAt, "idleExpiresAt");
        Objects.requireNonNull(familyExpiresAt, "familyExpiresAt");
        Objects.requireNonNull(rotatedAt, "rotatedAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
        if (idleExpiresAt.isAfter(familyExpiresAt)) throw new IllegalArgumentException("the idle expiry is past the family's absolute expiry");
    }

    /** The first token of a new family, as issued at the code exchange, which knows how the user authenticated. */
    public static RefreshToken first(String hash, GrantId grant, ClientID client, Optional<UserId> user, Optional<SessionId> session,
                                     Authentication authentication, Scope scope, Instant now, Duration idleTtl, Duration absoluteTtl) {
        Instant familyExpires = now.plus(absoluteTtl);
        return new RefreshToken(hash, FamilyId.random(), grant, client, user, session, Optional.of(authentication), scope, now,
                Optional.empty(), earlier(now.plus(idleTtl), familyExpires), familyExpires, Optional.empty(), Optional.empty());
    }

    /**
     * The token that replaces this one at {@code now}: same family, binding and authentication (a rotation proves
     * nothing new about the user), a fresh idle window inside the family's lifetime.
     */
    public RefreshToken successor(String nextHash, Instant now, Duration idleTtl) {
        return new RefreshToken(nextHash, family, grant, client, user, session, authentication, scope, now, Optional.empty(),
                earlier(now.plus(idleTtl), familyExpiresAt), familyExpiresAt, Optional.empty(), Optional.empty());
    }

    /** What presenting this token at {@code now} meets. Reuse outranks revocation: a rotated token is reuse whatever followed. */
    public State state(Instant now) {
        if (rotatedAt.isPresent()) return State.ROTATED;
        if (revokedAt.isPresent()) return State.REVOKED;
        if (!now.isBefore(familyExpiresAt)) return State.EXPIRED;
        if (!now.isBefore(idleExpiresAt)) return State.IDLE_EXPIRED;
        return State.ACTIVE;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Without the hash: logs name a token by its family. */
    @Override
    public String toString() {
        return "RefreshToken[family=" + family + ", grant=" + grant + ", client=" + client + ", rotatedAt=" + rotatedAt.orElse(null)
                + ", revokedAt=" + revokedAt.orElse(null) + "]";
    }
}
