package dev.doorman.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.doorman.Doorman;
import dev.doorman.DoormanSettings;
import dev.doorman.account.Email;
import dev.doorman.account.Password;
import dev.doorman.account.User;
import dev.doorman.account.UserId;
import dev.doorman.client.ClientRegistration;
import dev.doorman.client.CreateClientOutcome;
import dev.doorman.db.Database;
import dev.doorman.db.DbSettings;
import dev.doorman.guard.GuardSettings;
import dev.doorman.support.ClientInfo;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * What both load drivers ({@link CredentialStuffingDriver}, {@link OverloadDriver}) are made of: the in-process server
 * ({@link Rig}), open-loop arrival schedules, samples timed from their arrival and their percentiles, the token-endpoint
 * client, the recovery windows and the verdict lines.
 */
final class LoadKit {
    static final String LEGIT_PASSWORD = "correct horse battery staple";
    static final String LEAKED_PASSWORD = "leaked password reused everywhere";
    static final double TOKEN_RATE = 20;
    static final Duration RECOVERY = Duration.ofSeconds(30);
    static final Duration WINDOW = Duration.ofSeconds(5);

    private LoadKit() {
    }

    /** One answer (or the lack of one) to one arrival. {@code status} is the HTTP status, or one of the negative codes here. */
    record Sample(long arrival, long latency, int status) {
        /** No answer within the request's 10 s. */
        static final int TIMEOUT = -1;
        /** Any other failure to get an answer (a reset connection). */
        static final int ERROR = -2;
        /** A returning user's login found every one of them still busy with a previous login. */
        static final int NO_IDLE_USER = -3;
        /** Not sent: the driver's cap on requests in flight was reached. */
        static final int DROPPED = -4;
        /** The server did not even accept the connection within 5 s. */
        static final int CONNECT_TIMEOUT = -5;

        long done() {
            return arrival + latency;
        }
    }

    /** Latency percentiles in milliseconds (nearest rank) of the samples that were sent (a dropped one has no latency of its own). */
    record Dist(int n, double p50, double p95, double max) {
        static Dist of(List<Sample> samples) {
            long[] sorted = samples.stream().filter(s -> s.status() != Sample.NO_IDLE_USER && s.status() != Sample.DROPPED)
                    .mapToLong(Sample::latency).sorted().toArray();
            if (sorted.length == 0) return new Dist(0, Double.NaN, Double.NaN, Double.NaN);
            return new Dist(sorted.length, rank(sorted, 0.50), rank(sorted, 0.95), sorted[sorted.length - 1] / 1e6);
        }

        private static double rank(long[] sorted, double p) {
            return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
        }

        @Override
        public String toString() {
            return String.format("p50=%.1f ms p95=%.1f ms max=%.1f ms", p50, p95, max);
        }
    }

    static List<Sample> between(Iterable<Sample> samples, long from, long to) {
        var out = new ArrayList<Sample>();
        for (var s : samples) if (s.arrival() >= from && s.arrival() < to) out.add(s);
        return out;
    }

    static Map<Integer, Long> byStatus(List<Sample> samples) {
        var counts = new TreeMap<Integer, Long>();
        for (var s : samples) counts.merge(s.status(), 1L, Long::sum);
        return counts;
    }

    static String statusName(int status) {
        return switch (status) {
            case Sample.TIMEOUT -> "timeout";
            case Sample.ERROR -> "error";
            case Sample.NO_IDLE_USER -> "no idle user";
            case Sample.DROPPED -> "dropped at the in-flight cap";
            case Sample.CONNECT_TIMEOUT -> "connect timeout";
            default -> Integer.toString(status);
        };
    }

    static String statuses(Map<Integer, Long> counts) {
        var named = new LinkedHashMap<String, Long>();
        counts.forEach((status, n) -> named.put(statusName(status), n));
        return named.toString();
    }

    /**
     * The windows after {@code from}, each {@link #WINDOW} long, with their latency and failures, and when latency came
     * back under {@code limitMs}: the first window under it, and the window from which every later one stayed under it.
     * A window is under the limit when its p95 is and every answer in it was {@code ok}.
     */
    record Recovery(List<Dist> windows, List<Long> failures, double limitMs) {
        static Recovery of(List<Sample> samples, Predicate<Sample> ok, long from, long to, double limitMs) {
            var windows = new ArrayList<Dist>();
            var failures = new ArrayList<Long>();
            for (long w = from; w < to; w += WINDOW.toNanos()) {
                var in = between(samples, w, Math.min(to, w + WINDOW.toNanos()));
                windows.add(Dist.of(in));
                failures.add(in.stream().filter(ok.negate()).count());
            }
            return new Recovery(windows, failures, limitMs);
        }

        private boolean under(int i) {
            return windows.get(i).n() > 0 && windows.get(i).p95() <= limitMs && failures.get(i) == 0;
        }

        /** Seconds from the start to the end of the first window under the limit; empty if none was. */
        Optional<Long> firstUnderWithin() {
            for (int i = 0; i < windows.size(); i++) if (under(i)) return Optional.of((i + 1) * WINDOW.toSeconds());
            return Optional.empty();
        }

        /** Seconds from the start to the end of the first window of the run of windows under the limit that lasts to the end; empty if the last was over. */
        Optional<Long> staysUnderWithin() {
            int i = windows.size();
            while (i > 0 && under(i - 1)) i--;
            return i == windows.size() ? Optional.empty() : Optional.of((i + 1) * WINDOW.toSeconds());
        }

        String describe() {
            var sb = new StringBuilder();
            for (int i = 0; i < windows.size(); i++) {
                var d = windows.get(i);
                sb.append(String.format("%n    +%2d..%2d s: n=%3d p95=%7.1f ms failed=%d%s", i * WINDOW.toSeconds(), (i + 1) * WINDOW.toSeconds(), d.n(),
                        d.p95(), failures.get(i), under(i) ? "" : "  (over)"));
            }
            return sb.toString();
        }
    }

    /**
     * Fires arrivals at a fixed rate from {@code from} to {@code to} on a platform thread. A late scheduler (a GC pause,
     * a busy core) fires the missed arrivals at once with their scheduled times, so no arrival is lost and latency
     * measured from the scheduled time includes the lateness; how late it fired is kept, to tell the driver's own delay
     * from the server's. The callback must not block.
     */
    static final class Arrivals {
        private static final long LATE = TimeUnit.MILLISECONDS.toNanos(10);
        private final Thread thread;
        private final String name;
        private volatile long maxLag;
        private volatile long late;
        private volatile long fired;

        private Arrivals(String name, double perSecond, long from, long to, LongConsumer onArrival) {
            if (!(perSecond > 0)) throw new IllegalArgumentException(name + ": the rate must be above 0, not " + perSecond);
            this.name = name;
            long interval = (long) (1e9 / perSecond);
            this.thread = Thread.ofPlatform().daemon().name("arrivals: " + name).start(() -> {
                for (long n = 0; ; n++) {
                    long at = from + n * interval;
                    if (at >= to) return;
                    for (long wait = at - System.nanoTime(); wait > 0; wait = at - System.nanoTime()) LockSupport.parkNanos(wait);
                    long lag = System.nanoTime() - at;
                    onArrival.accept(at);
                    // One writer: the scheduler thread.
                    maxLag = Math.max(maxLag, lag);
                    if (lag > LATE) late++;
                    fired++;
                }
            });
        }

        static Arrivals start(String name, double perSecond, long from, long to, LongConsumer onArrival) {
            return new Arrivals(name, perSecond, from, to, onArrival);
        }

        void join() throws InterruptedException {
            thread.join();
        }

        /** How far behind its schedule the driver itself fell: a large lag means the figures include the driver's delay. */
        String lag() {
            return String.format("%s: %d arrivals, %d fired over 10 ms late, at most %.1f ms late", name, fired, late, maxLag / 1e6);
        }
    }

    /**
     * The in-process server as both drivers set it up: the dev settings, 127.0.0.1 as trusted proxy, mail discarded, a
     * confidential client for the token endpoint. Account e-mails carry a per-run tag so that a second run on the same
     * PostgreSQL database does not collide with the first.
     */
    static final class Rig implements AutoCloseable {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final Database db;
        private final Doorman doorman;
        private final Javalin app;
        private final String base;
        private final String basic;
        private final String hash;
        private final String leakedHash;
        private final String run = Long.toString(System.currentTimeMillis(), 36);

        /** Every audit event is also a log line; at hundreds a second they swamp the output. The audit table still has them all. */
        static void quietAuditLog() {
            System.setProperty("org.slf4j.simpleLogger.log.doorman.audit", "warn");
        }

        /** @param jdbcAt where a JDBC URL (then user, password) would be in {@code args}; without one, SQLite in a temporary directory */
        static Rig start(String name, String[] args, int jdbcAt) throws Exception {
            DbSettings dbSettings = args.length > jdbcAt
                    ? DbSettings.jdbc(args[jdbcAt], args.length > jdbcAt + 1 ? args[jdbcAt + 1] : "", args.length > jdbcAt + 2 ? args[jdbcAt + 2] : "")
                    : DbSettings.embedded(Files.createTempDirectory(name));
            int port;
            try (var socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            return new Rig(Database.open(dbSettings), "http://127.0.0.1:" + port, port);
        }

        private Rig(Database db, String base, int port) {
            this.db = db;
            this.base = base;
            db.migrate();
            var settings = DoormanSettings.dev(URI.create(base)).withGuard(GuardSettings.defaults().withTrustedProxies(List.of("127.0.0.1")));
            this.doorman = Doorman.builder(settings, db).mailSender(mail -> { }).build();
            this.app = doorman.createServer().start("127.0.0.1", port);
            this.hash = doorman.passwordHasher().hash(new Password(LEGIT_PASSWORD));
            this.leakedHash = doorman.passwordHasher().hash(new Password(LEAKED_PASSWORD));
            var created = (CreateClientOutcome.Created) doorman.clientService().create(ClientRegistration.confidential("bench " + run)
                    .grantType("client_credentials").scope("bench:read").build(), new ClientInfo("127.0.0.1", "bench"));
            this.basic = "Basic " + Base64.getEncoder().encodeToString((URLEncoder.encode(created.client().id().getValue(), StandardCharsets.UTF_8)
                    + ":" + URLEncoder.encode(created.secret().orElseThrow().getValue(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        }

        String dialect() {
            return db.dialect().toString();
        }

        URI uri(String path) {
            return URI.create(base + path);
        }

        String basic() {
            return basic;
        }

        /** An active, verified account named {@code local}.{@code run}@example.org with {@code password}; returns its e-mail. */
        String insertUser(String local, String password) {
            String email = local + "." + run + "@example.org";
            var now = Instant.now();
            String h = password.equals(LEGIT_PASSWORD) ? hash : password.equals(LEAKED_PASSWORD) ? leakedHash
                    : doorman.passwordHasher().hash(new Password(password));
            doorman.users().insert(new User(UserId.random(), new Email(email), Optional.empty(), Optional.of(h), true, false, now, now));
            return email;
        }

        /**
         * Empties the rate-limit buckets the database keeps (PostgreSQL's; with SQLite they live in the server's memory),
         * so that a warm-up's tripped limits, an hour-long failure budget among them, do not carry into the measured run.
         */
        void clearRateLimits() {
            db.jdbi().useHandle(h -> h.execute("delete from guard_buckets"));
        }

        /** Unique within a run, so that the attacker's list does not meet a previous run's rate-limit buckets on PostgreSQL either. */
        String tag() {
            return run;
        }

        static HttpClient client() {
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        }

        static HttpRequest.Builder login(URI uri, String email, String password, String ip, Optional<String[]> solved) {
            String body = "{\"email\":\"" + email + "\",\"password\":\"" + password + "\""
                    + solved.map(s -> ",\"challenge\":\"" + s[0] + "\",\"nonce\":\"" + s[1] + "\"").orElse("") + "}";
            return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .header("X-Forwarded-For", ip).POST(HttpRequest.BodyPublishers.ofString(body));
        }

        static JsonNode json(String body) throws IOException {
            return JSON.readTree(body);
        }

        /** A server with a backlog (requests whose clients gave up long ago) cannot stop gracefully within its 10 s; that is a finding, not a crash. */
        @Override
        public void close() {
            try {
                app.stop();
            } catch (RuntimeException e) {
                System.out.println("NOTE: the server still had requests in flight 10 s after it began to stop (a backlog its clients gave up on): " + e);
            }
            doorman.close();
            db.close();
        }
    }

    /** The status of a failed exchange: a connect timeout, a response timeout, or anything else that gave no answer. */
    static int failureStatus(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return switch (cause) {
            case HttpConnectTimeoutException c -> Sample.CONNECT_TIMEOUT;
            case HttpTimeoutException t -> Sample.TIMEOUT;
            default -> Sample.ERROR;
        };
    }

    /** Requests in flight, up to a cap; the drivers wait for none to be left before they report. */
    static final class InFlight {
        private final int cap;
        private final AtomicInteger count = new AtomicInteger();

        InFlight(int cap) {
            this.cap = cap;
        }

        boolean tryEnter() {
            for (int c = count.get(); c < cap; c = count.get()) if (count.compareAndSet(c, c + 1)) return true;
            return false;
        }

        void exit() {
            count.decrementAndGet();
        }

        /** False if some were still in flight after {@code limit}. */
        boolean awaitIdle(Duration limit) {
            long deadline = System.nanoTime() + limit.toNanos();
            while (count.get() > 0) {
                if (System.nanoTime() > deadline) return false;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            return true;
        }
    }

    /**
     * Requests sent open-loop: each is sent as it arrives and answered on the HTTP client's own platform threads (not on
     * virtual threads, whose carriers the in-process server keeps busy), at most 2,000 in flight; one beyond that is
     * recorded as dropped. Every answer is a sample, timed from the arrival.
     */
    static class OpenLoop implements AutoCloseable {
        final HttpClient http = Rig.client();
        private final InFlight inFlight = new InFlight(2000);
        final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();

        /** Sends {@code request}, or records it as dropped; {@code answered} is told the status once the sample is in. */
        void send(long arrival, HttpRequest request, IntConsumer answered) {
            if (!inFlight.tryEnter()) {
                samples.add(new Sample(arrival, 0, Sample.DROPPED));
                return;
            }
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                int status = e == null ? r.statusCode() : failureStatus(e);
                samples.add(new Sample(arrival, System.nanoTime() - arrival, status));
                answered.accept(status);
                inFlight.exit();
            });
        }

        boolean drain(Duration limit) {
            return inFlight.awaitIdle(limit);
        }

        @Override
        public void close() {
            http.shutdownNow();
        }
    }

    /** The client at the token endpoint, open-loop: every arrival is one request. */
    static final class TokenProbe extends OpenLoop {
        private final HttpRequest request;

        TokenProbe(Rig rig) {
            request = HttpRequest.newBuilder(rig.uri("/oauth2/token")).timeout(Duration.ofSeconds(10)).header("Authorization", rig.basic())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=bench%3Aread")).build();
        }

        void fire(long arrival) {
            send(arrival, request, status -> { });
        }
    }

    /** The n-th address not used before, counted rather than drawn, so that none repeats (16 M of them). */
    static String freshAddress(long n) {
        return "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
    }

    static void verdict(String what, boolean pass, String numbers) {
        System.out.printf("  %-4s %s: %s%n", pass ? "PASS" : "FAIL", what, numbers);
    }
}
