package dev.doorman.client;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.doorman.db.Dialect;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The JDBI stores on both databases we ship on. */
class ClientStoreTest {
    static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    static final String HASH_A = "a".repeat(64);
    static final String HASH_B = "b".repeat(64);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void insertWhenReadBackThenEveryFieldRoundTrips(Dialect dialect) {
        try (var h = ClientHarness.open(dialect, dir)) {
            StoredClient client = TestClients.stored("s6BhdRkqt3", HASH_A, T0);

            boolean inserted = h.store().insert(client);

            assertThat(inserted).isTrue();
            StoredClient read = h.store().findStored(new ClientID("s6BhdRkqt3")).orElseThrow();
            assertThat(read.client()).usingRecursiveComparison().isEqualTo(client.client());
            assertThat(read.secretHash()).contains(HASH_A);
            assertThat(read.createdAt()).isEqualTo(T0);
            assertThat(h.store().find(new ClientID("s6BhdRkqt3"))).contains(read.client());
            assertThat(h.store().list()).extracting(c -> c.client().id()).containsExactly(new ClientID("s6BhdRkqt3"));
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void insertWhenPublicClientWithEmptyListsThenRoundTrips(Dialect dialect) {
        try (var h = ClientHarness.open(dialect, dir)) {
            var client = new RegisteredClient(new ClientID("service-a"), "Service", true, ClientAuthenticationMethod.PRIVATE_KEY_JWT,
                    List.of(), Set.of(GrantType.CLIENT_CREDENTIALS), new Scope(), List.of(), Optional.empty(), Optional.empty(), true);
            var jwks = new JWKSet(TestClients.rsaKey("k1").toPublicJWK());
            h.store().insert(new StoredClient(client, Optional.empty(), Optional.of(jwks), T0, T0));

            StoredClient read = h.store().findStored(new ClientID("service-a")).orElseThrow();

            assertThat(read.client()).usingRecursiveComparison().isEqualTo(client);
            assertThat(read.client().scope()).isEmpty();
            assertThat(read.secretHash()).isEmpty();
            assertThat(read.jwks().orElseThrow().toString()).isEqualTo(jwks.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void insertWhenIdTakenThenFalseAndFirstKept(Dialect dialect) {
        try (var h = ClientHarness.open(dialect, dir)) {
            h.store().insert(TestClients.stored("s6BhdRkqt3", HASH_A, T0));

            boolean second = h.store().insert(TestClients.stored("s6BhdRkqt3", HASH_B, T0.plusSeconds(1)));

            assertThat(second).isFalse();
            assertThat(h.store().findStored(new ClientID("s6BhdRkqt3")).orElseThrow().secretHash()).contains(HASH_A);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void updateWhenClientExistsThenFieldsReplacedAndCreatedAtKept(Dialect dialect) {
        try (var h = ClientHarness.open(dialect, dir)) {
            h.store().insert(TestClients.stored("s6BhdRkqt3", HASH_A, T0));
            var changed = new RegisteredClient(new ClientID("s6BhdRkqt3"), "Renamed", true, ClientAuthenticationMethod.CLIENT_SECRET_POST,
                    List.of(URI.create("https://other.example.org/cb")), Set.of(GrantType.AUTHORIZATION_CODE), new Scope("openid"),
                    List.of(), Optional.empty(), Optional.empty(), true);
            Instant later = T0.plus(Duration.ofHours(1));

            boolean updated = h.store().update(new StoredClient(changed, Optional.of(HASH_B), Optional.empty(), later, later));
            boolean missing = h.store().update(TestClients.stored("nobody", HASH_A, later));

            assertThat(updated).isTrue();
            assertThat(missing).isFalse();
            StoredClient read = h.store().findStored(new ClientID("s6BhdRkqt3")).orElseThrow();
            assertThat(read.client()).usingRecursiveComparison().isEqualTo(changed);
            assertThat(read.secretHash()).contains(HASH_B);
            assertThat(read.createdAt()).isEqualTo(T0);
            assertThat(read.updatedAt()).isEqualTo(later);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void replaceSecretHashWhenClientUsesSecretThenOnlyHashAndUpdatedAtChange(Dialect dialect) {
        try (var h = ClientHarness.open(dialect, dir)) {
            StoredClient client = TestClients.stored("s6BhdRkqt3", HASH_A, T0);
            h.store().insert(client);

            boolean replaced = h.store().replaceSecretHash(new ClientID("s6BhdRkqt3"), HASH_B, T0.plusSeconds(60));
            boolean unknown = h.store().replaceSecretHash(new ClientID("nobody"), HASH_B, T0);

            assertThat(replaced).isTrue();
            assertThat(unknown).isFalse();
            StoredClient read = h.store().findStored(new ClientID("s6BhdRkqt3")).orElseThrow();
            assertThat(read.secretHash()).contains(HASH_B);
            assertThat(read.updatedAt()).isEqualTo(T0.plusSeconds(60));
            assertThat(read.client()).usingRecursiveComparison().isEqualTo(client.client());
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void removeWhenClientExistsThenGoneAndSecondRemoveFalse(Dialect dialect) {
        try (var h = ClientHarness.open(dialect, dir)) {
            h.store().insert(TestClients.stored("s6BhdRkqt3", HASH_A, T0));
            h.store().insert(TestClients.stored("another", HASH_B, T0));

            boolean first = h.store().remove(new ClientID("s6BhdRkqt3"));
            boolean second = h.store().remove(new ClientID("s6BhdRkqt3"));

            assertThat(first).isTrue();
            assertThat(second).isFalse();
            assertThat(h.store().find(new ClientID("s6BhdRkqt3"))).isEmpty();
            assertThat(h.store().list()).extracting(c -> c.client().id().getValue()).containsExactly("another");
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void claimWhenSameJtiTwiceThenSecondIsReplayUntilItExpires(Dialect dialect) {
        try (var h = ClientHarness.open(dialect, dir)) {
            var jtis = new JdbiAssertionJtiStore(h.db.jdbi());
            Instant expires = T0.plusSeconds(120);

            boolean first = jtis.claim(HASH_A, expires, T0);
            boolean replay = jtis.claim(HASH_A, expires, T0.plusSeconds(60));
            boolean other = jtis.claim(HASH_B, expires, T0.plusSeconds(60));
            boolean afterExpiry = jtis.claim(HASH_A, T0.plusSeconds(400), T0.plusSeconds(121));

            assertThat(first).isTrue();
            assertThat(replay).isFalse();
            assertThat(other).isTrue();
            assertThat(afterExpiry).isTrue();
            assertThat(h.jtiRows()).as("expired entries are purged").isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void claimWhenRacedByManyThreadsThenExactlyOneWins(Dialect dialect) throws Exception {
        try (var h = ClientHarness.open(dialect, dir); var pool = Executors.newFixedThreadPool(8)) {
            var jtis = new JdbiAssertionJtiStore(h.db.jdbi());
            var tasks = new ArrayList<Callable<Boolean>>();
            for (int i = 0; i < 16; i++) tasks.add(() -> jtis.claim(HASH_A, T0.plusSeconds(120), T0));

            long winners = 0;
            for (Future<Boolean> f : pool.invokeAll(tasks)) if (f.get()) winners++;

            assertThat(winners).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void insertWhenReadRawThenHashAndJsonListsAreStored(Dialect dialect) {
        try (var h = ClientHarness.open(dialect, dir)) {
            h.store().insert(TestClients.stored("s6BhdRkqt3", HASH_A, T0));

            var row = h.rawRow("s6BhdRkqt3");

            assertThat(row.get("secret_hash")).isEqualTo(HASH_A);
            assertThat(row.get("redirect_uris")).isEqualTo("[\"https://client.example.org/cb\",\"http://127.0.0.1/cb?x=1\"]");
            assertThat(row.get("scope")).isEqualTo("openid profile notes:read");
            assertThat(((Number) row.get("access_token_ttl_ms")).longValue()).isEqualTo(600_000L);
        }
    }
}
