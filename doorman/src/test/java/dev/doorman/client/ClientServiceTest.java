package dev.doorman.client;

import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.doorman.audit.AuditEvent;
import dev.doorman.audit.AuditType;
import dev.doorman.support.ClientInfo;
import dev.doorman.support.Secrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ClientServiceTest {
    static final ClientInfo OPERATOR = new ClientInfo("", "test operator");

    @TempDir
    Path dir;
    ClientHarness h;

    @BeforeEach
    void open() {
        h = ClientHarness.sqlite(dir);
    }

    @AfterEach
    void close() {
        h.close();
    }

    private CreateClientOutcome.Created create(ClientRegistration r) {
        var outcome = h.service().create(r, OPERATOR);
        assertThat(outcome).isInstanceOf(CreateClientOutcome.Created.class);
        return (CreateClientOutcome.Created) outcome;
    }

    private boolean secretWorks(String id, Secret secret) {
        return h.authenticator().authenticate(Optional.of(new ClientSecretBasic(new ClientID(id), secret)), Optional.empty(),
                ClientHarness.TOKEN_ENDPOINT) instanceof ClientAuthenticator.Result.Authenticated;
    }

    @Test
    void createWhenConfidentialThenSecretOf256BitsReturnedOnceAndOnlyItsHashStored() {
        var created = create(TestClients.confidential().build());

        String secret = created.secret().orElseThrow().getValue();
        assertThat(Base64.getUrlDecoder().decode(secret)).hasSize(32);
        var row = h.rawRow("s6BhdRkqt3");
        assertThat(row.get("secret_hash")).isEqualTo(Secrets.hash(secret));
        assertThat(row.values()).noneMatch(v -> String.valueOf(v).contains(secret));
        assertThat(h.store().findStored(new ClientID("s6BhdRkqt3")).orElseThrow().toString()).doesNotContain(secret).contains("(redacted)");
        assertThat(h.service().list()).singleElement().asString().doesNotContain(secret);
        assertThat(secretWorks("s6BhdRkqt3", created.secret().get())).isTrue();
        assertThat(h.audit()).extracting(AuditEvent::type, AuditEvent::subjectHint)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AuditType.CLIENT_CREATED, Optional.of("s6BhdRkqt3")));
    }

    @Test
    void createWhenCalledManyTimesThenSecretsAreAllDifferent() {
        var secrets = new HashSet<String>();
        for (int i = 0; i < 50; i++) secrets.add(create(TestClients.confidential().id("client-" + i).build()).secret().orElseThrow().getValue());

        assertThat(secrets).hasSize(50).allMatch(Secrets::looksLikeToken);
    }

    @Test
    void createWhenPublicOrPrivateKeyJwtThenNoSecretAndNoHash() {
        var app = create(TestClients.publicApp().build());
        var service = create(ClientRegistration.confidential("Job").id("job-1").grantType("client_credentials")
                .authMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT).jwks(TestClients.publicJwks(TestClients.rsaKey("k1"))).build());

        assertThat(app.secret()).isEmpty();
        assertThat(service.secret()).isEmpty();
        assertThat(h.rawRow("com.example.app").get("secret_hash")).isNull();
        assertThat(h.rawRow("job-1").get("secret_hash")).isNull();
        assertThat((String) h.rawRow("job-1").get("jwks")).contains("\"kid\":\"k1\"").doesNotContain("\"d\":");
    }

    @Test
    void createWhenNoIdGivenThenGeneratesOneThatIsNoUuid() {
        var created = create(ClientRegistration.confidential("Anonymous").redirectUri(TestClients.REDIRECT).build());

        String id = created.client().id().getValue();
        assertThat(id).matches("[0-9a-f]{24}");
        assertThat(ClientRules.clientIdProblem(id)).isEmpty();
        assertThat(h.store().find(created.client().id())).isPresent();
    }

    @Test
    void createWhenIdTakenThenIdTakenAndFirstClientUnchanged() {
        var first = create(TestClients.confidential().build());

        var second = h.service().create(TestClients.confidential().build(), OPERATOR);

        assertThat(second).isEqualTo(new CreateClientOutcome.IdTaken(new ClientID("s6BhdRkqt3")));
        assertThat(secretWorks("s6BhdRkqt3", first.secret().orElseThrow())).isTrue();
    }

    @Test
    void createWhenInvalidThenRejectedWithProblemsAndNothingWritten() {
        var outcome = h.service().create(TestClients.confidential().redirectUri("http://localhost/cb").build(), OPERATOR);

        assertThat(outcome).isInstanceOf(CreateClientOutcome.Rejected.class);
        assertThat(((CreateClientOutcome.Rejected) outcome).problems()).extracting(ClientProblem::field).containsExactly("redirectUris[1]");
        assertThat(h.store().list()).isEmpty();
        assertThat(h.audit()).isEmpty();
    }

    @Test
    void rotateSecretWhenClientUsesSecretThenNewSecretWorksAndOldOneNoLonger() {
        Secret old = create(TestClients.confidential().build()).secret().orElseThrow();

        var outcome = h.service().rotateSecret(new ClientID("s6BhdRkqt3"), OPERATOR);

        assertThat(outcome).isInstanceOf(RotateSecretOutcome.Rotated.class);
        Secret fresh = ((RotateSecretOutcome.Rotated) outcome).secret();
        assertThat(fresh.getValue()).isNotEqualTo(old.getValue());
        assertThat(h.rawRow("s6BhdRkqt3").get("secret_hash")).isEqualTo(Secrets.hash(fresh.getValue()));
        assertThat(secretWorks("s6BhdRkqt3", fresh)).isTrue();
        assertThat(secretWorks("s6BhdRkqt3", old)).isFalse();
        assertThat(h.audit()).extracting(AuditEvent::type).contains(AuditType.CLIENT_SECRET_ROTATED);
    }

    @Test
    void rotateSecretWhenUnknownOrWithoutSecretThenSaysSo() {
        create(TestClients.publicApp().build());

        assertThat(h.service().rotateSecret(new ClientID("nobody"), OPERATOR)).isEqualTo(new RotateSecretOutcome.NotFound(new ClientID("nobody")));
        assertThat(h.service().rotateSecret(new ClientID("com.example.app"), OPERATOR))
                .isEqualTo(new RotateSecretOutcome.NoSecret(new ClientID("com.example.app"), ClientAuthenticationMethod.NONE));
    }

    @Test
    void deleteWhenClientExistsThenGoneAndItsSecretNoLongerWorks() {
        Secret secret = create(TestClients.confidential().build()).secret().orElseThrow();

        boolean deleted = h.service().delete(new ClientID("s6BhdRkqt3"), OPERATOR);
        boolean again = h.service().delete(new ClientID("s6BhdRkqt3"), OPERATOR);

        assertThat(deleted).isTrue();
        assertThat(again).isFalse();
        assertThat(h.service().list()).isEmpty();
        assertThat(secretWorks("s6BhdRkqt3", secret)).isFalse();
        assertThat(h.audit()).extracting(AuditEvent::type).contains(AuditType.CLIENT_CREATED, AuditType.CLIENT_DELETED);   // same instant: no order
    }
}
