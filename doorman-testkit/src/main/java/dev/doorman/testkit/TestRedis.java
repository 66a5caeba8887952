package dev.doorman.testkit;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * A real Redis for tests: the redis-server binary that codemonstur's embedded-redis artifact ships, on 127.0.0.1 and
 * a random port, without persistence. Each caller gets its own server, which it may stop and start again (to test
 * what happens while Redis is down) and must close.
 */
public final class TestRedis implements AutoCloseable {
    private final int port;
    private RedisServer server;

    private TestRedis(int port) {
        this.port = port;
    }

    public static TestRedis start() {
        var redis = new TestRedis(freePort());
        redis.startAgain();
        return redis;
    }

    /** {@code redis://127.0.0.1:PORT} */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Stops the server (the port stays reserved for {@link #startAgain()}). */
    public synchronized void stop() {
        if (server == null) return;
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = null;
    }

    /** Starts the server again on the same port, empty. */
    public synchronized void startAgain() {
        if (server != null) return;
        try {
            server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                    .setting("save \"\"").setting("appendonly no").setting("protected-mode no").build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting the embedded redis-server on port " + port, e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
