package dev.doorman.oidc;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.BearerTokenError;
import com.nimbusds.openid.connect.sdk.UserInfoErrorResponse;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoSuccessResponse;
import dev.doorman.web.NimbusHttp;
import io.javalin.http.Context;

import java.net.URI;

/**
 * {@code GET|POST /oauth2/userinfo}: the bearer token from the {@code Authorization} header, or the form body's
 * {@code access_token} on POST (RFC 6750 §2.1, §2.2). Errors per RFC 6750 §3 with {@code WWW-Authenticate: Bearer}.
 */
public final class UserInfoEndpoint {
    private final UserInfoService service;
    private final URI endpoint;

    public UserInfoEndpoint(UserInfoService service, URI endpoint) {
        this.service = service;
        this.endpoint = endpoint;
    }

    public void handle(Context ctx) {
        UserInfoRequest request;
        try {
            request = UserInfoRequest.parse(NimbusHttp.from(ctx, endpoint));
        } catch (ParseException e) {
            write(ctx, new UserInfoErrorResponse(e.getErrorObject() instanceof BearerTokenError b ? b : BearerTokenError.INVALID_REQUEST)
                    .toHTTPResponse());
            return;
        }
        write(ctx, switch (service.userInfo(request.getAccessToken().getValue())) {
            case UserInfoService.Outcome.Claims c -> new UserInfoSuccessResponse(c.userInfo()).toHTTPResponse();
            case UserInfoService.Outcome.InvalidToken i -> new UserInfoErrorResponse(BearerTokenError.INVALID_TOKEN).toHTTPResponse();
            case UserInfoService.Outcome.InsufficientScope s -> new UserInfoErrorResponse(BearerTokenError.INSUFFICIENT_SCOPE).toHTTPResponse();
        });
    }

    private static void write(Context ctx, HTTPResponse response) {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        NimbusHttp.write(ctx, response);
    }
}
