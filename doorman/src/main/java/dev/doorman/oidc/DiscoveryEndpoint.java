package dev.doorman.oidc;

import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import io.javalin.http.Context;

/** {@code /.well-known/openid-configuration} and {@code /.well-known/oauth-authorization-server}: one document, built once. */
public final class DiscoveryEndpoint {
    private final String document;

    public DiscoveryEndpoint(OIDCProviderMetadata metadata) {
        this.document = metadata.toJSONObject().toJSONString();
    }

    public void handle(Context ctx) {
        ctx.status(200).contentType("application/json").result(document);
    }
}
