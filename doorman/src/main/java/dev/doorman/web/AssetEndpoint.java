package dev.doorman.web;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/** Serves the one stylesheet, read once from the classpath. */
public final class AssetEndpoint {
    private final byte[] stylesheet;
    private final byte[] passkeysScript;

    public AssetEndpoint() {
        this.stylesheet = read("/assets/doorman.css");
        this.passkeysScript = read("/assets/passkeys.js");
    }

    private static byte[] read(String resource) {
        try (InputStream in = Objects.requireNonNull(AssetEndpoint.class.getResourceAsStream(resource), resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void passkeysScript(Context ctx) {
        ctx.contentType("text/javascript; charset=utf-8").result(passkeysScript);
    }

    public void stylesheet(Context ctx) {
        ctx.contentType("text/css; charset=utf-8").result(stylesheet);
    }
}
