package dev.doorman.guard;

import java.time.Duration;

/**
 * A request refused by a named limit before anything happened. {@code web.WebErrors} answers 429 with
 * {@code Retry-After}: problem+json for the API, an error page for browsers.
 */
public final class RateLimited extends RuntimeException {
    private final Limit limit;
    private final Duration retryAfter;

    public RateLimited(Limit limit, Duration retryAfter) {
        super("rate limited: " + limit.wireName(), null, false, false);
        this.limit = limit;
        this.retryAfter = retryAfter;
    }

    public Limit limit() {
        return limit;
    }

    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
