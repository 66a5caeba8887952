package dev.doorman.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.doorman.testkit.TestHttp;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** What every JSON API answer must look like, and what no answer may ever contain. */
final class ApiAssertions {
    /** Words that would mean an internal error or its stack trace reached the client. */
    private static final List<String> LEAKS = List.of("Exception", "at java.", "org.jdbi", "SQL", "jdbc", "org.eclipse.jetty", "io.javalin");

    private ApiAssertions() {
    }

    /** An RFC 9457 problem with this status and {@code code}, which leaks nothing internal. */
    static JsonNode assertProblem(TestHttp.Response response, int status, String code) {
        assertThat(response.status()).as("status of %s", response).isEqualTo(status);
        assertThat(response.header("Content-Type")).as("Content-Type of %s", response)
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = response.json();
        assertThat(problem.path("status").asInt()).as("problem status of %s", response).isEqualTo(status);
        assertThat(problem.path("code").asText()).as("problem code of %s", response).isEqualTo(code);
        assertThat(problem.path("title").asText()).as("problem title of %s", response).isNotBlank();
        assertThat(problem.path("detail").asText()).as("problem detail of %s", response).isNotBlank();
        assertNoLeak(response);
        return problem;
    }

    /** A client error (never a 5xx) as problem+json with some {@code code}; returns the code. */
    static String assertClientProblem(TestHttp.Response response) {
        assertThat(response.status()).as("status of %s", response).isBetween(400, 499);
        assertThat(response.header("Content-Type")).as("Content-Type of %s", response)
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        String code = response.json().path("code").asText();
        assertThat(code).as("problem code of %s", response).isNotBlank();
        assertNoLeak(response);
        return code;
    }

    static void assertNoLeak(TestHttp.Response response) {
        for (String leak : LEAKS) assertThat(response.body()).as("body of %s", response).doesNotContain(leak);
    }

    /** PW-01: a policy message names the rule broken and never asks for character classes. */
    static void assertNoCompositionRule(String detail) {
        assertThat(detail.toLowerCase(Locale.ROOT)).doesNotContain("digit", "number", "symbol", "special", "upper", "capital",
                "lowercase", "lower-case", "punctuation");
    }

    /** The session cookie this response sets (the last one for that name with a value), if any. */
    static Optional<String> setSessionCookie(TestHttp.Response response, String cookieName) {
        return response.setCookies().stream()
                .filter(c -> c.startsWith(cookieName + "="))
                .filter(c -> !c.startsWith(cookieName + "=;") && !c.equals(cookieName + "="))
                .reduce((first, second) -> second);
    }

    /** Every response header but {@code Date}, names case-folded, for "byte-identical answers" comparisons. */
    static Map<String, List<String>> headersExceptDate(TestHttp.Response response) {
        var headers = new TreeMap<String, List<String>>();
        response.headers().map().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("date")) headers.put(name.toLowerCase(Locale.ROOT), values);
        });
        return headers;
    }

    /** The value part of a {@code Set-Cookie} header. */
    static String cookieValue(String setCookie) {
        String pair = setCookie.split(";", 2)[0];
        return pair.substring(pair.indexOf('=') + 1).trim();
    }
}
