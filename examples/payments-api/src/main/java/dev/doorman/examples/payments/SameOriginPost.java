package dev.doorman.examples.payments;

import java.util.Optional;

/**
 * The Origin / Fetch-Metadata check on POST /api/payments, stricter than Doorman's general one (which lets a
 * request with neither header through, as a non-browser client): a payment must say where it comes from.
 * {@code Sec-Fetch-Site} must be {@code same-origin} (not same-site, not none: a sibling subdomain or a bookmark
 * never pays), and {@code Origin}, when sent, must be exactly the app's; without {@code Sec-Fetch-Site} the
 * {@code Origin} header is required.
 */
public final class SameOriginPost {
    private SameOriginPost() {
    }

    /** Why the request is refused (cross_site, origin_missing), or empty when it comes from the app's own pages. */
    public static Optional<String> refusal(String secFetchSite, String origin, String appOrigin) {
        if (secFetchSite != null && !secFetchSite.equals("same-origin")) return Optional.of("cross_site");
        if (origin != null) return origin.equals(appOrigin) ? Optional.empty() : Optional.of("cross_site");
        return secFetchSite != null ? Optional.empty() : Optional.of("origin_missing");
    }
}
