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
import dev.doorman.guard.ProofOfWork;
import dev.doorman.support.ClientInfo;
import io.javalin.Javalin;

import java.io.IOException;
import java.net.HttpCookie;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * LD-05: a credential-stuffing flood against a local server with the default limits, measured open-loop.
 * <p>
 * The server runs in this process, behind a trusted proxy (127.0.0.1), so {@code X-Forwarded-For} stands for each
 * client's address. Streams, each at a fixed arrival rate (latency is measured from the scheduled arrival, so a slow
 * server cannot slow the offered load down and hide its own delay):
 * <ul>
 *   <li>the attacker ({@code rate}/s, during the attack only): wrong passwords over {@code accounts} usernames, 1 in 100 a
 *       real account with its real, leaked password; never solves a proof of work; from 4 addresses ({@code few}) or a
 *       fresh address per request ({@code distributed}); at most 2,000 requests in flight (the rest are counted as
 *       dropped), each timed out at 10 s (5 s to connect);</li>
 *   <li>returning users (5 logins/s): 50 accounts, each from its own address and with its own cookie jar kept for the
 *       whole run, as a browser keeps its cookies (the session, and any "known device" cookie the server issues);</li>
 *   <li>new devices (1 login every 10 s): an empty cookie jar and a fresh address each time (rare, because solving the
 *       harder proof of work takes this box about a second of a core that the server shares);</li>
 *   <li>a client at the token endpoint ({@code client_credentials}, 20/s).</li>
 * </ul>
 * Users solve a proof of work when asked, and retry a 503 after its Retry-After; their latency is what they live
 * through: from the arrival to the last answer, solving and waiting included. Phases: warm-up 10 s (not reported:
 * JIT, and every returning user gets its cookies), baseline 20 s, attack {@code seconds}, recovery 30 s. Loopback only;
 * bounded by the phases (in-flight work is bounded by the timeouts).
 * <p>
 * Run: {@code java -cp bench/target/benchmarks.jar dev.doorman.bench.CredentialStuffingDriver distributed 10000 200 60}
 * (mode {@code few|distributed}, accounts, attack requests per second, attack seconds). SQLite in a temporary directory
 * by default; add {@code jdbc:postgresql://127.0.0.1:5432/doorman USER PASSWORD} to run on PostgreSQL. Use a fresh
 * database for each run there: the rate-limit buckets live in it, and an hour-long window (the global failure budget)
 * would carry over into the next run.
 * <p>
 * The harness nested here (the in-process server, open-loop arrivals, samples and percentiles, the token client) is
 * package-private and shared with {@link OverloadDriver}.
 */
public final class CredentialStuffingDriver {
    static final String LEGIT_PASSWORD = "correct horse battery staple";
    private static final String LEAKED_PASSWORD = "leaked password reused everywhere";
    private static final int RETURNING_USERS = 50;
    private static final double RETURNING_RATE = 5;
    private static final double NEW_DEVICE_RATE = 0.1;
    private static final int NEW_DEVICE_ACCOUNTS = 20;
    static final double TOKEN_RATE = 20;
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final Duration BASELINE = Duration.ofSeconds(20);
    static final Duration RECOVERY = Duration.ofSeconds(30);
    static final Duration WINDOW = Duration.ofSeconds(5);

    public static void main(String[] args) throws Exception {
        Rig.quietAuditLog();
        String mode = args.length > 0 ? args[0] : "few";
        if (!mode.equals("few") && !mode.equals("distributed")) throw new IllegalArgumentException("mode is few or distributed, not " + mode);
        int accounts = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        double rate = args.length > 2 ? Double.parseDouble(args[2]) : 200;
        Duration attackFor = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 60);
        try (var rig = Rig.start("doorman-stuffing-bench", args, 4)) {
            int leaked = Math.max(1, accounts / 100);
            List<Browser> returning = new ArrayList<>();
            for (int i = 0; i < RETURNING_USERS; i++) returning.add(new Browser(rig.insertUser("user" + i, LEGIT_PASSWORD), "192.0.2." + (1 + i)));
            List<String> travellers = new ArrayList<>();
            for (int i = 0; i < NEW_DEVICE_ACCOUNTS; i++) travellers.add(rig.insertUser("traveller" + i, LEGIT_PASSWORD));
            for (int i = 0; i < leaked; i++) rig.insertUser("victim" + i, LEAKED_PASSWORD);
            System.out.printf("%s: %d returning users, %d new-device accounts, %d leaked accounts; attack %s, %d usernames, %.0f/s for %d s%n",
                    rig.dialect(), RETURNING_USERS, NEW_DEVICE_ACCOUNTS, leaked, mode, accounts, rate, attackFor.toSeconds());

            long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            var phases = new Phases(t0, t0 + WARM_UP.toNanos(), t0 + WARM_UP.plus(BASELINE).toNanos(),
                    t0 + WARM_UP.plus(BASELINE).plus(attackFor).toNanos(), t0 + WARM_UP.plus(BASELINE).plus(attackFor).plus(RECOVERY).toNanos());
            try (var users = new Users(rig); var token = new TokenProbe(rig); var attack = new Attack(rig, mode, accounts, leaked)) {
                var schedulers = List.of(
                        Arrivals.start("returning users", RETURNING_RATE, phases.start(), phases.end(), users.returning(returning)),
                        Arrivals.start("new devices", NEW_DEVICE_RATE, phases.start(), phases.end(), users.newDevices(travellers)),
                        Arrivals.start("token client", TOKEN_RATE, phases.start(), phases.end(), token::fire),
                        Arrivals.start("attacker", rate, phases.attack(), phases.recovery(), attack::fire));
                for (var scheduler : schedulers) scheduler.join();
                for (var scheduler : schedulers) System.out.println("driver schedule, " + scheduler.lag());
                boolean drained = users.drain(Duration.ofSeconds(60)) & token.drain(Duration.ofSeconds(15)) & attack.drain(Duration.ofSeconds(15));
                if (!drained) System.out.println("WARNING: some requests were still in flight after the drain timeout; they are missing below");
                new Report(phases, users, token, attack, attackFor).print();
            }
        }
    }

    /** Where each phase starts, on the {@link System#nanoTime()} scale; a sample belongs to the phase of its arrival. */
    record Phases(long start, long baseline, long attack, long recovery, long end) { }

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

    /** What one legitimate login lived through: the final status, whether it had to solve a proof of work, how many 503s it waited out. */
    record LoginSample(Sample sample, boolean challenged, int shed) {
        boolean ok() {
            return sample.status() == 200;
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

    /** The client at the token endpoint, open-loop: every arrival is one request. */
    static final class TokenProbe implements AutoCloseable {
        private final HttpClient http = Rig.client();
        private final HttpRequest request;
        private final InFlight inFlight = new InFlight(2000);
        final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();

        TokenProbe(Rig rig) {
            request = HttpRequest.newBuilder(rig.uri("/oauth2/token")).timeout(Duration.ofSeconds(10)).header("Authorization", rig.basic())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=bench%3Aread")).build();
        }

        void fire(long arrival) {
            if (!inFlight.tryEnter()) {
                samples.add(new Sample(arrival, 0, Sample.DROPPED));
                return;
            }
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                samples.add(new Sample(arrival, System.nanoTime() - arrival, e == null ? r.statusCode() : failureStatus(e)));
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

    /**
     * One browser: its own cookie jar, kept across logins, and the CSRF token of its current session (a session cookie
     * makes the next login need it). The server marks its cookies Secure; browsers keep and send Secure cookies on
     * http://127.0.0.1 (a secure context), but {@link java.net.CookieManager} only sends them over https, so this
     * jar is kept here, by name.
     */
    static final class Browser {
        final String email;
        final String ip;
        private final Map<String, String> cookies = new LinkedHashMap<>();
        private String csrf;
        final AtomicBoolean busy = new AtomicBoolean();

        Browser(String email, String ip) {
            this.email = email;
            this.ip = ip;
        }

        synchronized HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) throws IOException, InterruptedException {
            if (!cookies.isEmpty()) request.header("Cookie", String.join("; ", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue()).toList()));
            if (csrf != null) request.header("X-CSRF-Token", csrf);
            var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String header : response.headers().allValues("set-cookie")) {
                for (HttpCookie cookie : HttpCookie.parse(header)) {
                    if (cookie.hasExpired()) cookies.remove(cookie.getName());
                    else cookies.put(cookie.getName(), cookie.getValue());
                }
            }
            return response;
        }

        synchronized void session(String csrfToken) {
            this.csrf = csrfToken;
        }
    }

    /**
     * A login as a person at a browser: solve a proof of work when asked, wait out a 503's Retry-After and try again,
     * give up on anything else. At most 6 requests, and no new one 30 s after the arrival.
     */
    static LoginSample login(HttpClient http, URI uri, Browser browser, long arrival) {
        Optional<String[]> solved = Optional.empty();
        boolean challenged = false;
        int shed = 0;
        int status = Sample.ERROR;
        try {
            for (int attempt = 0; attempt < 6 && System.nanoTime() - arrival < TimeUnit.SECONDS.toNanos(30); attempt++) {
                var r = browser.send(http, Rig.login(uri, browser.email, LEGIT_PASSWORD, browser.ip, solved));
                status = r.statusCode();
                if (status == 200) {
                    browser.session(Rig.json(r.body()).path("csrfToken").asText(null));
                    break;
                }
                if (status == 503) {
                    shed++;
                    long wait = r.headers().firstValueAsLong("Retry-After").orElse(1);
                    Thread.sleep(Duration.ofSeconds(Math.min(5, Math.max(1, wait))));
                    continue;
                }
                if (status != 429) break;
                JsonNode problem = Rig.json(r.body());
                if (!problem.has("challenge")) break;   // throttled: the user is told to come back later, a failure here
                challenged = true;
                String challenge = problem.get("challenge").asText();
                solved = Optional.of(new String[] {challenge, ProofOfWork.solve(challenge, problem.get("bits").asInt())});
            }
        } catch (IOException e) {
            status = failureStatus(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = Sample.ERROR;
        } catch (RuntimeException e) {
            // An answer of an unexpected shape (a challenge without its bits): counted and shown rather than lost.
            System.out.println("unexpected answer to " + browser.email + ": " + e);
            status = Sample.ERROR;
        }
        return new LoginSample(new Sample(arrival, System.nanoTime() - arrival, status), challenged, shed);
    }

    /**
     * The legitimate users. Logins run on platform threads, not virtual ones: the server in this process runs its
     * requests (and its Argon2 hashing) on the virtual-thread carriers, one per core, and a driver waiting for a carrier
     * would add its own delay to what it measures. Proofs of work are solved on these threads for the same reason.
     */
    static final class Users implements AutoCloseable {
        private final Rig rig;
        private final HttpClient http = Rig.client();
        private final ExecutorService pool = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().name("legit user ", 0).factory());
        private final InFlight inFlight = new InFlight(Integer.MAX_VALUE);
        final ConcurrentLinkedQueue<LoginSample> returning = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<LoginSample> newDevices = new ConcurrentLinkedQueue<>();

        Users(Rig rig) {
            this.rig = rig;
        }

        /** The n-th arrival is user n mod 50's next login, or the next idle user's if that one is still logging in. */
        LongConsumer returning(List<Browser> browsers) {
            var next = new AtomicLong();
            return arrival -> {
                int first = (int) (next.getAndIncrement() % browsers.size());
                for (int i = 0; i < browsers.size(); i++) {
                    var browser = browsers.get((first + i) % browsers.size());
                    if (browser.busy.compareAndSet(false, true)) {
                        submit(() -> {
                            try {
                                returning.add(login(http, rig.uri("/api/v1/session"), browser, arrival));
                            } finally {
                                browser.busy.set(false);
                            }
                        });
                        return;
                    }
                }
                returning.add(new LoginSample(new Sample(arrival, 0, Sample.NO_IDLE_USER), false, 0));
            };
        }

        /** Each arrival: one of the accounts, from a browser never seen before (no cookies) at a fresh address. */
        LongConsumer newDevices(List<String> emails) {
            var next = new AtomicLong();
            return arrival -> {
                long n = next.getAndIncrement();
                var browser = new Browser(emails.get((int) (n % emails.size())), "198.18." + (n / 250 % 256) + "." + (1 + n % 250));
                submit(() -> newDevices.add(login(http, rig.uri("/api/v1/session"), browser, arrival)));
            };
        }

        private void submit(Runnable login) {
            inFlight.tryEnter();
            pool.execute(() -> {
                try {
                    login.run();
                } finally {
                    inFlight.exit();
                }
            });
        }

        boolean drain(Duration limit) {
            return inFlight.awaitIdle(limit);
        }

        @Override
        public void close() {
            pool.shutdownNow();
            http.shutdownNow();
        }
    }

    /** The script: one pair per arrival, never solving a challenge, its answers timed from the arrival. */
    static final class Attack implements AutoCloseable {
        private final HttpClient http = Rig.client();
        private final URI login;
        private final String mode;
        private final int accounts;
        private final int leaked;
        private final String tag;
        private final String victimSuffix;
        private final InFlight inFlight = new InFlight(2000);
        private final AtomicLong next = new AtomicLong();
        final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
        final LongAdder dropped = new LongAdder();
        final Set<String> breached = ConcurrentHashMap.newKeySet();

        Attack(Rig rig, String mode, int accounts, int leaked) {
            this.login = rig.uri("/api/v1/session");
            this.mode = mode;
            this.accounts = accounts;
            this.leaked = leaked;
            this.tag = rig.tag();
            this.victimSuffix = "." + rig.tag() + "@example.org";
        }

        void fire(long arrival) {
            long n = next.getAndIncrement();
            if (!inFlight.tryEnter()) {
                dropped.increment();
                return;
            }
            int i = (int) (n % accounts);
            // The leaked pairs are spread through the list (every 100th), as in a real combo list.
            boolean real = i % 100 == 0 && i / 100 < leaked;
            String email = real ? "victim" + (i / 100) + victimSuffix : "stuffed" + i + "." + tag + "@example.net";
            String password = real ? LEAKED_PASSWORD : "leaked password " + n;
            // Counting, not drawing: every distributed request really comes from an address not used before (16 M of them).
            String ip = mode.equals("distributed") ? "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255) : "198.51.100." + (1 + n % 4);
            http.sendAsync(Rig.login(login, email, password, ip, Optional.empty()).build(), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((r, e) -> {
                        int status = e == null ? r.statusCode() : failureStatus(e);
                        samples.add(new Sample(arrival, System.nanoTime() - arrival, status));
                        if (status == 200) breached.add(email);
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

    /** What the phases showed, and the LD-05 verdict. */
    private record Report(Phases phases, Users users, TokenProbe token, Attack attack, Duration attackFor) {
        void print() {
            var returningSamples = users.returning.stream().toList();
            var newDeviceSamples = users.newDevices.stream().toList();
            var tokens = List.copyOf(token.samples);
            System.out.println();
            var base = new PhaseView("baseline", phases.baseline(), phases.attack(), returningSamples, newDeviceSamples, tokens);
            var during = new PhaseView("attack", phases.attack(), phases.recovery(), returningSamples, newDeviceSamples, tokens);
            var after = new PhaseView("recovery", phases.recovery(), phases.end(), returningSamples, newDeviceSamples, tokens);
            base.print();
            during.print();
            printAttacker();
            after.print();

            double legitLimit = 2 * base.returning().p95();
            var loginsAfter = between(returningSamples.stream().map(LoginSample::sample).toList(), phases.recovery(), phases.end());
            var recovery = Recovery.of(loginsAfter, l -> l.status() == 200, phases.recovery(), phases.end(), legitLimit);
            System.out.printf("  returning users' p95 per %d-s window after the attack stopped (limit 2x baseline = %.1f ms, no failure):%s%n",
                    WINDOW.toSeconds(), legitLimit, recovery.describe());
            System.out.printf("  back under the limit: first within %s; for good within %s%n", seconds(recovery.firstUnderWithin()),
                    seconds(recovery.staysUnderWithin()));

            var refused = refused();
            System.out.println();
            System.out.println("VERDICT LD-05 (during the attack, against the baseline):");
            verdict("returning users' success = 100 %", during.returningOk() == during.returningCount() && during.returningCount() > 0,
                    String.format("%d of %d (%.2f %%)", during.returningOk(), during.returningCount(), during.returningPercent()));
            verdict("returning users' p95 <= 2x baseline p95", during.returning().p95() <= legitLimit,
                    String.format("%.1f ms vs 2 x %.1f ms", during.returning().p95(), base.returning().p95()));
            verdict("token p95 <= 2x baseline p95", during.token().p95() <= 2 * base.token().p95(),
                    String.format("%.1f ms vs 2 x %.1f ms", during.token().p95(), base.token().p95()));
            verdict("refused attacker requests (429/503) p95 <= 100 ms", refused.n() > 0 && refused.p95() <= 100, refused.n() == 0
                    ? "none was refused with 429/503 (see the attacker's statuses above)"
                    : String.format("p95=%.1f ms max=%.1f ms over %d", refused.p95(), refused.max(), refused.n()));
            System.out.println("  beyond LD-05 as written (new devices are legitimate users too):");
            verdict("new-device success = 100 %", during.newDeviceOk() == during.newDeviceCount() && during.newDeviceCount() > 0,
                    String.format("%d of %d", during.newDeviceOk(), during.newDeviceCount()));
            verdict("new-device p95 <= 2x baseline p95", during.newDevice().p95() <= 2 * base.newDevice().p95(),
                    String.format("%.1f ms vs 2 x %.1f ms", during.newDevice().p95(), base.newDevice().p95()));
            verdict("returning users back under 2x baseline within 30 s", recovery.staysUnderWithin().isPresent(),
                    "for good within " + seconds(recovery.staysUnderWithin()));
        }

        private Dist refused() {
            return Dist.of(attack.samples.stream().filter(s -> s.status() == 429 || s.status() == 503).toList());
        }

        private void printAttacker() {
            var all = List.copyOf(attack.samples);
            long checked = all.stream().filter(s -> s.status() == 401 || s.status() == 200).count();
            double minutes = attackFor.toSeconds() / 60.0;
            System.out.printf("  attacker: %d sent (%.0f/s), %d dropped at the in-flight cap; by status %s%n", all.size(),
                    all.size() / (double) attackFor.toSeconds(), attack.dropped.sum(), statuses(byStatus(all)));
            System.out.printf("    refused (429/503) %s | all answers %s%n", refused(), Dist.of(all));
            System.out.printf("    password guesses checked by the server (401 or 200): %d, %.1f/min; leaked pairs that got through: %d, %.2f/min%n",
                    checked, checked / minutes, attack.breached.size(), attack.breached.size() / minutes);
        }

        private static String seconds(Optional<Long> s) {
            return s.map(v -> v + " s").orElse("never (in the recovery phase)");
        }
    }

    static void verdict(String what, boolean pass, String numbers) {
        System.out.printf("  %-4s %s: %s%n", pass ? "PASS" : "FAIL", what, numbers);
    }

    /** The legitimate users and the token client in one phase. */
    private record PhaseView(String name, long from, long to, List<LoginSample> returningAll, List<LoginSample> newDeviceAll, List<Sample> tokensAll) {
        private List<LoginSample> in(List<LoginSample> all) {
            return all.stream().filter(l -> l.sample().arrival() >= from && l.sample().arrival() < to).toList();
        }

        Dist returning() {
            return Dist.of(in(returningAll).stream().map(LoginSample::sample).toList());
        }

        Dist newDevice() {
            return Dist.of(in(newDeviceAll).stream().map(LoginSample::sample).toList());
        }

        Dist token() {
            return Dist.of(between(tokensAll, from, to));
        }

        long returningCount() {
            return in(returningAll).size();
        }

        long returningOk() {
            return in(returningAll).stream().filter(LoginSample::ok).count();
        }

        double returningPercent() {
            return returningCount() == 0 ? Double.NaN : 100.0 * returningOk() / returningCount();
        }

        long newDeviceCount() {
            return in(newDeviceAll).size();
        }

        long newDeviceOk() {
            return in(newDeviceAll).stream().filter(LoginSample::ok).count();
        }

        void print() {
            System.out.printf("%s (%d s):%n", name, Duration.ofNanos(to - from).toSeconds());
            System.out.printf("  returning users: %s%n", group(in(returningAll), returning()));
            System.out.printf("  new devices:     %s%n", group(in(newDeviceAll), newDevice()));
            var tokens = between(tokensAll, from, to);
            long failed = tokens.stream().filter(s -> s.status() != 200).count();
            System.out.printf("  token endpoint:  n=%d failed=%d %s%s%n", tokens.size(), failed, token(),
                    failed == 0 ? "" : " " + statuses(byStatus(tokens)));
        }

        private static String group(List<LoginSample> logins, Dist latency) {
            long ok = logins.stream().filter(LoginSample::ok).count();
            long challenged = logins.stream().filter(LoginSample::challenged).count();
            long shed = logins.stream().mapToLong(LoginSample::shed).sum();
            var failures = byStatus(logins.stream().map(LoginSample::sample).filter(s -> s.status() != 200).toList());
            return String.format("attempts=%d success=%.1f %% failed=%d%s challenged=%d shed(503, retried)=%d %s", logins.size(),
                    logins.isEmpty() ? Double.NaN : 100.0 * ok / logins.size(), logins.size() - ok, failures.isEmpty() ? "" : " " + statuses(failures),
                    challenged, shed, latency);
        }
    }
}
