package dev.doorman.web;

import dev.doorman.guard.TrustedProxies;
import dev.doorman.support.ClientInfo;
import io.javalin.http.Context;

import java.util.Collections;
import java.util.List;

/**
 * Who is calling. The address is decided once per request by {@link #resolver} (the socket's peer, or what a
 * configured trusted proxy forwarded) and every feature reads it from here: sessions, audit, rate limits.
 */
public final class Clients {
    private static final String IP = "doorman.client-ip";

    private Clients() {
    }

    public static ClientInfo of(Context ctx) {
        return new ClientInfo(ip(ctx), ctx.header("User-Agent"));
    }

    /** The client's address: as resolved for this request, or the socket's peer when nothing resolved it. */
    public static String ip(Context ctx) {
        String resolved = ctx.attribute(IP);
        return resolved != null ? resolved : ctx.req().getRemoteAddr();
    }

    /** The before-handler that decides the address; installed first, so that everything after it sees the same one. */
    public static io.javalin.http.Handler resolver(TrustedProxies proxies) {
        return ctx -> {
            List<String> forwarded = proxies.isEmpty() ? List.of() : Collections.list(ctx.req().getHeaders("X-Forwarded-For"));
            ctx.attribute(IP, proxies.clientIp(ctx.req().getRemoteAddr(), forwarded));
        };
    }
}
