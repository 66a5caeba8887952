package dev.doorman.oauth2.authorize;

import com.nimbusds.oauth2.sdk.id.ClientID;

import java.net.URI;
import java.util.List;

/** What the consent page shows: the client, the scope in words, and the id the decision is posted with. */
public sealed interface ConsentView {
    record Ask(ClientID client, String clientName, List<String> scopeDescriptions, String decisionId, URI redirect) implements ConsentView { }

    record Expired() implements ConsentView { }
}
