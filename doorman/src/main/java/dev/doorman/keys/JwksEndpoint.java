package dev.doorman.keys;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.javalin.http.Context;

/**
 * {@code GET /.well-known/jwks.json}: the public signing keys. Public data, so it may be cached for five minutes
 * (SecurityHeaders lets this one path be cached); a key is published as {@code next} long before it signs.
 */
public final class JwksEndpoint {
    public static final String CONTENT_TYPE = "application/jwk-set+json; charset=utf-8";

    private final TokenSigner signer;

    public JwksEndpoint(TokenSigner signer) {
        this.signer = signer;
    }

    public void handle(Context ctx) {
        ctx.contentType(CONTENT_TYPE).result(JSONObjectUtils.toJSONString(signer.publicKeys().toJSONObject()));
    }
}
