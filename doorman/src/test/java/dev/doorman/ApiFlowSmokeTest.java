package dev.doorman;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class ApiFlowSmokeTest {
    @ParameterizedTest
    @EnumSource(TestServer.Store.class)
    void registerVerifyLoginMeLogoutWhenEverythingIsValidThenEachStepSucceeds(TestServer.Store store) {
        try (var server = TestServer.start(store)) {
            server.registerVerified("alice@example.org", TestServer.PASSWORD);
            var http = server.apiLogin("alice@example.org", TestServer.PASSWORD);
            var me = http.get("/api/v1/me");
            assertThat(me.status()).isEqualTo(200);
            assertThat(me.json().get("email").asText()).isEqualTo("alice@example.org");
            assertThat(http.deleteJson("/api/v1/session").status()).isEqualTo(204);
            assertThat(http.get("/api/v1/me").status()).isEqualTo(401);
        }
    }
}
