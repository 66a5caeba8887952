package dev.doorman.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditType;
import dev.doorman.audit.JdbiAuditStore;
import dev.doorman.db.Database;
import dev.doorman.db.DbSettings;
import dev.doorman.support.Secrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.ResultSet;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.doorman.keys.KeysHarness.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SigningKeys on a real database, run on SQLite and PostgreSQL (a {@code …SqliteTest} and a {@code …PostgresTest}
 * subclass). SECURITY.md JW-02 (one alg per key), JW-09 (kid on every token, rotation with overlap), and the private
 * keys' encryption at rest.
 */
abstract class SigningKeysContract {
    private static final List<String> PRIVATE_MEMBERS = List.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    KeysHarness harness;

    /** A fresh, empty database for one test. */
    abstract DbSettings newDatabase();

    @BeforeEach
    void openHarness() {
        harness = new KeysHarness(newDatabase());
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "PS256", "ES256", "EdDSA"})
    void signWhenAlgorithmIsConfiguredThenTokenVerifiesAgainstPublicKeysAndHeaderCarriesKidAlgTyp(String name) throws Exception {
        JWSAlgorithm alg = JWSAlgorithm.parse(name);
        var keys = harness.node(settings(alg));
        var claims = harness.claims();

        SignedJWT jwt = keys.sign(claims, KeysHarness.AT_JWT);
        String token = jwt.serialize();

        var header = SignedJWT.parse(token).getHeader();
        assertThat(header.getAlgorithm()).isEqualTo(alg);
        assertThat(header.getKeyID()).isEqualTo(keys.activeKeyId().value());
        assertThat(header.getType()).isEqualTo(KeysHarness.AT_JWT);
        assertThat(header.getJWK()).isNull();
        assertThat(header.getJWKURL()).isNull();
        assertThat(KeysHarness.verify(token, keys.publicKeys(), alg, harness.clock).getSubject()).isEqualTo("248289761001");
        JWK published = keys.publicKeys().getKeyByKeyId(header.getKeyID());
        assertThat(published.getAlgorithm()).isEqualTo(alg);
        assertThat(published.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
        if (published instanceof RSAKey rsa) assertThat(rsa.size()).isGreaterThanOrEqualTo(2048);
    }

    @Test
    void publicKeysWhenAKeyIsBoundToPs256ThenATokenClaimingRs256WithItsKidFindsNoKeyEvenIfBothAreAllowed() throws Exception {
        var keys = harness.node(settings(JWSAlgorithm.PS256));
        var encryption = KeyEncryption.configured(KeysHarness.KEK, new Secrets(harness.random));
        SigningKey active = keys.list().stream().filter(k -> k.state() == KeyState.ACTIVE).findFirst().orElseThrow();
        RSAKey privateKey = JWK.parse(encryption.open(active.kid(), active.privateJwk().orElseThrow())).toRSAKey();
        // The right private key, the right kid, but the other RSA algorithm in the header.
        var forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(active.kid().value())
                .type(KeysHarness.AT_JWT).build(), harness.claims());
        forged.sign(new RSASSASigner(privateKey));
        var processor = new DefaultJWTProcessor<SecurityContext>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(KeysHarness.AT_JWT));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256), new ImmutableJWKSet<>(keys.publicKeys())));

        assertThat(keys.publicKeys().getKeyByKeyId(active.kid().value()).getAlgorithm()).isEqualTo(JWSAlgorithm.PS256);
        assertThatThrownBy(() -> processor.process(forged, null)).isInstanceOf(BadJOSEException.class);
        assertThat(KeysHarness.signatureVerifies(keys.sign(harness.claims(), KeysHarness.AT_JWT).serialize(), keys.publicKeys(),
                JWSAlgorithm.PS256)).isTrue();
    }

    @Test
    void publicKeysWhenFirstStartThenActiveAndNextArePublishedEachWithKidAlgUseAndNoPrivateMember() {
        var keys = harness.node(settings(JWSAlgorithm.RS256));

        JWKSet jwks = keys.publicKeys();
        String json = JSONObjectUtils.toJSONString(jwks.toJSONObject());

        assertThat(keys.list()).extracting(SigningKey::state).containsExactlyInAnyOrder(KeyState.ACTIVE, KeyState.NEXT);
        assertThat(jwks.getKeys()).hasSize(2).allSatisfy(jwk -> {
            assertThat(jwk.getKeyID()).isNotBlank();
            assertThat(jwk.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
            assertThat(jwk.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
            assertThat(jwk.isPrivate()).isFalse();
            assertThat(jwk.toJSONObject()).doesNotContainKeys(PRIVATE_MEMBERS.toArray(String[]::new));
        });
        assertThat(jwks.getKeys().getFirst().getKeyID()).as("the active key comes first").isEqualTo(keys.activeKeyId().value());
        assertThat(jwks.getKeys()).extracting(JWK::getKeyID).doesNotHaveDuplicates();
        for (String member : PRIVATE_MEMBERS) assertThat(json).doesNotContain("\"" + member + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "PS256", "ES256", "EdDSA"})
    void databaseWhenKeysAreStoredAndRotatedThenNoColumnOfAnyTableHoldsPrivateKeyMaterial(String name) throws Exception {
        var database = harness.database();
        var keys = harness.node(database, settings(JWSAlgorithm.parse(name)));
        var encryption = KeyEncryption.configured(KeysHarness.KEK, new Secrets(harness.random));
        var privateValues = new ArrayList<String>();
        for (SigningKey key : keys.list()) privateValues.addAll(privateMembers(encryption, key));
        keys.rotate(KeysHarness.OPERATOR);
        for (SigningKey key : keys.list()) if (key.state() != KeyState.RETIRED) privateValues.addAll(privateMembers(encryption, key));

        List<String> stored = everyStoredValue(database);

        assertThat(privateValues).hasSizeGreaterThanOrEqualTo(3).allSatisfy(v -> assertThat(v).hasSizeGreaterThan(20));
        assertThat(stored).isNotEmpty();
        for (String secret : privateValues)
            assertThat(stored).noneSatisfy(value -> assertThat(value).contains(secret));
        assertThat(stored).noneSatisfy(value -> assertThat(value).contains(KeysHarness.KEK));
        int retiredWithoutPrivatePart = database.jdbi().withHandle(h -> h.createQuery(
                "select count(*) from signing_keys where state = 'retired' and private_jwk is null").mapTo(Integer.class).one());
        assertThat(retiredWithoutPrivatePart).as("a retired key's private part is gone").isEqualTo(1);
    }

    @Test
    void openWhenKeyEncryptionKeyIsWrongThenFailsSayingSoAndChangesNothing() {
        var keys = harness.node(settings(JWSAlgorithm.RS256));
        List<SigningKey> before = keys.list();

        // Also with another algorithm, which would otherwise replace the next key.
        assertThatThrownBy(() -> harness.node(settings(JWSAlgorithm.ES256).withKeyEncryptionKey(KeysHarness.OTHER_KEK)))
                .isInstanceOf(KeyEncryption.KeyDecryptionException.class)
                .hasMessageContaining("cannot decrypt signing key")
                .hasMessageContaining("different key-encryption key")
                .hasMessageContaining("DOORMAN_KEY_ENCRYPTION_KEY")
                .hasMessageNotContaining(KeysHarness.KEK)
                .hasMessageNotContaining(KeysHarness.OTHER_KEK);
        assertThat(keys.list()).isEqualTo(before);
    }

    @Test
    void openWhenSealedPrivateKeyWasAlteredOrMovedToAnotherRowThenFailsSayingSo() {
        var database = harness.database();
        harness.node(database, settings(JWSAlgorithm.ES256));
        // Swap the sealed private parts of the active and the next key: each is sealed with its own kid.
        database.jdbi().useHandle(h -> {
            Map<String, Object> active = h.createQuery("select private_jwk from signing_keys where state = 'active'").mapToMap().one();
            Map<String, Object> next = h.createQuery("select private_jwk from signing_keys where state = 'next'").mapToMap().one();
            h.createUpdate("update signing_keys set private_jwk = :v where state = 'active'").bind("v", (String) next.get("private_jwk")).execute();
            h.createUpdate("update signing_keys set private_jwk = :v where state = 'next'").bind("v", (String) active.get("private_jwk")).execute();
        });

        assertThatThrownBy(() -> harness.node(settings(JWSAlgorithm.ES256)))
                .isInstanceOf(KeyEncryption.KeyDecryptionException.class)
                .hasMessageContaining("altered or damaged");
    }

    @Test
    void rotateWhenCalledThenOldTokenVerifiesUntilTheRetiredKeyExpiresAndNewTokensCarryTheNewKid() throws Exception {
        var keys = harness.node(settings(JWSAlgorithm.RS256));
        KeyId first = keys.activeKeyId();
        KeyId next = nextKey(keys).kid();
        String before = keys.sign(harness.claims(), KeysHarness.AT_JWT).serialize();

        var outcome = keys.rotate(KeysHarness.OPERATOR);
        String after = keys.sign(harness.claims(), KeysHarness.AT_JWT).serialize();

        assertThat(outcome).isInstanceOfSatisfying(RotationOutcome.Rotated.class, r -> {
            assertThat(r.retired()).isEqualTo(first);
            assertThat(r.activated()).isEqualTo(next);
            assertThat(r.next()).isNotIn(first, next);
            assertThat(r.retiredPublishedUntil()).isEqualTo(harness.clock.instant().plus(Duration.ofMinutes(65)));
        });
        assertThat(SignedJWT.parse(before).getHeader().getKeyID()).isEqualTo(first.value());
        assertThat(SignedJWT.parse(after).getHeader().getKeyID()).isEqualTo(next.value());
        assertThat(keys.publicKeys().getKeys()).hasSize(3);
        assertThat(KeysHarness.verify(before, keys.publicKeys(), JWSAlgorithm.RS256, harness.clock)).isNotNull();
        assertThat(KeysHarness.verify(after, keys.publicKeys(), JWSAlgorithm.RS256, harness.clock)).isNotNull();

        harness.clock.advance(SigningKeys.RETIRED_KEY_LIFETIME.minusSeconds(1));
        keys.maintain();
        assertThat(keys.publicKeys().getKeyByKeyId(first.value())).as("published until every token it signed has expired").isNotNull();
        assertThat(KeysHarness.signatureVerifies(before, keys.publicKeys(), JWSAlgorithm.RS256)).isTrue();

        harness.clock.advance(Duration.ofSeconds(SigningKeys.CACHE_TTL.toSeconds() + 2));
        assertThat(keys.publicKeys().getKeyByKeyId(first.value())).isNull();
        assertThat(KeysHarness.signatureVerifies(before, keys.publicKeys(), JWSAlgorithm.RS256)).isFalse();
        assertThat(KeysHarness.signatureVerifies(keys.sign(harness.claims(), KeysHarness.AT_JWT).serialize(), keys.publicKeys(),
                JWSAlgorithm.RS256)).isTrue();
    }

    @Test
    void purgeExpiredWhenRetiredKeyOutlivedEveryTokenThenItsRowIsDeletedAndNotBefore() {
        var keys = harness.node(settings(JWSAlgorithm.EdDSA));
        KeyId first = keys.activeKeyId();
        keys.rotate(KeysHarness.OPERATOR);

        harness.clock.advance(SigningKeys.RETIRED_KEY_LIFETIME.minusMinutes(1));
        assertThat(keys.purgeExpired()).isZero();
        assertThat(keys.list()).extracting(SigningKey::kid).contains(first);

        harness.clock.advance(Duration.ofMinutes(2));
        assertThat(keys.purgeExpired()).isEqualTo(1);
        assertThat(keys.list()).extracting(SigningKey::kid).doesNotContain(first);
        assertThat(keys.list()).extracting(SigningKey::state).containsExactlyInAnyOrder(KeyState.ACTIVE, KeyState.NEXT);
    }

    @Test
    void rotateWhenDoneThenAuditedWithWhoAsked() {
        var database = harness.database();
        var keys = harness.node(database, settings(JWSAlgorithm.ES256));

        keys.rotate(KeysHarness.OPERATOR);

        assertThat(new JdbiAuditStore(database.jdbi()).recent(10)).filteredOn(e -> e.type() == AuditType.SIGNING_KEY_ROTATED)
                .singleElement().satisfies(e -> {
                    assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.SUCCESS);
                    assertThat(e.client().userAgent()).isEqualTo("test operator");
                });
    }

    @Test
    void rotateIfDueWhenActiveKeyIsOlderThanTheIntervalThenRotatesOnceAndNotBefore() {
        var keys = harness.node(settings(JWSAlgorithm.ES256).withKeyRotation(Duration.ofDays(7)));
        KeyId first = keys.activeKeyId();

        harness.clock.advance(Duration.ofDays(7).minusMinutes(1));
        assertThat(keys.rotateIfDue()).isEmpty();
        assertThat(keys.activeKeyId()).isEqualTo(first);

        harness.clock.advance(Duration.ofMinutes(1));
        assertThat(keys.rotateIfDue()).containsInstanceOf(RotationOutcome.Rotated.class);
        assertThat(keys.activeKeyId()).isNotEqualTo(first);
        assertThat(keys.rotateIfDue()).as("the new key has just become active").isEmpty();
    }

    @Test
    void rotateIfDueWhenNoIntervalIsConfiguredThenNeverRotates() {
        var keys = harness.node(settings(JWSAlgorithm.ES256));
        KeyId first = keys.activeKeyId();

        harness.clock.advance(Duration.ofDays(3650));
        keys.maintain();

        assertThat(keys.activeKeyId()).isEqualTo(first);
    }

    @Test
    void activeKeyWhenAnotherNodeRotatesThenThisNodeSignsWithTheNewKeyOnceItsCacheExpires() throws Exception {
        var nodeA = harness.node(settings(JWSAlgorithm.RS256));
        var nodeB = harness.node(settings(JWSAlgorithm.RS256));
        KeyId first = nodeA.activeKeyId();
        assertThat(nodeB.activeKeyId()).isEqualTo(first);

        var outcome = (RotationOutcome.Rotated) nodeB.rotate(KeysHarness.OPERATOR);
        // Within the cache period node A still signs with the retired key, which stays published: its tokens verify.
        String stale = nodeA.sign(harness.claims(), KeysHarness.AT_JWT).serialize();
        assertThat(SignedJWT.parse(stale).getHeader().getKeyID()).isEqualTo(first.value());
        assertThat(KeysHarness.verify(stale, nodeB.publicKeys(), JWSAlgorithm.RS256, harness.clock)).isNotNull();

        harness.clock.advance(SigningKeys.CACHE_TTL);

        assertThat(nodeA.activeKeyId()).isEqualTo(outcome.activated()).isEqualTo(nodeB.activeKeyId());
        String fresh = nodeA.sign(harness.claims(), KeysHarness.AT_JWT).serialize();
        assertThat(SignedJWT.parse(fresh).getHeader().getKeyID()).isEqualTo(outcome.activated().value());
        assertThat(KeysHarness.verify(fresh, nodeB.publicKeys(), JWSAlgorithm.RS256, harness.clock)).isNotNull();
        assertThat(nodeA.publicKeys().toJSONObject()).isEqualTo(nodeB.publicKeys().toJSONObject());
    }

    @Test
    void rotateWhenTwoNodesRotateAtOnceThenExactlyOneRotationHappens() throws Exception {
        var nodeA = harness.node(settings(JWSAlgorithm.ES256));
        var nodeB = harness.node(settings(JWSAlgorithm.ES256));
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            for (int round = 1; round <= 5; round++) {
                harness.clock.advance(SigningKeys.CACHE_TTL);
                KeyId before = nodeA.activeKeyId();
                assertThat(nodeB.activeKeyId()).isEqualTo(before);

                var outcomes = together(pool, () -> nodeA.rotate(KeysHarness.OPERATOR), () -> nodeB.rotate(KeysHarness.OPERATOR));

                assertThat(outcomes).filteredOn(RotationOutcome.Rotated.class::isInstance).hasSize(1);
                var rotated = (RotationOutcome.Rotated) outcomes.stream().filter(RotationOutcome.Rotated.class::isInstance).findFirst().orElseThrow();
                assertThat(rotated.retired()).isEqualTo(before);
                assertThat(outcomes).filteredOn(RotationOutcome.AlreadyRotated.class::isInstance).singleElement()
                        .isEqualTo(new RotationOutcome.AlreadyRotated(rotated.activated()));
                List<SigningKey> all = nodeA.list();
                assertThat(all).filteredOn(k -> k.state() == KeyState.RETIRED).hasSize(round);
                assertThat(all).filteredOn(k -> k.state() == KeyState.ACTIVE).singleElement()
                        .extracting(SigningKey::kid).isEqualTo(rotated.activated());
                assertThat(all).filteredOn(k -> k.state() == KeyState.NEXT).singleElement()
                        .extracting(SigningKey::kid).isEqualTo(rotated.next());
            }
        }
    }

    @Test
    void openWhenTwoNodesStartOnAnEmptyDatabaseAtOnceThenExactlyOneActiveAndOneNextKey() throws Exception {
        var databaseA = harness.database();
        var databaseB = harness.database();
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            var nodes = together(pool, () -> harness.node(databaseA, settings(JWSAlgorithm.ES256)),
                    () -> harness.node(databaseB, settings(JWSAlgorithm.ES256)));

            assertThat(nodes.get(0).list()).extracting(SigningKey::state).containsExactlyInAnyOrder(KeyState.ACTIVE, KeyState.NEXT);
            assertThat(nodes.get(0).activeKeyId()).isEqualTo(nodes.get(1).activeKeyId());
        }
    }

    @Test
    void openWhenSigningAlgorithmChangedThenNextKeyIsReplacedAndTheNewAlgorithmSignsAfterTheNextRotation() throws Exception {
        var rsa = harness.node(settings(JWSAlgorithm.RS256));
        KeyId oldNext = nextKey(rsa).kid();

        var keys = harness.node(settings(JWSAlgorithm.EdDSA));

        SigningKey next = nextKey(keys);
        assertThat(next.kid()).isNotEqualTo(oldNext);
        assertThat(next.algorithm()).isEqualTo(JWSAlgorithm.EdDSA);
        assertThat(keys.publicKeys().getKeyByKeyId(oldNext.value())).isNull();
        String before = keys.sign(harness.claims(), KeysHarness.AT_JWT).serialize();
        assertThat(SignedJWT.parse(before).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);

        keys.rotate(KeysHarness.OPERATOR);

        String after = keys.sign(harness.claims(), KeysHarness.AT_JWT).serialize();
        assertThat(SignedJWT.parse(after).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
        assertThat(SignedJWT.parse(after).getHeader().getKeyID()).isEqualTo(next.kid().value());
        assertThat(KeysHarness.verify(before, keys.publicKeys(), JWSAlgorithm.RS256, harness.clock)).isNotNull();
        assertThat(KeysHarness.verify(after, keys.publicKeys(), JWSAlgorithm.EdDSA, harness.clock)).isNotNull();
    }

    private static SigningKey nextKey(SigningKeys keys) {
        return keys.list().stream().filter(k -> k.state() == KeyState.NEXT).findFirst().orElseThrow();
    }

    /** Starts both at the same moment and waits for both. */
    @SafeVarargs
    private static <T> List<T> together(ExecutorService pool, Callable<T>... work) throws Exception {
        var start = new CountDownLatch(1);
        var futures = new ArrayList<Future<T>>();
        for (Callable<T> w : work) futures.add(pool.submit(() -> {
            start.await();
            return w.call();
        }));
        start.countDown();
        var results = new ArrayList<T>();
        for (Future<T> f : futures) results.add(f.get(60, TimeUnit.SECONDS));
        return results;
    }

    private static List<String> privateMembers(KeyEncryption encryption, SigningKey key) {
        try {
            Map<String, Object> json = JSONObjectUtils.parse(encryption.open(key.kid(), key.privateJwk().orElseThrow()));
            return PRIVATE_MEMBERS.stream().map(json::get).filter(Objects::nonNull).map(Object::toString).toList();
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    /** Every value of every row of every table, as text, read raw over JDBC. */
    private static List<String> everyStoredValue(Database database) throws java.sql.SQLException {
        return database.jdbi().withHandle(h -> {
            var tables = new ArrayList<String>();
            try (ResultSet rs = h.getConnection().getMetaData().getTables(null, null, "%", new String[]{"TABLE"})) {
                while (rs.next()) {
                    String schema = rs.getString("TABLE_SCHEM");
                    if (schema == null || schema.equals("public")) tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).contains("signing_keys", "server_secrets", "users");
            var values = new ArrayList<String>();
            for (String table : tables)
                for (Map<String, Object> row : h.createQuery("select * from " + table).mapToMap().list())
                    row.values().stream().filter(Objects::nonNull).map(String::valueOf).forEach(values::add);
            return values;
        });
    }
}
