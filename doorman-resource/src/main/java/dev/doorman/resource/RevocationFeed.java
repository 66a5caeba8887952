package dev.doorman.resource;

import com.nimbusds.jose.util.JSONObjectUtils;

import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Doorman's list of access tokens revoked before their expiry ({@code GET {issuer}/oauth2/revoked}, answering
 * {@code {"revoked":[{"jti":"…","exp":…}]}}), polled every {@code interval} on a background thread.
 * <p>
 * Staleness: a token revoked at the issuer is refused here within one poll interval (30 s by default) plus one
 * request. If polling keeps failing, the last list stays in force (entries only leave it when their token
 * expires anyway) for up to {@code maxStaleness}; after that, and before the first successful poll, every
 * verification fails closed as unavailable, because a revocation we cannot see could be one we must honour.
 */
final class RevocationFeed implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RevocationFeed.class.getName());
    private static final int MAX_FEED_BYTES = 16 * 1024 * 1024;

    private record State(Map<String, Instant> revoked, Instant polledAt) { }

    private final URI feed;
    private final IssuerHttp http;
    private final Clock clock;
    private final Duration maxStaleness;
    private final ScheduledExecutorService scheduler;
    private volatile State state;

    RevocationFeed(URI feed, IssuerHttp http, Clock clock, Duration interval, Duration maxStaleness) {
        this.feed = feed;
        this.http = http;
        this.clock = clock;
        this.maxStaleness = maxStaleness;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "doorman-revocation-feed");
            t.setDaemon(true);
            return t;
        });
        pollQuietly();   // now, so that the first requests after start do not find the list unread
        scheduler.scheduleWithFixedDelay(this::pollQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether {@code jti} is revoked, by the latest list we could fetch. */
    boolean isRevoked(String jti) throws IssuerUnavailableException {
        State s = state;
        if (s == null) throw new IssuerUnavailableException("the revocation feed " + feed + " has not been read yet");
        if (clock.instant().isAfter(s.polledAt().plus(maxStaleness)))
            throw new IssuerUnavailableException("the revocation feed " + feed + " was last read at " + s.polledAt());
        return s.revoked().containsKey(jti);
    }

    /** Reads the feed now; throws when the issuer cannot be read. */
    void poll() throws IOException, ParseException {
        var json = JSONObjectUtils.parse(http.get(feed, MAX_FEED_BYTES));
        List<Object> entries = JSONObjectUtils.getJSONArray(json, "revoked");
        if (entries == null) throw new ParseException("no revoked member", 0);
        var revoked = new HashMap<String, Instant>();
        for (Object entry : entries) {
            if (!(entry instanceof Map<?, ?> map) || !(map.get("jti") instanceof String jti) || !(map.get("exp") instanceof Number exp))
                throw new ParseException("malformed entry", 0);
            revoked.put(jti, Instant.ofEpochSecond(exp.longValue()));
        }
        state = new State(Map.copyOf(revoked), clock.instant());
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (IOException | ParseException | RuntimeException e) {
            LOG.warning("reading the revocation feed " + feed + " failed: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
