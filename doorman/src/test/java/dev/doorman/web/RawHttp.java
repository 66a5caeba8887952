package dev.doorman.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain socket, for what {@link java.net.http.HttpClient} refuses to send: a forged {@code Host},
 * {@code TRACE}, a made-up method, CR/LF inside a header value, a 64 KB header. One request per connection.
 */
public final class RawHttp {
    public record Response(int status, Map<String, String> headers, String body) {
        /** A header by case-insensitive name (the last one if repeated). */
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    private RawHttp() {
    }

    /**
     * Sends {@code head} (request line and headers, each line ending in CRLF, without the blank line) plus
     * {@code Connection: close}, {@code Content-Length} when there is a body, and the body.
     */
    public static Response send(String baseUrl, String head, String body) {
        URI uri = URI.create(baseUrl);
        byte[] bodyBytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String request = head + "Connection: close\r\n"
                + (body == null ? "" : "Content-Length: " + bodyBytes.length + "\r\n") + "\r\n";
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(bodyBytes);
            socket.getOutputStream().flush();
            return parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException("raw request to " + baseUrl + " failed", e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        var out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) out.write(buffer, 0, n);
        } catch (java.net.SocketException reset) {
            // The server may reset after answering an oversized request; what arrived is the answer.
            if (out.size() == 0) throw reset;
        }
        return out.toByteArray();
    }

    private static Response parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) throw new AssertionError("no complete HTTP response: " + text);
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        var headers = new LinkedHashMap<String, String>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        String body = new String(raw, end + 4, raw.length - end - 4, StandardCharsets.UTF_8);
        return new Response(status, headers, body);
    }
}
