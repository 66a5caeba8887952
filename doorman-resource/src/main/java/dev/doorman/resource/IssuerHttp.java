package dev.doorman.resource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The few requests a resource server makes to its issuer (discovery, JWKS, revocation feed, introspection): bounded
 * by a connect and a request timeout, never following redirects, reading at most a capped body. Anything but a
 * 200 is an {@link IOException}, which callers turn into "issuer unavailable".
 */
final class IssuerHttp implements AutoCloseable {
    private final HttpClient client;
    private final Duration requestTimeout;

    IssuerHttp(Duration connectTimeout, Duration requestTimeout) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.requestTimeout = requestTimeout;
    }

    String get(URI uri, int maxBytes) throws IOException {
        return send(HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Accept", "application/json").GET().build(), maxBytes);
    }

    String postForm(URI uri, String authorization, Map<String, String> form, int maxBytes) throws IOException {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("Accept", "application/json")
                .header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), maxBytes);
    }

    private String send(HttpRequest request, int maxBytes) throws IOException {
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) throw new IOException(request.uri() + " answered " + response.statusCode());
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) throw new IOException(request.uri() + " answered more than " + maxBytes + " bytes");
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
