package dev.doorman.oauth2.authorize;

import com.nimbusds.oauth2.sdk.id.ClientID;

import java.net.URI;
import java.util.Optional;

/** How an authorization request ended. Only {@link ToClient} sends the browser back to the client. */
public sealed interface AuthorizeOutcome {
    /** No trusted redirect URI (unknown client, unregistered redirect, duplicated client_id...): a 400 page, never a redirect. */
    record Refused(String message) implements AuthorizeOutcome { }

    /** A code or an error, to the client's registered redirect URI, with {@code state} and {@code iss}. */
    record ToClient(URI location) implements AuthorizeOutcome { }

    /** The user must (re-)authenticate; {@code returnTo} resumes the stored request afterwards. */
    record NeedsLogin(String returnTo, Optional<String> loginHint) implements AuthorizeOutcome { }

    /**
     * The client asked for a second factor ({@code acr_values}) that the session has not passed, or not within
     * {@code max_age}: the user steps up, then {@code returnTo} resumes the stored request.
     */
    record NeedsSecondFactor(String returnTo) implements AuthorizeOutcome { }

    /** The user must approve the scope on the consent page. */
    record NeedsConsent(ClientID client, String pendingId) implements AuthorizeOutcome { }
}
