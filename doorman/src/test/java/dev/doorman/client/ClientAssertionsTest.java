package dev.doorman.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAssertionsTest {
    static final String HEADER = b64("{\"alg\":\"RS256\"}");
    static final String PAYLOAD = b64("{\"iss\":\"s6BhdRkqt3\"}");
    static final String SIGNATURE = "c2lnbmF0dXJl";

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void problemWhenCanonicalCompactJwsThenNone() {
        assertThat(ClientAssertions.problem(HEADER + "." + PAYLOAD + "." + SIGNATURE)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJzNkJoZHJrcXQzIn0                   | not a compact JWS",
            "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJzNkJoZHJrcXQzIn0.c2lnbmF0dXJl.eA   | not a compact JWS",
            "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJzNkJoZHJrcXQzIn0.                  | the signature is empty",
            ".eyJpc3MiOiJzNkJoZHJrcXQzIn0.c2lnbmF0dXJl                           | the header is empty",
            "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJzNkJoZHJrcXQzIn0=.c2lnbmF0dXJl     | the payload is not base64url",
            "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJzNkJoZHJrcXQzIn0.c2lnbmF0dXJl+/    | the signature is not base64url",
            "eyJhbGciOiJSUzI1NiJ9 .eyJpc3MiOiJzNkJoZHJrcXQzIn0.c2lnbmF0dXJl     | the header is not base64url",
            "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJzNkJoZHJrcXQzIn0.c2lnbmF0dXJlZ     | the signature is not canonical base64url",
            "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJzNkJoZHJrcXQzIn1.c2lnbmF0dXJl      | the payload is not canonical base64url"})
    void problemWhenNotStrictCompactFormThenSaysWhich(String assertion, String because) {
        assertThat(ClientAssertions.problem(assertion)).hasValueSatisfying(p -> assertThat(p).contains(because));
    }

    @Test
    void problemWhenHeaderStartsWithByteOrderMarkThenRefused() {
        String bom = Base64.getUrlEncoder().withoutPadding().encodeToString("\uFEFF{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(ClientAssertions.problem(bom + "." + PAYLOAD + "." + SIGNATURE)).contains("the header starts with a byte-order mark");
    }

    @Test
    void problemWhenLongerThan8KiBThenRefusedBeforeLookingInside() {
        String huge = HEADER + "." + "A".repeat(8 * 1024) + "." + SIGNATURE;

        assertThat(ClientAssertions.problem(huge)).contains("longer than 8192 characters");
        assertThat(ClientAssertions.problem("")).contains("empty");
        assertThat(ClientAssertions.problem(null)).contains("empty");
    }
}
