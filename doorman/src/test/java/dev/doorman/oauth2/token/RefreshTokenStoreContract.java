package dev.doorman.oauth2.token;

import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.doorman.account.UserId;
import dev.doorman.db.Database;
import dev.doorman.db.DbSettings;
import dev.doorman.db.StoreContract;
import dev.doorman.oauth2.Authentication;
import dev.doorman.oauth2.GrantId;
import dev.doorman.oauth2.token.RefreshTokenStore.Rotation;
import dev.doorman.session.Session;
import dev.doorman.session.SessionId;
import dev.doorman.support.Secrets;
import dev.doorman.testkit.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Refresh tokens: rotation with one winner (OA-15, OA-17), reuse detection (OA-16), idle and absolute expiry (OA-20),
 * revocation (SE-07), and the family's original authentication kept through every rotation (OIDC Core §12.2).
 */
abstract class RefreshTokenStoreContract extends StoreContract {
    private static final Duration IDLE = Duration.ofDays(14);
    private static final Duration ABSOLUTE = Duration.ofDays(30);
    private static final ClientID CLIENT = new ClientID("s6BhdRkqt3");
    private static final Authentication TWO_FACTORS = new Authentication(Instant.parse("2026-11-28T09:58:00Z"),
            List.of("pwd", "otp", "mfa"), Optional.of(Session.ACR_MULTI_FACTOR));
    private static final Authentication PASSWORD_ONLY = new Authentication(Instant.parse("2026-11-28T09:59:00Z"), List.of("pwd"),
            Optional.empty());

    private RefreshTokenStore tokens;
    private UserId user;
    private SessionId session;

    @BeforeEach
    void setUp() {
        tokens = new JdbiRefreshTokenStore(db.jdbi(), clock);
        user = newUser();
        session = new SessionId(UUID.randomUUID());
    }

    @Test
    void findWhenSavedThenEveryFieldRoundTrips() {
        RefreshToken issued = first("rt1", user, session);
        tokens.save(issued);

        assertThat(tokens.find(hash("rt1"))).contains(issued);
        RefreshToken found = tokens.find(hash("rt1")).orElseThrow();
        assertThat(found.scope().toStringList()).containsExactly("openid", "offline_access", "notes:read");
        assertThat(found.state(clock.instant())).isEqualTo(RefreshToken.State.ACTIVE);
        assertThat(found.familyExpiresAt()).isEqualTo(clock.instant().plus(ABSOLUTE));
        assertThat(found.idleExpiresAt()).isEqualTo(clock.instant().plus(IDLE));
        assertThat(found.authentication()).contains(TWO_FACTORS);
    }

    @Test
    void findWhenTheAuthenticationHasNoMethodsAndNoAcrThenItComesBackKnownButEmpty() {
        var noMethods = new Authentication(Instant.parse("2026-11-28T09:00:00Z"), List.of(), Optional.empty());
        tokens.save(RefreshToken.first(hash("no-methods"), GrantId.random(), CLIENT, Optional.of(user), Optional.of(session), noMethods,
                new Scope("openid"), clock.instant(), IDLE, ABSOLUTE));

        assertThat(tokens.find(hash("no-methods")).orElseThrow().authentication()).contains(noMethods);
    }

    @Test
    void findWhenTokenHasNoUserOrSessionThenTheyComeBackEmpty() {
        RefreshToken issued = RefreshToken.first(hash("bare"), GrantId.random(), CLIENT, Optional.empty(), Optional.empty(),
                PASSWORD_ONLY, new Scope(), clock.instant(), IDLE, ABSOLUTE);
        tokens.save(issued);

        assertThat(tokens.find(hash("bare"))).contains(issued);
    }

    @Test
    void findWhenUnknownThenEmpty() {
        assertThat(tokens.find(hash("nothing"))).isEmpty();
    }

    @Test
    void rotateWhenActiveThenSuccessorKeepsTheBindingAndTheOldTokenIsRotated() {
        RefreshToken rt1 = first("rt1", user, session);
        tokens.save(rt1);
        clock.advance(Duration.ofHours(1));

        Rotation rotation = tokens.rotate(hash("rt1"), hash("rt2"), IDLE).orElseThrow();

        assertThat(rotation).isInstanceOf(Rotation.Rotated.class);
        var rotated = (Rotation.Rotated) rotation;
        RefreshToken rt2 = rotated.next();
        assertThat(rt2.hash()).isEqualTo(hash("rt2"));
        assertThat(rt2.family()).isEqualTo(rt1.family());
        assertThat(rt2.grant()).isEqualTo(rt1.grant());
        assertThat(rt2.client()).isEqualTo(CLIENT);
        assertThat(rt2.user()).contains(user);
        assertThat(rt2.session()).contains(session);
        assertThat(rt2.scope()).isEqualTo(rt1.scope());
        assertThat(rt2.authentication()).contains(TWO_FACTORS);
        assertThat(rt2.createdAt()).isEqualTo(clock.instant());
        assertThat(rt2.idleExpiresAt()).isEqualTo(clock.instant().plus(IDLE));
        assertThat(rt2.familyExpiresAt()).isEqualTo(rt1.familyExpiresAt());
        assertThat(tokens.find(hash("rt2"))).contains(rt2);
        assertThat(rotated.previous().rotatedAt()).contains(clock.instant());
        assertThat(rotated.previous().lastUsedAt()).contains(clock.instant());
        assertThat(tokens.find(hash("rt1")).orElseThrow().state(clock.instant())).isEqualTo(RefreshToken.State.ROTATED);
    }

    @Test
    void rotateWhenTokenWasAlreadyRotatedThenReusedWithItsFamily() {
        RefreshToken rt1 = first("rt1", user, session);
        tokens.save(rt1);
        tokens.rotate(hash("rt1"), hash("rt2"), IDLE);

        Rotation replay = tokens.rotate(hash("rt1"), hash("rt3"), IDLE).orElseThrow();

        assertThat(replay).isInstanceOf(Rotation.Reused.class);
        assertThat(((Rotation.Reused) replay).family()).isEqualTo(rt1.family());
        assertThat(tokens.find(hash("rt3"))).isEmpty();
        assertThat(tokens.find(hash("rt2")).orElseThrow().state(clock.instant())).isEqualTo(RefreshToken.State.ACTIVE);
    }

    @Test
    void rotateWhenRepeatedThenEveryTokenOfTheFamilyKeepsTheOriginalAuthentication() {
        tokens.save(first("rt0", user, session));
        for (int i = 1; i <= 3; i++) {
            clock.advance(Duration.ofHours(1));
            var rotated = (Rotation.Rotated) tokens.rotate(hash("rt" + (i - 1)), hash("rt" + i), IDLE).orElseThrow();
            assertThat(rotated.next().authentication()).contains(TWO_FACTORS);
        }
        assertThat(tokens.find(hash("rt3")).orElseThrow().authentication()).contains(TWO_FACTORS);
    }

    @Test
    void rotateWhenTheFamilyPredatesV10ThenItsAuthenticationIsUnknownAndStaysUnknown(@TempDir Path dir) {
        try (Database old = Database.open(switch (dialect()) {
            case SQLITE -> DbSettings.embedded(dir);
            case POSTGRES -> {
                var pg = TestPostgres.newDatabase();
                yield DbSettings.jdbc(pg.jdbcUrl(), pg.user(), pg.password());
            }
        })) {
            Flyway.configure().dataSource(old.dataSource()).locations("classpath:db/migration/common").target("9").load().migrate();
            old.jdbi().useHandle(h -> h.createUpdate("insert into refresh_tokens (token_hash, family_id, grant_id, client_id, scope, "
                            + "created_at, idle_expires_at, family_expires_at) values (:hash, 'family-1', 'grant-1', :client, 'openid', "
                            + ":now, :idle, :absolute)")
                    .bind("hash", hash("legacy")).bind("client", CLIENT.getValue()).bind("now", clock.millis())
                    .bind("idle", clock.instant().plus(IDLE).toEpochMilli()).bind("absolute", clock.instant().plus(ABSOLUTE).toEpochMilli())
                    .execute());
            assertThat(old.migrate()).as("V10 onwards").isPositive();
            var store = new JdbiRefreshTokenStore(old.jdbi(), clock);

            assertThat(store.find(hash("legacy")).orElseThrow().authentication()).isEmpty();
            var rotated = (Rotation.Rotated) store.rotate(hash("legacy"), hash("next"), IDLE).orElseThrow();
            assertThat(rotated.next().authentication()).isEmpty();
            assertThat(store.find(hash("next")).orElseThrow().authentication()).as("not invented by a rotation").isEmpty();
        }
    }

    @Test
    void rotateWhenTwentyCallersRaceThenExactlyOneRotatesAndNineteenSeeReuse() throws Exception {
        RefreshToken rt1 = first("rt1", user, session);
        tokens.save(rt1);

        List<Rotation> results = concurrently(20, i -> tokens.rotate(hash("rt1"), hash("next-" + i), IDLE).orElseThrow());

        assertThat(results).filteredOn(r -> r instanceof Rotation.Rotated).hasSize(1);
        assertThat(results).filteredOn(r -> r instanceof Rotation.Reused).hasSize(19)
                .allSatisfy(r -> assertThat(((Rotation.Reused) r).family()).isEqualTo(rt1.family()));
        var winner = (Rotation.Rotated) results.stream().filter(r -> r instanceof Rotation.Rotated).findFirst().orElseThrow();
        List<RefreshToken> successors = IntStream.range(0, 20).mapToObj(i -> tokens.find(hash("next-" + i))).flatMap(Optional::stream).toList();
        assertThat(successors).containsExactly(winner.next());
    }

    @Test
    void revokeFamilyWhenReuseIsDetectedThenTheCurrentTokenOfTheFamilyIsDead() {
        RefreshToken rt1 = first("rt1", user, session);
        tokens.save(rt1);
        tokens.rotate(hash("rt1"), hash("rt2"), IDLE);
        var reused = (Rotation.Reused) tokens.rotate(hash("rt1"), hash("attacker"), IDLE).orElseThrow();

        int revoked = tokens.revoke(TokensOf.family(reused.family()));

        assertThat(revoked).isEqualTo(2);
        assertThat(tokens.rotate(hash("rt2"), hash("rt3"), IDLE)).hasValueSatisfying(r -> assertThat(r).isInstanceOf(Rotation.Revoked.class));
        assertThat(tokens.find(hash("rt3"))).isEmpty();
        assertThat(tokens.find(hash("rt2")).orElseThrow().state(clock.instant())).isEqualTo(RefreshToken.State.REVOKED);
        // The rotated token is still reuse, whatever followed.
        assertThat(tokens.rotate(hash("rt1"), hash("rt4"), IDLE)).hasValueSatisfying(r -> assertThat(r).isInstanceOf(Rotation.Reused.class));
    }

    @Test
    void rotateWhenIdleWindowHasPassedThenExpiredIdleAndNothingChanges() {
        tokens.save(first("rt1", user, session));
        clock.advance(IDLE);

        Rotation rotation = tokens.rotate(hash("rt1"), hash("rt2"), IDLE).orElseThrow();

        assertThat(rotation).isInstanceOf(Rotation.Expired.class);
        assertThat(((Rotation.Expired) rotation).idle()).isTrue();
        assertThat(tokens.find(hash("rt2"))).isEmpty();
        assertThat(tokens.find(hash("rt1")).orElseThrow().rotatedAt()).isEmpty();
    }

    @Test
    void rotateWhenUsedWithinEveryIdleWindowThenTheFamilyStillEndsAtItsAbsoluteExpiry() {
        Instant familyEnd = clock.instant().plus(ABSOLUTE);
        tokens.save(first("rt0", user, session));
        for (int i = 1; i <= 2; i++) {
            clock.advance(Duration.ofDays(10));
            tokens.rotate(hash("rt" + (i - 1)), hash("rt" + i), IDLE);
        }
        // rt2, issued on day 20, would idle out on day 34; the family's end on day 30 caps it.
        assertThat(tokens.find(hash("rt2")).orElseThrow().idleExpiresAt()).isEqualTo(familyEnd);
        clock.advance(Duration.ofDays(10));

        Rotation rotation = tokens.rotate(hash("rt2"), hash("rt3"), IDLE).orElseThrow();

        assertThat(rotation).isInstanceOf(Rotation.Expired.class);
        assertThat(((Rotation.Expired) rotation).idle()).isFalse();
        assertThat(tokens.find(hash("rt3"))).isEmpty();
    }

    @Test
    void rotateWhenTokenIsUnknownThenEmpty() {
        tokens.save(first("rt1", user, session));

        assertThat(tokens.rotate(hash("forged"), hash("rt2"), IDLE)).isEmpty();
        assertThat(tokens.find(hash("rt2"))).isEmpty();
    }

    @Test
    void revokeUserWhenPasswordChangesThenEveryTokenOfThatUserIsRevokedAndOtherUsersKeepTheirs() {
        UserId other = newUser();
        tokens.save(first("mine-1", user, session));
        tokens.save(first("mine-2", user, new SessionId(UUID.randomUUID())));
        tokens.save(first("theirs", other, new SessionId(UUID.randomUUID())));

        assertThat(tokens.revoke(TokensOf.user(user))).isEqualTo(2);

        assertThat(tokens.rotate(hash("mine-1"), hash("x1"), IDLE)).hasValueSatisfying(r -> assertThat(r).isInstanceOf(Rotation.Revoked.class));
        assertThat(tokens.rotate(hash("mine-2"), hash("x2"), IDLE)).hasValueSatisfying(r -> assertThat(r).isInstanceOf(Rotation.Revoked.class));
        assertThat(tokens.rotate(hash("theirs"), hash("x3"), IDLE)).hasValueSatisfying(r -> assertThat(r).isInstanceOf(Rotation.Rotated.class));
        assertThat(tokens.revoke(TokensOf.user(user))).as("already revoked").isZero();
    }

    @Test
    void revokeSessionWhenUserLogsOutThenOnlyThatSessionsTokensAreRevoked() {
        SessionId otherSession = new SessionId(UUID.randomUUID());
        tokens.save(first("laptop", user, session));
        tokens.save(first("phone", user, otherSession));

        assertThat(tokens.revoke(TokensOf.session(session))).isEqualTo(1);

        assertThat(tokens.find(hash("laptop")).orElseThrow().state(clock.instant())).isEqualTo(RefreshToken.State.REVOKED);
        assertThat(tokens.find(hash("phone")).orElseThrow().state(clock.instant())).isEqualTo(RefreshToken.State.ACTIVE);
    }

    @Test
    void revokeGrantWhenCodeIsReplayedThenTheWholeFamilyOfThatGrantIsRevoked() {
        RefreshToken rt1 = first("rt1", user, session);
        tokens.save(rt1);
        tokens.save(first("other-grant", user, session));
        tokens.rotate(hash("rt1"), hash("rt2"), IDLE);

        assertThat(tokens.revoke(TokensOf.grant(rt1.grant()))).isEqualTo(2);

        assertThat(tokens.find(hash("rt2")).orElseThrow().revokedAt()).contains(clock.instant());
        assertThat(tokens.find(hash("other-grant")).orElseThrow().state(clock.instant())).isEqualTo(RefreshToken.State.ACTIVE);
    }

    @Test
    void revokeUserAndClientWhenConsentIsWithdrawnThenOnlyThatClientsTokensOfThatUserAreRevoked() {
        UserId other = newUser();
        tokens.save(first("this-client", user, session));
        tokens.save(RefreshToken.first(hash("other-client"), GrantId.random(), new ClientID("other-app"), Optional.of(user),
                Optional.of(session), PASSWORD_ONLY, new Scope("openid"), clock.instant(), IDLE, ABSOLUTE));
        tokens.save(first("other-user", other, session));

        assertThat(tokens.revoke(TokensOf.userAndClient(user, CLIENT))).isEqualTo(1);

        assertThat(tokens.find(hash("this-client")).orElseThrow().state(clock.instant())).isEqualTo(RefreshToken.State.REVOKED);
        assertThat(tokens.find(hash("other-client")).orElseThrow().state(clock.instant())).isEqualTo(RefreshToken.State.ACTIVE);
        assertThat(tokens.find(hash("other-user")).orElseThrow().state(clock.instant())).isEqualTo(RefreshToken.State.ACTIVE);
    }

    @Test
    void saveWhenTheFamilyAlreadyHasAUsableTokenThenTheDatabaseRefusesASecond() {
        RefreshToken rt1 = first("rt1", user, session);
        tokens.save(rt1);

        assertThatThrownBy(() -> tokens.save(rt1.successor(hash("twin"), clock.instant(), IDLE))).isInstanceOf(RuntimeException.class);
        assertThat(tokens.find(hash("twin"))).isEmpty();
    }

    private RefreshToken first(String value, UserId user, SessionId session) {
        return RefreshToken.first(hash(value), GrantId.random(), CLIENT, Optional.of(user), Optional.of(session), TWO_FACTORS,
                new Scope("openid", "offline_access", "notes:read"), clock.instant(), IDLE, ABSOLUTE);
    }

    private static String hash(String value) {
        return Secrets.hash(value);
    }
}
