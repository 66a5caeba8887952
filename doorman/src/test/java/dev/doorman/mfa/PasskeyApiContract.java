package dev.doorman.mfa;

import com.fasterxml.jackson.databind.JsonNode;
import dev.doorman.TestServer;
import dev.doorman.testkit.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Passkeys over the JSON API with a software authenticator: registration, second factor, passwordless, step-up, and the attacks. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PasskeyApiContract {
    private final AtomicInteger addresses = new AtomicInteger();
    private TestServer server;

    abstract TestServer.Store store();

    @BeforeAll
    final void startServer() {
        server = TestServer.start(store());
    }

    @AfterAll
    final void stopServer() {
        if (server != null) server.close();
    }

    private String newEmail(String hint) {
        return hint + "-" + addresses.incrementAndGet() + "-" + store().name().toLowerCase() + "@example.org";
    }

    private TestHttp loggedIn(String email) {
        server.registerVerified(email, TestServer.PASSWORD);
        return server.apiLogin(email, TestServer.PASSWORD);
    }

    private JsonNode options(TestHttp http, String purpose) {
        var response = http.postJson(PasskeyEndpoint.API_OPTIONS, "{\"purpose\":\"" + purpose + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private TestHttp.Response register(TestHttp http, SoftwareAuthenticator authenticator, boolean passwordless) {
        JsonNode options = options(http, "register");
        String credential = authenticator.create(options.get("challenge").asText(), options.get("rp").get("id").asText(), server.baseUrl);
        return http.postJson(PasskeyEndpoint.API_REGISTER, "{\"name\":\"Laptop\",\"passwordless\":" + passwordless + ",\"credential\":" + credential + "}");
    }

    private TestHttp passwordStep(String email) {
        TestHttp http = server.client();
        var response = http.postJson("/api/v1/session", "{\"email\":\"" + email + "\",\"password\":\"" + TestServer.PASSWORD + "\"}");
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return http;
    }

    private static TestHttp.Response authenticate(TestHttp http, String purpose, String credential) {
        return http.postJson(PasskeyEndpoint.API_AUTHENTICATE, "{\"purpose\":\"" + purpose + "\",\"credential\":" + credential + "}");
    }

    private String rpId() {
        return java.net.URI.create(server.baseUrl).getHost();
    }

    private String userHandle(TestHttp http) {
        var id = java.util.UUID.fromString(http.get("/api/v1/me").json().get("id").asText());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.nio.ByteBuffer.allocate(16)
                .putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array());
    }

    @Test
    void registerWhenTheAuthenticatorAnswersThenThePasskeyIsListedWithItsFlagsAndTenRecoveryCodesComeWithIt() {
        String email = newEmail("register");
        TestHttp http = loggedIn(email);
        var registered = register(http, new SoftwareAuthenticator(true), false);
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        assertThat(registered.json().get("recoveryCodes")).hasSize(10);
        JsonNode list = http.get(PasskeyEndpoint.API_MINE).json();
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("name").asText()).isEqualTo("Laptop");
        assertThat(list.get(0).get("backupEligible").asBoolean()).isTrue();
        assertThat(list.get(0).get("backupState").asBoolean()).isTrue();
        assertThat(list.get(0).get("passwordless").asBoolean()).isFalse();
        assertThat(http.get(MfaPaths.API_FACTORS).json().get("passkeys").asInt()).isEqualTo(1);
        var login = server.client().postJson("/api/v1/session", "{\"email\":\"" + email + "\",\"password\":\"" + TestServer.PASSWORD + "\"}");
        assertThat(login.status()).isEqualTo(202);
        assertThat(login.json().get("methods").toString()).contains("webauthn", "recovery_code");
    }

    @Test
    void registerWhenTheOriginIsAnotherSiteOrTheChallengeWasNeverIssuedThen400AndNothingIsSaved() {
        TestHttp http = loggedIn(newEmail("reg-attack"));
        var authenticator = new SoftwareAuthenticator(false);
        JsonNode options = options(http, "register");
        String evil = authenticator.create(options.get("challenge").asText(), rpId(), "https://evil.example");
        var badOrigin = http.postJson(PasskeyEndpoint.API_REGISTER, "{\"name\":\"Key\",\"credential\":" + evil + "}");
        assertThat(badOrigin.status()).isEqualTo(400);
        assertThat(badOrigin.json().get("code").asText()).isEqualTo("passkey.bad_origin");
        String forged = authenticator.create(Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]), rpId(), server.baseUrl);
        var badChallenge = http.postJson(PasskeyEndpoint.API_REGISTER, "{\"name\":\"Key\",\"credential\":" + forged + "}");
        assertThat(badChallenge.json().get("code").asText()).isEqualTo("passkey.unknown_challenge");
        assertThat(http.get(PasskeyEndpoint.API_MINE).json()).isEmpty();
    }

    @Test
    void loginWhenThePasskeyAnswersTheChallengeThenAFullSessionAndTheCounterIsRecorded() {
        String email = newEmail("second");
        var authenticator = new SoftwareAuthenticator(false);
        assertThat(register(loggedIn(email), authenticator, false).status()).isEqualTo(201);
        TestHttp http = passwordStep(email);
        assertThat(http.get("/api/v1/me").status()).isEqualTo(401);
        JsonNode options = options(http, "second_factor");
        assertThat(options.get("allowCredentials").get(0).get("id").asText()).isEqualTo(authenticator.credentialId());
        authenticator.counter(6);
        var done = authenticate(http, "second_factor", authenticator.get(options.get("challenge").asText(), rpId(), server.baseUrl, null));
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        http.setHeader("X-CSRF-Token", done.json().get("csrfToken").asText());
        assertThat(http.get("/api/v1/me").status()).isEqualTo(200);
        assertThat(http.get(PasskeyEndpoint.API_MINE).json().get(0).get("signCount").asLong()).isEqualTo(7);
    }

    @Test
    void loginWhenTheCounterDidNotGrowThenRefusedAsAClonedAuthenticatorAndAudited() {
        String email = newEmail("clone");
        var authenticator = new SoftwareAuthenticator(false);
        assertThat(register(loggedIn(email), authenticator, false).status()).isEqualTo(201);
        authenticator.counter(10);
        TestHttp first = passwordStep(email);
        assertThat(authenticate(first, "second_factor", authenticator.get(options(first, "second_factor").get("challenge").asText(), rpId(),
                server.baseUrl, null)).status()).isEqualTo(200);
        // A copy of the key made at counter 5 signs with 6, below the 11 the server has seen.
        authenticator.counter(5);
        TestHttp clone = passwordStep(email);
        var refused = authenticate(clone, "second_factor", authenticator.get(options(clone, "second_factor").get("challenge").asText(), rpId(),
                server.baseUrl, null));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("code").asText()).isEqualTo("passkey.cloned");
        assertThat(clone.get("/api/v1/me").status()).isEqualTo(401);
        Integer clones = server.database.jdbi().withHandle(h -> h.createQuery("select count(*) from audit_events where type = 'PASSKEY_CLONE_DETECTED' "
                + "or type = 'passkey_clone_detected'").mapTo(Integer.class).one());
        assertThat(clones).isPositive();
    }

    @Test
    void loginWhenTheAssertionComesFromAnotherOriginOrAnswersAnotherChallengeThen401AndNoSession() {
        String email = newEmail("assert-attack");
        var authenticator = new SoftwareAuthenticator(false);
        assertThat(register(loggedIn(email), authenticator, false).status()).isEqualTo(201);
        TestHttp http = passwordStep(email);
        var badOrigin = authenticate(http, "second_factor", authenticator.get(options(http, "second_factor").get("challenge").asText(), rpId(),
                "https://evil.example", null));
        assertThat(badOrigin.json().get("code").asText()).startsWith("passkey.bad_origin");
        var forged = authenticate(http, "second_factor", authenticator.get(Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]),
                rpId(), server.baseUrl, null));
        assertThat(forged.json().get("code").asText()).startsWith("passkey.unknown_challenge");
        // A challenge issued for a passwordless login does not answer this login's second factor.
        String other = options(server.client(), "passwordless").get("challenge").asText();
        var swapped = authenticate(http, "second_factor", authenticator.get(other, rpId(), server.baseUrl, null));
        assertThat(swapped.json().get("code").asText()).startsWith("passkey.unknown_challenge");
        assertThat(http.get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void passwordlessWhenThePasskeyWasAllowedForItAndVerifiesTheUserThenASessionWithoutAnyPassword() {
        String email = newEmail("passwordless");
        var authenticator = new SoftwareAuthenticator(true);
        TestHttp owner = loggedIn(email);
        assertThat(register(owner, authenticator, true).status()).isEqualTo(201);
        String handle = userHandle(owner);
        TestHttp http = server.client();
        JsonNode options = options(http, "passwordless");
        assertThat(options.get("allowCredentials")).isEmpty();
        assertThat(options.get("userVerification").asText()).isEqualTo("required");
        var done = authenticate(http, "passwordless", authenticator.get(options.get("challenge").asText(), rpId(), server.baseUrl, handle));
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(http.get("/api/v1/me").json().get("email").asText()).isEqualTo(email);

        authenticator.userVerification(false);
        TestHttp noUv = server.client();
        var refused = authenticate(noUv, "passwordless", authenticator.get(options(noUv, "passwordless").get("challenge").asText(), rpId(),
                server.baseUrl, handle));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(noUv.get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void passwordlessWhenThePasskeyIsOnlyASecondFactorThen401() {
        String email = newEmail("not-passwordless");
        var authenticator = new SoftwareAuthenticator(false);
        TestHttp owner = loggedIn(email);
        assertThat(register(owner, authenticator, false).status()).isEqualTo(201);
        TestHttp http = server.client();
        var refused = authenticate(http, "passwordless", authenticator.get(options(http, "passwordless").get("challenge").asText(), rpId(),
                server.baseUrl, userHandle(owner)));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(http.get("/api/v1/me").status()).isEqualTo(401);
    }

    @Test
    void stepUpWhenThePasskeyAnswersThenTheSessionMayRemoveAFactorAndRenameWorks() {
        String email = newEmail("stepup");
        var authenticator = new SoftwareAuthenticator(false);
        TestHttp http = loggedIn(email);
        assertThat(register(http, authenticator, false).status()).isEqualTo(201);
        String id = http.get(PasskeyEndpoint.API_MINE).json().get(0).get("id").asText();
        var renamed = http.send(http.request(PasskeyEndpoint.API_MINE + "/" + id).header("Content-Type", "application/json")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"Work key\"}")));
        assertThat(renamed.status()).isEqualTo(204);
        assertThat(http.get(PasskeyEndpoint.API_MINE).json().get(0).get("name").asText()).isEqualTo("Work key");
        server.clock.advance(Duration.ofMinutes(11));
        assertThat(http.deleteJson(PasskeyEndpoint.API_MINE + "/" + id).status()).isEqualTo(401);
        var stepped = authenticate(http, "step_up", authenticator.get(options(http, "step_up").get("challenge").asText(), rpId(), server.baseUrl, null));
        assertThat(stepped.status()).as(stepped.body()).isEqualTo(200);
        assertThat(http.deleteJson(PasskeyEndpoint.API_MINE + "/" + id).status()).isEqualTo(204);
        assertThat(http.get(PasskeyEndpoint.API_MINE).json()).isEmpty();
        server.apiLogin(email, TestServer.PASSWORD);   // no factor left: the password alone again
    }

    @Test
    void registerWhenDoneOnAPasswordOnlySessionThenThatSessionHasNotPassedASecondFactorUntilThePasskeyAnswersAStepUp() {
        String email = newEmail("reg-no-elevation");
        var authenticator = new SoftwareAuthenticator(false);
        TestHttp http = loggedIn(email);
        assertThat(register(http, authenticator, false).status()).isEqualTo(201);
        assertThat(secondFactorAt(email)).isNull();
        var refused = http.postJson(MfaPaths.API_RECOVERY_CODES, "{}");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("code").asText()).isEqualTo("mfa.reauthentication_required");

        var stepped = authenticate(http, "step_up", authenticator.get(options(http, "step_up").get("challenge").asText(), rpId(), server.baseUrl, null));
        assertThat(stepped.status()).as(stepped.body()).isEqualTo(200);
        http.setHeader("X-CSRF-Token", stepped.json().get("csrfToken").asText());
        assertThat(secondFactorAt(email)).isEqualTo(server.clock.millis());
        assertThat(http.postJson(MfaPaths.API_RECOVERY_CODES, "{}").status()).isEqualTo(200);
    }

    /** When the user's one session last passed a second factor (epoch ms), or null. */
    private Long secondFactorAt(String email) {
        return server.database.jdbi().withHandle(h -> h.createQuery("select s.second_factor_at from sessions s join users u on u.id = s.user_id "
                + "where u.email = :e").bind("e", email).mapTo(Long.class).one());
    }

    @Test
    void answersWhenMalformedThenA4xxNamingTheProblemAndNothingChanges() {
        TestHttp http = loggedIn(newEmail("malformed"));
        for (String credential : new String[] {"{}", "{\"id\":\"x\",\"type\":\"public-key\",\"response\":{\"clientDataJSON\":\"!!\"}}"}) {
            var reg = http.postJson(PasskeyEndpoint.API_REGISTER, "{\"name\":\"K\",\"credential\":" + credential + "}");
            assertThat(reg.status()).as(reg.body()).isEqualTo(400);
            var auth = server.client().postJson(PasskeyEndpoint.API_AUTHENTICATE, "{\"purpose\":\"passwordless\",\"credential\":" + credential + "}");
            assertThat(auth.status()).as(auth.body()).isEqualTo(401);
        }
        assertThat(http.postJson(PasskeyEndpoint.API_REGISTER, "{\"name\":\"K\",\"credential\":\"text\"}").status()).isEqualTo(400);
        assertThat(http.postJson(PasskeyEndpoint.API_OPTIONS, "{\"purpose\":\"anything\"}").status()).isEqualTo(400);
        assertThat(server.client().postJson(PasskeyEndpoint.API_OPTIONS, "{\"purpose\":\"register\"}").status()).isEqualTo(401);
        assertThat(server.client().postJson(PasskeyEndpoint.API_OPTIONS, "{\"purpose\":\"second_factor\"}").status()).isEqualTo(401);
        var valid = register(http, new SoftwareAuthenticator(false), false);
        assertThat(valid.status()).isEqualTo(201);
        assertThat(http.get(PasskeyEndpoint.API_MINE).json()).hasSize(1);
    }

    @Test
    void removeWhenThePasskeyBelongsToAnotherUserThen404AndItStays() {
        TestHttp alice = loggedIn(newEmail("alice"));
        assertThat(register(alice, new SoftwareAuthenticator(false), false).status()).isEqualTo(201);
        String id = alice.get(PasskeyEndpoint.API_MINE).json().get(0).get("id").asText();
        TestHttp bob = loggedIn(newEmail("bob"));
        assertThat(bob.deleteJson(PasskeyEndpoint.API_MINE + "/" + id).status()).isEqualTo(404);
        assertThat(alice.get(PasskeyEndpoint.API_MINE).json()).hasSize(1);
    }
}
