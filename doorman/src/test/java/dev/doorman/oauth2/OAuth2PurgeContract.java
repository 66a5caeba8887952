package dev.doorman.oauth2;

import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.doorman.account.UserId;
import dev.doorman.db.StoreContract;
import dev.doorman.oauth2.code.CodeGrant;
import dev.doorman.oauth2.code.CodeStore;
import dev.doorman.oauth2.code.JdbiCodeStore;
import dev.doorman.oauth2.par.JdbiPushedRequestStore;
import dev.doorman.oauth2.par.PushedRequestStore;
import dev.doorman.oauth2.token.JdbiRefreshTokenStore;
import dev.doorman.oauth2.token.RefreshToken;
import dev.doorman.oauth2.token.RefreshTokenStore;
import dev.doorman.session.SessionId;
import dev.doorman.support.Secrets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Purging grant state nobody can use any more, and nothing else. */
abstract class OAuth2PurgeContract extends StoreContract {
    private static final ClientID CLIENT = new ClientID("s6BhdRkqt3");
    private static final Duration CODE_RETENTION = Duration.ofHours(1);

    private CodeStore codes;
    private PushedRequestStore requests;
    private RefreshTokenStore refreshTokens;
    private OAuth2Purge purge;
    private UserId user;

    @BeforeEach
    void setUp() {
        codes = new JdbiCodeStore(db.jdbi(), clock);
        requests = new JdbiPushedRequestStore(db.jdbi(), clock);
        refreshTokens = new JdbiRefreshTokenStore(db.jdbi(), clock);
        purge = new OAuth2Purge(db.jdbi(), clock, CODE_RETENTION);
        user = newUser();
    }

    @Test
    void purgeWhenCodeExpiredWithinTheRetentionThenAReplayIsStillRecognised() {
        codes.save(Secrets.hash("code"), code());
        codes.consume(Secrets.hash("code"));
        clock.advance(CODE_RETENTION);

        assertThat(purge.purgeExpired().codes()).isZero();
        assertThat(codes.consume(Secrets.hash("code"))).containsInstanceOf(CodeStore.Redemption.Replayed.class);

        clock.advance(Duration.ofMinutes(1));

        assertThat(purge.purgeExpired().codes()).isEqualTo(1);
        assertThat(codes.consume(Secrets.hash("code"))).isEmpty();
    }

    @Test
    void purgeWhenPushedRequestsExpiredThenOnlyThoseGo() {
        requests.save(Secrets.hash("short"), CLIENT, Map.of("scope", List.of("openid")), clock.instant().plusSeconds(10));
        requests.save(Secrets.hash("long"), CLIENT, Map.of("scope", List.of("openid")), clock.instant().plusSeconds(90));
        clock.advance(Duration.ofSeconds(10));

        assertThat(purge.purgeExpired().pushedRequests()).isEqualTo(1);

        assertThat(requests.consume(Secrets.hash("long"), CLIENT)).isPresent();
    }

    @Test
    void purgeWhenARefreshFamilyIsPastItsAbsoluteExpiryThenItsTokensGoAndLiveFamiliesStay() {
        refreshTokens.save(refreshToken("old", Duration.ofDays(1)));
        refreshTokens.rotate(Secrets.hash("old"), Secrets.hash("old-2"), Duration.ofDays(1));
        refreshTokens.save(refreshToken("young", Duration.ofDays(30)));
        clock.advance(Duration.ofDays(1));

        assertThat(purge.purgeExpired()).isEqualTo(new OAuth2Purge.Purged(0, 0, 2));

        assertThat(refreshTokens.find(Secrets.hash("old"))).isEmpty();
        assertThat(refreshTokens.find(Secrets.hash("young"))).isPresent();
    }

    private CodeGrant code() {
        return new CodeGrant(GrantId.random().value(), CLIENT, URI.create("https://client.example.org/cb"),
                CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")),
                new Scope("openid"), Optional.empty(), user, new SessionId(UUID.randomUUID()), clock.instant(), List.of("pwd"),
                Optional.empty(), clock.instant().plusSeconds(60));
    }

    private RefreshToken refreshToken(String value, Duration absolute) {
        return RefreshToken.first(Secrets.hash(value), GrantId.random(), CLIENT, Optional.of(user), Optional.empty(),
                new Authentication(clock.instant(), List.of("pwd"), Optional.empty()), new Scope("openid"), clock.instant(),
                Duration.ofDays(1), absolute);
    }
}
