package dev.doorman.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP client that drives a server the way a browser or an API client would, so that tests
 * can see exactly what the server sends.
 *
 * <p>Why not a plain {@link HttpClient}: authentication flows live in redirects and cookies, and
 * tests must assert on them, so this client
 * <ul>
 *   <li>never follows redirects: the test sees every {@code 302} and its {@code Location};</li>
 *   <li>keeps its own cookie jar, a plain name→value map fed by every {@code Set-Cookie} response
 *       header ({@code Max-Age=0}, a negative {@code Max-Age} or a past {@code Expires} deletes the
 *       cookie). Path, domain and the {@code Secure} flag are ignored on purpose: the server under
 *       test runs on {@code http://127.0.0.1} but marks its cookies {@code Secure}, and
 *       {@link java.net.CookieManager} would then never send them back;</li>
 *   <li>adds default headers to every request (e.g. {@code X-CSRF-Token}, {@code Origin}).</li>
 * </ul>
 *
 * <p>It speaks HTTP/1.1 and is safe to use from several threads, though a test usually has one
 * instance per simulated user.
 */
public final class TestHttp {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final String baseUrl;
    private final HttpClient client;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final Map<String, String> defaultHeaders = new LinkedHashMap<>();

    /**
     * @param baseUrl the server's root, e.g. {@code http://127.0.0.1:8080}; request paths are
     *                appended to it
     */
    public TestHttp(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** {@code GET path}. */
    public Response get(String path) {
        return send(request(path).GET());
    }

    /** {@code POST path} with the fields as an {@code application/x-www-form-urlencoded} UTF-8 body, in map order. */
    public Response postForm(String path, Map<String, String> fields) {
        StringJoiner body = new StringJoiner("&");
        fields.forEach((name, value) -> body.add(
                URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return send(request(path)
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)));
    }

    /** {@code POST path} with {@code json} as an {@code application/json} body. */
    public Response postJson(String path, String json) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    /** {@code DELETE path}, without a body (as a JSON API client would). */
    public Response deleteJson(String path) {
        return send(request(path).DELETE());
    }

    /**
     * A request builder for {@code path} (relative to the base URL, or an absolute
     * {@code http(s)://} URL such as a link from a mail), to pass to {@link #send}.
     */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(resolve(path));
    }

    /**
     * Sends a custom request, adding the cookie jar and the default headers (a header the builder
     * already sets, including {@code Cookie}, wins over the default one), and stores the cookies
     * the response sets.
     */
    public Response send(HttpRequest.Builder builder) {
        HttpRequest original = builder.build();
        HttpRequest.Builder withDefaults = HttpRequest.newBuilder(original, (name, value) -> true);
        if (original.timeout().isEmpty()) {
            withDefaults.timeout(REQUEST_TIMEOUT);
        }
        for (Map.Entry<String, String> header : defaultHeaders().entrySet()) {
            if (original.headers().firstValue(header.getKey()).isEmpty()) {
                withDefaults.header(header.getKey(), header.getValue());
            }
        }
        String cookieHeader = cookieHeader();
        if (!cookieHeader.isEmpty() && original.headers().firstValue("Cookie").isEmpty()) {
            withDefaults.header("Cookie", cookieHeader);
        }
        HttpRequest request = withDefaults.build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // The cause in the message: a test report often shows only this line.
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + request.method() + " " + request.uri(), e);
        }
        Response result = new Response(response.statusCode(), response.body(), response.headers());
        result.setCookies().forEach(this::storeCookie);
        return result;
    }

    /** Sends {@code value} as header {@code name} on every following request (replacing any earlier value). */
    public synchronized void setHeader(String name, String value) {
        defaultHeaders.put(name, value);
    }

    /** Stops sending the default header {@code name}. */
    public synchronized void clearHeader(String name) {
        defaultHeaders.remove(name);
    }

    /** A copy of the cookie jar, name → value. */
    public synchronized Map<String, String> cookies() {
        return new LinkedHashMap<>(cookies);
    }

    /** Puts a cookie in the jar, e.g. to replay a stolen session or forge one. */
    public synchronized void setCookie(String name, String value) {
        cookies.put(name, value);
    }

    /** Empties the cookie jar, like a browser restarted with no stored cookies. */
    public synchronized void clearCookies() {
        cookies.clear();
    }

    private synchronized Map<String, String> defaultHeaders() {
        return new LinkedHashMap<>(defaultHeaders);
    }

    private synchronized String cookieHeader() {
        StringJoiner header = new StringJoiner("; ");
        cookies.forEach((name, value) -> header.add(name + "=" + value));
        return header.toString();
    }

    private synchronized void storeCookie(String setCookie) {
        String[] attributes = setCookie.split(";");
        int equals = attributes[0].indexOf('=');
        if (equals <= 0) {
            return; // not a name=value pair: a browser ignores it too
        }
        String name = attributes[0].substring(0, equals).trim();
        String value = attributes[0].substring(equals + 1).trim();
        if (isDeletion(attributes)) {
            cookies.remove(name);
        } else {
            cookies.put(name, value);
        }
    }

    /** Max-Age wins over Expires, as in RFC 6265. */
    private static boolean isDeletion(String[] attributes) {
        Boolean expired = null;
        for (int i = 1; i < attributes.length; i++) {
            String attribute = attributes[i].trim();
            int equals = attribute.indexOf('=');
            String key = (equals < 0 ? attribute : attribute.substring(0, equals)).trim().toLowerCase(Locale.ROOT);
            String value = equals < 0 ? "" : attribute.substring(equals + 1).trim();
            if (key.equals("max-age")) {
                try {
                    return Long.parseLong(value) <= 0;
                } catch (NumberFormatException ignored) {
                    // a malformed Max-Age is ignored, as a browser would
                }
            } else if (key.equals("expires") && expired == null) {
                try {
                    expired = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                            .isBefore(ZonedDateTime.now());
                } catch (DateTimeParseException ignored) {
                    // an unparseable date is ignored, as a browser would
                }
            }
        }
        return Boolean.TRUE.equals(expired);
    }

    private URI resolve(String path) {
        if (path.startsWith("http://") || path.startsWith("https://")) {
            return URI.create(path);
        }
        return URI.create(baseUrl + (path.startsWith("/") ? path : "/" + path));
    }

    /**
     * What the server answered.
     *
     * @param status  the HTTP status code
     * @param body    the body decoded as text (charset from {@code Content-Type}, else UTF-8)
     * @param headers all response headers
     */
    public record Response(int status, String body, HttpHeaders headers) {

        /** Configured once and thread-safe: a constant, not shared mutable state. */
        private static final ObjectMapper JSON = new ObjectMapper();
        private static final Pattern INPUT_TAG = Pattern.compile("<input\\b[^>]*>", Pattern.CASE_INSENSITIVE);
        private static final Pattern NAME_CSRF =
                Pattern.compile("\\sname\\s*=\\s*([\"'])csrf\\1", Pattern.CASE_INSENSITIVE);
        private static final Pattern VALUE =
                Pattern.compile("\\svalue\\s*=\\s*([\"'])(.*?)\\1", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

        /** The first value of header {@code name} (case-insensitive). */
        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        /** Every {@code Set-Cookie} header, raw. */
        public List<String> setCookies() {
            return headers.allValues("Set-Cookie");
        }

        /** The {@code Location} header, as sent (possibly relative). */
        public Optional<String> location() {
            return header("Location");
        }

        /**
         * The value of the hidden form field {@code name="csrf"}, HTML entities decoded, whatever
         * the order of the {@code input} element's attributes.
         *
         * @throws AssertionError if the body has no such field
         */
        public String csrfField() {
            Matcher inputs = INPUT_TAG.matcher(body);
            while (inputs.find()) {
                String tag = inputs.group();
                if (NAME_CSRF.matcher(tag).find()) {
                    Matcher value = VALUE.matcher(tag);
                    if (value.find()) {
                        return unescapeHtml(value.group(2));
                    }
                }
            }
            throw new AssertionError("No <input name=\"csrf\" value=\"...\"> in the response (status "
                    + status + "): " + snippet());
        }

        /**
         * The body parsed as JSON.
         *
         * @throws AssertionError if the body is not JSON
         */
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("Response (status " + status + ") is not JSON: " + snippet(), e);
            }
        }

        @Override
        public String toString() {
            return "Response[" + status + ", " + snippet() + "]";
        }

        private String snippet() {
            return body.length() <= 2000 ? body : body.substring(0, 2000) + "…";
        }

        private static String unescapeHtml(String text) {
            return text.replace("&quot;", "\"")
                    .replace("&#34;", "\"")
                    .replace("&#39;", "'")
                    .replace("&#x27;", "'")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&");
        }
    }
}
