package dev.doorman.resource.examples;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.doorman.TestServer;
import dev.doorman.client.ClientRegistration;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The README example against a real Doorman: tokens from Doorman open the API, scopes and ownership are enforced. */
class ProtectAnApiTest {
    @Test
    void protectAnApiWhenCalledWithDoormanTokensThenScopesAndOwnershipAreEnforcedBeforeHandlers() throws Exception {
        try (var doorman = TestServer.start(TestServer.Store.SQLITE)) {
            doorman.clock.set(Instant.now());   // the example verifies against the real clock
            var alice = doorman.createClient(ClientRegistration.confidential("Alice's agent").id("alice")
                    .grantType("client_credentials").scope("tasks:read").audience("tasks-api").build());
            var bob = doorman.createClient(ClientRegistration.confidential("Bob's agent").id("bob")
                    .grantType("client_credentials").scope("tasks:read").scope("other").audience("tasks-api").build());
            int port;
            try (var socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            var api = ProtectAnApi.start(URI.create(doorman.baseUrl), port);
            try {
                var http = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + port;
                String aliceToken = token(doorman, new ClientSecretBasic(new ClientID("alice"), alice.secret().orElseThrow()), "tasks:read");
                String bobToken = token(doorman, new ClientSecretBasic(new ClientID("bob"), bob.secret().orElseThrow()), "other");

                var anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "/tasks/t1")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(anonymous.statusCode()).isEqualTo(401);
                assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains("Bearer");

                var read = http.send(HttpRequest.newBuilder(URI.create(base + "/tasks/t1")).header("Authorization", "Bearer " + aliceToken).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(read.statusCode()).isEqualTo(200);
                assertThat(read.body()).isEqualTo("Write the report");

                var noScope = http.send(HttpRequest.newBuilder(URI.create(base + "/tasks/t1")).header("Authorization", "Bearer " + bobToken).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(noScope.statusCode()).isEqualTo(403);
                assertThat(noScope.headers().firstValue("WWW-Authenticate")).contains("Bearer error=\"insufficient_scope\", scope=\"tasks:read\"");

                var update = http.send(HttpRequest.newBuilder(URI.create(base + "/tasks/t1")).header("Authorization", "Bearer " + aliceToken)
                        .PUT(HttpRequest.BodyPublishers.ofString("Report written")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(update.statusCode()).isEqualTo(204);

                String bobReader = token(doorman, new ClientSecretBasic(new ClientID("bob"), bob.secret().orElseThrow()), "tasks:read");
                var notOwner = http.send(HttpRequest.newBuilder(URI.create(base + "/tasks/t1")).header("Authorization", "Bearer " + bobReader)
                        .PUT(HttpRequest.BodyPublishers.ofString("hijacked")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(notOwner.statusCode()).isEqualTo(403);
                var after = http.send(HttpRequest.newBuilder(URI.create(base + "/tasks/t1")).header("Authorization", "Bearer " + aliceToken).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(after.body()).as("the denied update changed nothing").isEqualTo("Report written");

                var admin = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/whoami")).header("Authorization", "Bearer " + aliceToken).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(admin.statusCode()).as("a client token holds no roles").isEqualTo(403);
            } finally {
                api.stop();
            }
        }
    }

    private static String token(TestServer doorman, ClientSecretBasic client, String scope) throws Exception {
        var response = TokenResponse.parse(new TokenRequest(URI.create(doorman.baseUrl + "/oauth2/token"), client, new ClientCredentialsGrant(),
                Scope.parse(scope)).toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).as(response.toString()).isTrue();
        return ((AccessTokenResponse) response).getTokens().getAccessToken().getValue();
    }
}
