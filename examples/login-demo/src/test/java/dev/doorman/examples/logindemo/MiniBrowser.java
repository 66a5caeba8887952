package dev.doorman.examples.logindemo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Just enough of a browser for the relying-party tests: cookies per host and port (Secure
 * cookies kept on loopback http as browsers do for localhost), redirects followed one at a time.
 */
final class MiniBrowser {
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    record Page(URI url, int status, String body, Optional<URI> location) {
        String hidden(String name) {
            Matcher m = HIDDEN.matcher(body);
            while (m.find()) if (m.group(1).equals(name)) return m.group(2).replace("&amp;", "&");
            throw new AssertionError("no hidden field " + name + " in " + body);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, Map<String, String>> cookies = new ConcurrentHashMap<>();

    Page get(URI url) {
        return send(url, HttpRequest.newBuilder(url).GET(), Map.of());
    }

    Page postForm(URI url, Map<String, String> fields, Map<String, String> headers) {
        String body = fields.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return send(url, HttpRequest.newBuilder(url).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    /** Follows redirects until a page that is not one, or the first redirect to {@code stopAt}'s origin and path. */
    Page follow(Page page) {
        Page current = page;
        for (int i = 0; i < 10 && current.location().isPresent(); i++) current = get(current.location().get());
        return current;
    }

    Optional<String> cookie(String host, String name) {
        return Optional.ofNullable(cookies.getOrDefault(host, Map.of()).get(name));
    }

    void setCookie(String host, String name, String value) {
        cookies.computeIfAbsent(host, h -> new ConcurrentHashMap<>()).put(name, value);
    }

    void clearCookies(String host) {
        cookies.remove(host);
    }

    private Page send(URI url, HttpRequest.Builder builder, Map<String, String> headers) {
        Map<String, String> jar = cookies.getOrDefault(url.getAuthority(), Map.of());
        if (!jar.isEmpty())
            builder.header("Cookie", jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
        headers.forEach(builder::header);
        HttpResponse<String> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        for (String header : response.headers().allValues("Set-Cookie")) {
            String pair = header.split(";", 2)[0];
            int eq = pair.indexOf('=');
            String name = pair.substring(0, eq).strip();
            String value = pair.substring(eq + 1).strip();
            var hostJar = cookies.computeIfAbsent(url.getAuthority(), h -> new ConcurrentHashMap<>());
            if (value.isEmpty() || header.contains("Max-Age=0")) hostJar.remove(name);
            else hostJar.put(name, value);
        }
        Optional<URI> location = response.headers().firstValue("Location").map(url::resolve);
        return new Page(url, response.statusCode(), response.body(), location);
    }

    static Map<String, String> query(URI url) {
        Map<String, String> params = new LinkedHashMap<>();
        if (url.getRawQuery() == null) return params;
        for (String pair : url.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            params.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
