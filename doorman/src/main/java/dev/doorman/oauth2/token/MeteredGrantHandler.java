package dev.doorman.oauth2.token;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.TokenRequest;
import dev.doorman.client.RegisteredClient;
import dev.doorman.support.ClientInfo;

import java.util.LinkedHashMap;
import java.util.Map;

/** Counts what a grant handler answers, by grant type: tokens issued, or the OAuth error it refused with. */
public final class MeteredGrantHandler implements GrantHandler {
    /** Where the counts go (the metrics). */
    @FunctionalInterface
    public interface Meter {
        void tokenResponse(String grant, boolean issued, String error);
    }

    private final String grant;
    private final GrantHandler handler;
    private final Meter meter;

    public MeteredGrantHandler(GrantType grant, GrantHandler handler, Meter meter) {
        this.grant = grant.getValue();
        this.handler = handler;
        this.meter = meter;
    }

    /** Every handler of the map, metered. */
    public static Map<GrantType, GrantHandler> meterAll(Map<GrantType, GrantHandler> handlers, Meter meter) {
        var metered = new LinkedHashMap<GrantType, GrantHandler>();
        handlers.forEach((type, handler) -> metered.put(type, new MeteredGrantHandler(type, handler, meter)));
        return metered;
    }

    @Override
    public TokenResult handle(RegisteredClient client, TokenRequest request, ClientInfo from) {
        TokenResult result = handler.handle(client, request, from);
        switch (result) {
            case TokenResult.Issued issued -> meter.tokenResponse(grant, true, "");
            case TokenResult.Rejected rejected -> meter.tokenResponse(grant, false,
                    rejected.error().getCode() == null ? "unknown" : rejected.error().getCode());
        }
        return result;
    }
}
