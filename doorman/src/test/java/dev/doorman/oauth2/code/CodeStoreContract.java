package dev.doorman.oauth2.code;

import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import dev.doorman.account.UserId;
import dev.doorman.db.StoreContract;
import dev.doorman.oauth2.GrantId;
import dev.doorman.oauth2.code.CodeStore.Redemption;
import dev.doorman.session.SessionId;
import dev.doorman.support.Secrets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Authorization codes: single use, replay recognised with the grant, parallel redemptions with one winner (OA-06). */
abstract class CodeStoreContract extends StoreContract {
    private CodeStore codes;
    private UserId user;

    @BeforeEach
    void setUp() {
        codes = new JdbiCodeStore(db.jdbi(), clock);
        user = newUser();
    }

    @Test
    void consumeWhenCodeIsFreshThenRedeemedWithEveryFieldAsSaved() {
        CodeGrant grant = grant(user);
        codes.save(hash("SplxlOBeZQQYbYS6WxSbIA"), grant);

        Optional<Redemption> redemption = codes.consume(hash("SplxlOBeZQQYbYS6WxSbIA"));

        assertThat(redemption).containsInstanceOf(Redemption.Redeemed.class);
        CodeGrant redeemed = ((Redemption.Redeemed) redemption.orElseThrow()).grant();
        assertThat(redeemed).isEqualTo(grant);
        assertThat(redeemed.challenge().getValue()).isEqualTo(grant.challenge().getValue());
        assertThat(redeemed.scope().toStringList()).containsExactly("openid", "profile", "email");
    }

    @Test
    void consumeWhenOptionalClaimsAreAbsentThenTheyComeBackAbsent() {
        CodeGrant bare = new CodeGrant(GrantId.random().value(), new ClientID("s6BhdRkqt3"), URI.create("https://client.example.org/cb"),
                challenge(), new Scope("openid"), Optional.empty(), user, new SessionId(UUID.randomUUID()), clock.instant(), List.of(),
                Optional.empty(), clock.instant().plusSeconds(60));
        codes.save(hash("bare"), bare);

        assertThat(codes.consume(hash("bare"))).contains(new Redemption.Redeemed(bare));
    }

    @Test
    void consumeWhenCalledAgainThenReplayedWithTheSameGrant() {
        CodeGrant grant = grant(user);
        codes.save(hash("once"), grant);
        codes.consume(hash("once"));

        assertThat(codes.consume(hash("once"))).contains(new Redemption.Replayed(grant));
        assertThat(codes.consume(hash("once"))).contains(new Redemption.Replayed(grant));
    }

    @Test
    void consumeWhenCodeIsUnknownThenEmpty() {
        codes.save(hash("known"), grant(user));

        assertThat(codes.consume(hash("unknown"))).isEmpty();
    }

    @Test
    void consumeWhenTwentyCallersRaceThenExactlyOneRedeemsAndNineteenSeeAReplay() throws Exception {
        CodeGrant grant = grant(user);
        codes.save(hash("raced"), grant);

        List<Optional<Redemption>> results = concurrently(20, i -> codes.consume(hash("raced")));

        assertThat(results).allSatisfy(r -> assertThat(r).isPresent());
        assertThat(results.stream().map(Optional::orElseThrow))
                .filteredOn(r -> r instanceof Redemption.Redeemed).hasSize(1)
                .allSatisfy(r -> assertThat(((Redemption.Redeemed) r).grant()).isEqualTo(grant));
        assertThat(results.stream().map(Optional::orElseThrow))
                .filteredOn(r -> r instanceof Redemption.Replayed).hasSize(19)
                .allSatisfy(r -> assertThat(((Redemption.Replayed) r).grant()).isEqualTo(grant));
    }

    @Test
    void consumeWhenTheCallersTransactionRollsBackThenTheCodeIsStillUnused() {
        codes.save(hash("rolled-back"), grant(user));

        assertThatThrownBy(() -> db.run(() -> {
            assertThat(codes.consume(hash("rolled-back"))).containsInstanceOf(Redemption.Redeemed.class);
            throw new IllegalStateException("token issuance failed");
        })).hasMessage("token issuance failed");

        assertThat(codes.consume(hash("rolled-back"))).containsInstanceOf(Redemption.Redeemed.class);
    }

    @Test
    void saveWhenTheGrantIdIsAlreadyUsedByAnotherCodeThenRefused() {
        CodeGrant grant = grant(user);
        codes.save(hash("first"), grant);

        assertThatThrownBy(() -> codes.save(hash("second"), grant)).isInstanceOf(RuntimeException.class);
    }

    private CodeGrant grant(UserId user) {
        return new CodeGrant(GrantId.random().value(), new ClientID("s6BhdRkqt3"), URI.create("https://client.example.org/cb"), challenge(),
                new Scope("openid", "profile", "email"), Optional.of(new Nonce("n-0S6_WzA2Mj")), user, new SessionId(UUID.randomUUID()),
                clock.instant().minus(Duration.ofMinutes(3)), List.of("pwd", "otp"), Optional.of("urn:doorman:acr:aal2"),
                clock.instant().plusSeconds(60));
    }

    private static CodeChallenge challenge() {
        // RFC 7636 appendix B.
        return CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
    }

    private static String hash(String code) {
        return Secrets.hash(code);
    }
}
