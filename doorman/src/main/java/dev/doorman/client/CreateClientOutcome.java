package dev.doorman.client;

import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;

import java.util.List;
import java.util.Optional;

/** How {@link ClientService#create} ended. Only {@link Created} wrote anything. */
public sealed interface CreateClientOutcome {
    /**
     * @param secret the generated client secret of a client_secret_basic/post client: show it to the operator now,
     *               it is not stored and cannot be shown again
     */
    record Created(RegisteredClient client, Optional<Secret> secret) implements CreateClientOutcome { }

    record Rejected(List<ClientProblem> problems) implements CreateClientOutcome {
        public Rejected {
            problems = List.copyOf(problems);
        }
    }

    record IdTaken(ClientID id) implements CreateClientOutcome { }
}
