package dev.doorman.web;

import dev.doorman.support.ClientInfo;
import io.javalin.http.Context;

/** Who is calling, as far as the socket says. Forwarded headers are not trusted (no proxy is configured). */
public final class Clients {
    private Clients() {
    }

    public static ClientInfo of(Context ctx) {
        return new ClientInfo(ctx.req().getRemoteAddr(), ctx.header("User-Agent"));
    }
}
