package dev.doorman.oauth2.revocation;

import dev.doorman.web.Json;
import io.javalin.http.Context;

import java.util.List;

/**
 * {@code GET /oauth2/revoked}: the access tokens revoked before their expiry, for resource servers that verify our
 * JWTs locally and poll this list (OA-21). Public: a {@code jti} says nothing without its token.
 */
public final class RevokedTokensEndpoint {
    /** One entry: the token's {@code jti} and its {@code exp} (seconds since the epoch), after which it drops off. */
    public record Entry(String jti, long exp) { }

    public record Feed(List<Entry> revoked) { }

    private final RevocationList revocationList;

    public RevokedTokensEndpoint(RevocationList revocationList) {
        this.revocationList = revocationList;
    }

    public void handle(Context ctx) {
        var entries = revocationList.current().stream()
                .map(t -> new Entry(t.jti().getValue(), t.expiresAt().getEpochSecond())).toList();
        ctx.header("Cache-Control", "max-age=30");
        Json.write(ctx, 200, new Feed(entries));
    }
}
