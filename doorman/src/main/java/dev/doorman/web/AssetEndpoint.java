package dev.doorman.web;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/** Serves the one stylesheet, read once from the classpath. */
public final class AssetEndpoint {
    private final byte[] stylesheet;

    public AssetEndpoint() {
        try (InputStream in = Objects.requireNonNull(AssetEndpoint.class.getResourceAsStream("/assets/doorman.css"), "doorman.css")) {
            this.stylesheet = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void stylesheet(Context ctx) {
        ctx.contentType("text/css; charset=utf-8").result(stylesheet);
    }
}
