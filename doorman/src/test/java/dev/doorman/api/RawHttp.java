package dev.doorman.api;

import dev.doorman.testkit.TestHttp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sends an oversized request body over a plain socket while reading the answer at the same time.
 *
 * <p>Why not {@link TestHttp}: a server that refuses a body it will not read to the end (Doorman drains up to 1 MiB)
 * answers 413 and closes the connection.
 * {@link java.net.http.HttpClient} is then often still writing, gets "broken pipe" and throws away the answer the
 * server did send, so a test of the refusal would be flaky. Here a separate thread writes the body (and may fail
 * harmlessly) while this one reads the status, headers and body.
 */
final class RawHttp {
    private RawHttp() {
    }

    /** {@code POST path} with the body sent with a {@code Content-Length}, or chunked when {@code chunked}. */
    static TestHttp.Response post(String baseUrl, String path, String contentType, byte[] body, boolean chunked) {
        URI base = URI.create(baseUrl);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head(base, path, contentType, chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + body.length));
            out.flush();
            Thread writer = Thread.ofVirtual().start(() -> writeBody(out, body, chunked));
            TestHttp.Response response = read(new BufferedInputStream(socket.getInputStream()));
            socket.close();
            writer.join(5_000);
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The answer to {@link #postWithPause}: whether it began to arrive while the body's last part was still unsent,
     * whether every write went through, and whether the server then ended the connection cleanly (not by a reset).
     */
    record Exchange(TestHttp.Response response, boolean answeredBeforeTheBodyEnded, boolean writesSucceeded, boolean closedCleanly) {
    }

    /**
     * {@code POST path} with a {@code Content-Length} body sent as a slow client sends it: all but the last
     * {@code tail} bytes, a pause, then the rest; only then is the answer read, to its end.
     */
    static Exchange postWithPause(String baseUrl, String path, String contentType, byte[] body, int tail, java.time.Duration pause) {
        URI base = URI.create(baseUrl);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            boolean writesSucceeded = true;
            boolean answeredEarly = false;
            try {
                out.write(head(base, path, contentType, "Content-Length: " + body.length));
                out.write(body, 0, body.length - tail);
                out.flush();
                Thread.sleep(pause);
                answeredEarly = socket.getInputStream().available() > 0;
                out.write(body, body.length - tail, tail);
                out.flush();
            } catch (IOException refused) {
                writesSucceeded = false;
            }
            InputStream in = new BufferedInputStream(socket.getInputStream());
            TestHttp.Response response = read(in);
            boolean closedCleanly;
            try {
                closedCleanly = in.read() < 0;
            } catch (java.net.SocketException reset) {
                closedCleanly = false;
            }
            return new Exchange(response, answeredEarly, writesSucceeded, closedCleanly);
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The request line and headers of a {@code POST}, {@code framing} saying how long the body is. */
    private static byte[] head(URI base, String path, String contentType, String framing) {
        return ("POST " + path + " HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\nContent-Type: " + contentType + "\r\n"
                + framing + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void writeBody(OutputStream out, byte[] body, boolean chunked) {
        try {
            if (!chunked) {
                out.write(body);
            } else {
                for (int offset = 0; offset < body.length; offset += 8192) {
                    int length = Math.min(8192, body.length - offset);
                    out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body, offset, length);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        } catch (IOException refused) {
            // The server stopped reading once it had refused the body: expected.
        }
    }

    private static TestHttp.Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (!statusLine.startsWith("HTTP/1.1 ")) throw new IOException("not an HTTP/1.1 answer: '" + statusLine + "'");
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.computeIfAbsent(header.substring(0, colon).trim(), k -> new ArrayList<>()).add(header.substring(colon + 1).trim());
        }
        byte[] body = headers.containsKey("Content-Length")
                ? in.readNBytes(Integer.parseInt(headers.get("Content-Length").getFirst()))
                : in.readAllBytes();
        return new TestHttp.Response(status, new String(body, StandardCharsets.UTF_8), HttpHeaders.of(headers, (name, value) -> true));
    }

    private static String line(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) throw new IOException("connection closed after: '" + line.toString(StandardCharsets.ISO_8859_1) + "'");
            if (b != '\r') line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
