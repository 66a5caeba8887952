package dev.doorman.web;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import io.javalin.http.Context;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The adapter between Javalin and the Nimbus SDK's HTTP messages: a request in, a response out. Protocol messages
 * are then parsed by Nimbus ({@code TokenRequest.parse(...)}) at the edge; nothing below an endpoint sees Javalin.
 */
public final class NimbusHttp {
    private NimbusHttp() {
    }

    /**
     * The request as Nimbus sees it.
     *
     * @param endpoint the absolute URL of the endpoint (what a client assertion names as its audience)
     */
    public static HTTPRequest from(Context ctx, URI endpoint) {
        String query = ctx.queryString();
        URI url = query == null ? endpoint : URI.create(endpoint + "?" + query);
        var request = new HTTPRequest(HTTPRequest.Method.valueOf(ctx.method().name()), url);
        ctx.headerMap().forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Content-Type")) request.setHeader(name, value);
        });
        String type = ctx.contentType();
        if (type != null) {
            try {
                request.setContentType(type);
            } catch (ParseException e) {
                // An unparsable Content-Type: leave it unset, the message parser then refuses the request.
            }
        }
        String body = ctx.body();
        if (!body.isEmpty()) request.setBody(body);
        request.setClientIPAddress(Clients.ip(ctx));
        return request;
    }

    /** The first parameter sent more than once, in the query or the form body (RFC 6749 §3.1, §3.2; OA-11). */
    public static Optional<String> repeatedParameter(Context ctx) {
        Optional<String> inQuery = repeated(URLUtils.parseParameters(ctx.queryString()));
        if (inQuery.isPresent()) return inQuery;
        String type = ctx.contentType();
        boolean form = type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
        return form ? repeated(URLUtils.parseParameters(ctx.body())) : Optional.empty();
    }

    private static Optional<String> repeated(Map<String, List<String>> parameters) {
        return parameters.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).findFirst();
    }

    /** Writes a Nimbus response: status, headers (Cache-Control and Pragma included) and body. */
    public static void write(Context ctx, HTTPResponse response) {
        ctx.status(response.getStatusCode());
        response.getHeaderMap().forEach((name, values) -> {
            if (!values.isEmpty()) ctx.header(name, String.join(", ", values));
        });
        String body = response.getBody();
        ctx.result(body == null ? "" : body);
    }
}
