package dev.doorman.oauth2.par;

import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.doorman.db.StoreContract;
import dev.doorman.support.Secrets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Pushed authorization requests (RFC 9126): single use, bound to the pushing client, short-lived. */
abstract class PushedRequestStoreContract extends StoreContract {
    private static final ClientID CLIENT = new ClientID("s6BhdRkqt3");
    private static final String REQUEST_URI = "urn:ietf:params:oauth:request_uri:6esc_11ACC5bwc014ltc14eY22c";
    // RFC 9126 §2.1, with a multi-valued parameter and characters that need encoding.
    private static final Map<String, List<String>> PARAMETERS = Map.of(
            "response_type", List.of("code"),
            "client_id", List.of("s6BhdRkqt3"),
            "state", List.of("af0ifjsldkj & ü=?"),
            "redirect_uri", List.of("https://client.example.org/cb"),
            "code_challenge", List.of("K2-ltc83acc4h0c9w6ESC_rEMTJ3bww-uCHaoeK1t8U"),
            "code_challenge_method", List.of("S256"),
            "scope", List.of("openid profile"),
            "resource", List.of("https://notes.example.org", "https://tasks.example.org"));

    private PushedRequestStore requests;

    @BeforeEach
    void setUp() {
        requests = new JdbiPushedRequestStore(db.jdbi(), clock);
    }

    @Test
    void consumeWhenFreshThenTheParametersComeBackExactly() {
        requests.save(hash(REQUEST_URI), CLIENT, PARAMETERS, clock.instant().plusSeconds(60));

        assertThat(requests.consume(hash(REQUEST_URI), CLIENT)).contains(PARAMETERS);
    }

    @Test
    void consumeWhenCalledAgainThenEmpty() {
        requests.save(hash(REQUEST_URI), CLIENT, PARAMETERS, clock.instant().plusSeconds(60));
        requests.consume(hash(REQUEST_URI), CLIENT);

        assertThat(requests.consume(hash(REQUEST_URI), CLIENT)).isEmpty();
    }

    @Test
    void consumeWhenAnotherClientTriesThenEmptyAndThePushingClientCanStillUseIt() {
        requests.save(hash(REQUEST_URI), CLIENT, PARAMETERS, clock.instant().plusSeconds(60));

        assertThat(requests.consume(hash(REQUEST_URI), new ClientID("other-app"))).isEmpty();
        assertThat(requests.consume(hash(REQUEST_URI), CLIENT)).contains(PARAMETERS);
    }

    @Test
    void consumeWhenExpiredThenEmpty() {
        requests.save(hash(REQUEST_URI), CLIENT, PARAMETERS, clock.instant().plusSeconds(60));
        clock.advance(Duration.ofSeconds(60));

        assertThat(requests.consume(hash(REQUEST_URI), CLIENT)).isEmpty();
    }

    @Test
    void consumeWhenUnknownThenEmpty() {
        assertThat(requests.consume(hash(REQUEST_URI), CLIENT)).isEmpty();
    }

    @Test
    void consumeWhenTwentyCallersRaceThenExactlyOneGetsTheRequest() throws Exception {
        requests.save(hash(REQUEST_URI), CLIENT, PARAMETERS, clock.instant().plusSeconds(60));

        List<Optional<Map<String, List<String>>>> results = concurrently(20, i -> requests.consume(hash(REQUEST_URI), CLIENT));

        assertThat(results).filteredOn(Optional::isPresent).containsExactly(Optional.of(PARAMETERS));
    }

    private static String hash(String requestUri) {
        return Secrets.hash(requestUri);
    }
}
