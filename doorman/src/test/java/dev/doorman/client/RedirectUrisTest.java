package dev.doorman.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RedirectUrisTest {
    static final List<URI> REGISTERED = List.of(URI.create("https://client.example.org/cb"), URI.create("http://127.0.0.1/callback"),
            URI.create("http://[::1]:8080/callback?app=1"), URI.create("com.example.app:/callback"));

    private static boolean matches(String requested) {
        return RedirectUris.matches(REGISTERED, URI.create(requested));
    }

    @Test
    void matchesWhenExactlyRegisteredThenTrue() {
        assertThat(matches("https://client.example.org/cb")).isTrue();
        assertThat(matches("com.example.app:/callback")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/callback", "http://127.0.0.1:49152/callback", "http://127.0.0.1:1/callback",
            "http://[::1]/callback?app=1", "http://[::1]:51004/callback?app=1"})
    void matchesWhenLoopbackRedirectOnAnyPortThenTrue(String requested) {
        assertThat(matches(requested)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://localhost/callback", "http://localhost:49152/callback",          // another host, even if it resolves to loopback
            "http://127.0.0.2:49152/callback", "http://[::1]:51004/callback",         // another host; query missing
            "http://127.0.0.1:49152/callback/", "http://127.0.0.1:49152/Callback",    // path differs
            "http://127.0.0.1:49152/callback?x=1", "http://[::1]:51004/callback?app=2",
            "https://127.0.0.1:49152/callback", "http://user@127.0.0.1:49152/callback",
            "http://127.0.0.1:49152/callback#frag", "http://127.0.0.1.evil.example:49152/callback"})
    void matchesWhenLoopbackDiffersInMoreThanPortThenFalse(String requested) {
        assertThat(matches(requested)).isFalse();
    }

    /** SECURITY.md OA-01: every variant is refused; only a loopback port may vary. */
    @ParameterizedTest
    @ValueSource(strings = {"https://client.example.org/cb/", "https://client.example.org/CB", "https://CLIENT.example.org/cb",
            "https://client.example.org/cb?x=1", "https://client.example.org/cb/../evil", "https://client.example.org%2Fcb",
            "https://client.example.org/cb%2F", "https://client.example.org@evil.example/cb", "https://evil.example/cb?https://client.example.org/cb",
            "https://app.client.example.org/cb", "http://client.example.org/cb", "https://client.example.org:443/cb",
            "https://client.example.org:8443/cb", "https://client.example.org/cb#x", "com.example.app:/callback/", "com.example.app://callback"})
    void matchesWhenVariantOfRegisteredUriThenFalse(String requested) {
        assertThat(matches(requested)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://client.example.org/cb", "https://client.example.org:8443/cb?tenant=a", "http://127.0.0.1/callback",
            "http://127.0.0.1:8080/cb", "http://[::1]/callback", "com.example.app:/oauth2redirect/example-provider",
            "com.example.app://callback", "https://client.example.org"})
    void registrationProblemWhenAllowedKindThenNone(String uri) {
        assertThat(RedirectUris.registrationProblem(uri)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://client.example.org/cb           | http is allowed only for loopback redirects",
            "http://localhost/cb                    | http://localhost is not allowed (RFC 8252 §8.3)",
            "http://localhost:8080/cb               | http://localhost is not allowed (RFC 8252 §8.3)",
            "http://LOCALHOST/cb                    | http://localhost is not allowed",
            "https://client.example.org/cb#frag     | must not have a fragment",
            "https://client.example.org/cb#         | must not have a fragment",
            "https://user@client.example.org/cb     | must not contain user information",
            "https://user:pw@client.example.org/cb  | must not contain user information",
            "https://*.example.org/cb               | must not contain a wildcard",
            "https://client.example.org/*           | must not contain a wildcard",
            "javascript:alert(1)                    | the javascript: scheme is never allowed",
            "JavaScript:alert(1)                    | the javascript: scheme is never allowed",
            "data:text/html,<script>x</script>      | the data: scheme is never allowed",
            "vbscript:msgbox(1)                     | the vbscript: scheme is never allowed",
            "file:///etc/passwd                     | the file: scheme is never allowed",
            "/cb                                    | must be an absolute URI",
            "client.example.org/cb                  | must be an absolute URI",
            "https:/cb                              | an https redirect URI needs a host",
            "myapp:/callback                        | a private-use scheme named by a reverse domain",
            "ftp://client.example.org/cb            | the scheme ftp: is not allowed",
            "urn:ietf:wg:oauth:2.0:oob              | must have a path starting with /",
            "com.example.app:callback               | must have a path starting with /",
            "HTTPS://client.example.org/cb          | the scheme must be lower case",
            "https://client.example.org/a/../cb     | must not contain . or .. path segments",
            "https://client.example.org/a/%2e%2e/cb | must not contain . or .. path segments",
            "https://client.example.org/cb?code=x   | code",
            "https://client.example.org/c b         | must be ASCII without spaces",
            "https://client.example.org/cb?q=é      | must be ASCII without spaces",
            "https://client.example.org/c%zz        | is not a valid URI"})
    void registrationProblemWhenRefusedKindThenSaysWhy(String uri, String because) {
        assertThat(RedirectUris.registrationProblem(uri)).hasValueSatisfying(p -> assertThat(p).contains(because));
    }

    @Test
    void registrationProblemWhenBlankOrHugeThenRefused() {
        assertThat(RedirectUris.registrationProblem("")).contains("must not be empty");
        assertThat(RedirectUris.registrationProblem("https://client.example.org/" + "a".repeat(2000))).contains("must be at most 2000 characters");
        assertThat(RedirectUris.registrationProblem("https://client.example.org/cb\n")).hasValueSatisfying(p -> assertThat(p).contains("control"));
    }
}
