package dev.doorman.oauth2.token;

import com.nimbusds.oauth2.sdk.TokenRequest;
import dev.doorman.client.RegisteredClient;
import dev.doorman.support.ClientInfo;

/** One grant type at the token endpoint, chosen by explicit dispatch on {@code grant_type}. Never sees Javalin. */
public interface GrantHandler {
    /** @param client authenticated, and registered for this grant type */
    TokenResult handle(RegisteredClient client, TokenRequest request, ClientInfo from);
}
