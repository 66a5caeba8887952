package dev.doorman.oauth2.revocation;

import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.JWTID;
import dev.doorman.account.UserId;
import dev.doorman.db.StoreContract;
import dev.doorman.oauth2.GrantId;
import dev.doorman.oauth2.revocation.RevocationList.RevokedToken;
import dev.doorman.oauth2.token.AccessTokenLedger;
import dev.doorman.oauth2.token.FamilyId;
import dev.doorman.oauth2.token.IssuedAccessToken;
import dev.doorman.oauth2.token.JdbiAccessTokenLedger;
import dev.doorman.oauth2.token.TokensOf;
import dev.doorman.session.SessionId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The access-token ledger and the revocation list fed from it (OA-06, OA-16, OA-21, SE-07). */
abstract class RevocationListContract extends StoreContract {
    private static final ClientID CLIENT = new ClientID("s6BhdRkqt3");
    private static final Duration AT_TTL = Duration.ofMinutes(5);

    private AccessTokenLedger ledger;
    private RevocationList revocations;
    private final UserId user = UserId.random();
    private final SessionId session = new SessionId(UUID.randomUUID());

    @BeforeEach
    void setUp() {
        ledger = new JdbiAccessTokenLedger(db.jdbi());
        revocations = new JdbiRevocationList(db.jdbi(), clock);
    }

    @Test
    void isRevokedWhenRevokedByJtiThenTrueAndOtherTokensFalse() {
        revocations.revoke(new JWTID("jti-1"), clock.instant().plus(AT_TTL));

        assertThat(revocations.isRevoked(new JWTID("jti-1"))).isTrue();
        assertThat(revocations.isRevoked(new JWTID("jti-2"))).isFalse();
        assertThat(revocations.current()).containsExactly(new RevokedToken(new JWTID("jti-1"), clock.instant().plus(AT_TTL)));
    }

    @Test
    void revokeWhenCalledTwiceThenListedOnce() {
        revocations.revoke(new JWTID("jti-1"), clock.instant().plus(AT_TTL));
        revocations.revoke(new JWTID("jti-1"), clock.instant().plus(AT_TTL));

        assertThat(revocations.current()).hasSize(1);
    }

    @Test
    void revokeWhenTokenHasAlreadyExpiredThenNotListed() {
        revocations.revoke(new JWTID("old"), clock.instant());

        assertThat(revocations.isRevoked(new JWTID("old"))).isFalse();
        assertThat(revocations.current()).isEmpty();
    }

    @Test
    void revokeAllOfAGrantWhenItsCodeIsReplayedThenEveryAccessTokenOfThatGrantIsRevoked() {
        GrantId grant = GrantId.random();
        FamilyId family = FamilyId.random();
        issue("code-exchange", grant, Optional.of(family), user, session);
        issue("refresh-1", grant, Optional.of(family), user, session);
        issue("refresh-2", grant, Optional.of(family), user, session);
        issue("other-grant", GrantId.random(), Optional.empty(), user, session);

        assertThat(revocations.revokeAll(TokensOf.grant(grant))).isEqualTo(3);

        assertThat(revocations.isRevoked(new JWTID("code-exchange"))).isTrue();
        assertThat(revocations.isRevoked(new JWTID("refresh-1"))).isTrue();
        assertThat(revocations.isRevoked(new JWTID("refresh-2"))).isTrue();
        assertThat(revocations.isRevoked(new JWTID("other-grant"))).isFalse();
        assertThat(revocations.revokeAll(TokensOf.grant(grant))).as("already listed").isZero();
    }

    @Test
    void revokeAllOfAFamilyWhenRefreshReuseIsDetectedThenOnlyThatFamilysAccessTokensAreRevoked() {
        GrantId grant = GrantId.random();
        FamilyId family = FamilyId.random();
        issue("in-family", grant, Optional.of(family), user, session);
        issue("other-family", GrantId.random(), Optional.of(FamilyId.random()), user, session);

        assertThat(revocations.revokeAll(TokensOf.family(family))).isEqualTo(1);

        assertThat(revocations.isRevoked(new JWTID("in-family"))).isTrue();
        assertThat(revocations.isRevoked(new JWTID("other-family"))).isFalse();
    }

    @Test
    void revokeAllOfAUserOrSessionOrConsentThenOnlyTheirAccessTokensAreRevoked() {
        UserId other = UserId.random();
        SessionId otherSession = new SessionId(UUID.randomUUID());
        issue("user-session-1", GrantId.random(), Optional.empty(), user, session);
        issue("user-session-2", GrantId.random(), Optional.empty(), user, otherSession);
        issue("other-user", GrantId.random(), Optional.empty(), other, new SessionId(UUID.randomUUID()));
        ledger.save(new IssuedAccessToken(new JWTID("other-client"), GrantId.random(), Optional.empty(), new ClientID("other-app"),
                Optional.of(other), Optional.empty(), clock.instant().plus(AT_TTL)));

        assertThat(revocations.revokeAll(TokensOf.session(session))).isEqualTo(1);
        assertThat(revocations.isRevoked(new JWTID("user-session-1"))).isTrue();
        assertThat(revocations.isRevoked(new JWTID("user-session-2"))).isFalse();

        assertThat(revocations.revokeAll(TokensOf.user(user))).as("the session's token was already listed").isEqualTo(1);
        assertThat(revocations.isRevoked(new JWTID("user-session-2"))).isTrue();
        assertThat(revocations.isRevoked(new JWTID("other-user"))).isFalse();

        assertThat(revocations.revokeAll(TokensOf.userAndClient(other, CLIENT))).isEqualTo(1);
        assertThat(revocations.isRevoked(new JWTID("other-user"))).isTrue();
        assertThat(revocations.isRevoked(new JWTID("other-client"))).isFalse();
    }

    @Test
    void revokeAllWhenSomeAccessTokensHaveExpiredThenOnlyLiveOnesAreListed() {
        GrantId grant = GrantId.random();
        issue("early", grant, Optional.empty(), user, session);
        clock.advance(AT_TTL);
        issue("late", grant, Optional.empty(), user, session);

        assertThat(revocations.revokeAll(TokensOf.grant(grant))).isEqualTo(1);

        assertThat(revocations.isRevoked(new JWTID("late"))).isTrue();
        assertThat(revocations.isRevoked(new JWTID("early"))).isFalse();
    }

    @Test
    void currentWhenSomeRevokedTokensHaveExpiredThenOnlyUnexpiredOnesSoonestFirst() {
        Instant start = clock.instant();
        revocations.revoke(new JWTID("a"), start.plus(Duration.ofMinutes(1)));
        revocations.revoke(new JWTID("c"), start.plus(Duration.ofMinutes(10)));
        revocations.revoke(new JWTID("b"), start.plus(Duration.ofMinutes(5)));

        clock.advance(Duration.ofMinutes(1));

        assertThat(revocations.current()).containsExactly(
                new RevokedToken(new JWTID("b"), start.plus(Duration.ofMinutes(5))),
                new RevokedToken(new JWTID("c"), start.plus(Duration.ofMinutes(10))));
    }

    @Test
    void purgeExpiredWhenTokensHaveExpiredThenTheirRevocationsAndLedgerEntriesGoAndLiveOnesStay() {
        GrantId grant = GrantId.random();
        issue("short", grant, Optional.empty(), user, session);
        revocations.revoke(new JWTID("short"), clock.instant().plus(AT_TTL));
        revocations.revoke(new JWTID("long"), clock.instant().plus(Duration.ofHours(1)));
        clock.advance(AT_TTL);
        issue("fresh", grant, Optional.empty(), user, session);

        assertThat(revocations.purgeExpired()).as("one revocation and one ledger entry").isEqualTo(2);

        assertThat(revocations.isRevoked(new JWTID("short"))).isFalse();
        assertThat(revocations.isRevoked(new JWTID("long"))).isTrue();
        assertThat(revocations.purgeExpired()).isZero();
        assertThat(revocations.revokeAll(TokensOf.grant(grant))).as("the fresh token is still in the ledger").isEqualTo(1);
    }

    private void issue(String jti, GrantId grant, Optional<FamilyId> family, UserId user, SessionId session) {
        ledger.save(new IssuedAccessToken(new JWTID(jti), grant, family, CLIENT, Optional.of(user), Optional.of(session),
                clock.instant().plus(AT_TTL)));
    }
}
