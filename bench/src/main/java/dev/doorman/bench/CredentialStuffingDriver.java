package dev.doorman.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.doorman.bench.LoadKit.Arrivals;
import dev.doorman.bench.LoadKit.Dist;
import dev.doorman.bench.LoadKit.InFlight;
import dev.doorman.bench.LoadKit.OpenLoop;
import dev.doorman.bench.LoadKit.Recovery;
import dev.doorman.bench.LoadKit.Rig;
import dev.doorman.bench.LoadKit.Sample;
import dev.doorman.bench.LoadKit.TokenProbe;
import dev.doorman.guard.ProofOfWork;

import java.io.IOException;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

import static dev.doorman.bench.LoadKit.LEAKED_PASSWORD;
import static dev.doorman.bench.LoadKit.LEGIT_PASSWORD;
import static dev.doorman.bench.LoadKit.RECOVERY;
import static dev.doorman.bench.LoadKit.TOKEN_RATE;
import static dev.doorman.bench.LoadKit.WINDOW;
import static dev.doorman.bench.LoadKit.between;
import static dev.doorman.bench.LoadKit.byStatus;
import static dev.doorman.bench.LoadKit.failureStatus;
import static dev.doorman.bench.LoadKit.freshAddress;
import static dev.doorman.bench.LoadKit.statuses;
import static dev.doorman.bench.LoadKit.verdict;

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
 * through: from the arrival to the last answer, solving and waiting included. First, for the JIT, the same streams with
 * a 20-s attack run against a server that is then thrown away (not reported). Then, on a fresh server: warm-up 10 s
 * (not reported: every returning user gets its cookies), baseline 20 s, attack {@code seconds}, recovery 30 s. Loopback
 * only; bounded by the phases (in-flight work is bounded by the timeouts).
 * <p>
 * Run: {@code java -cp bench/target/benchmarks.jar dev.doorman.bench.CredentialStuffingDriver distributed 10000 200 60}
 * (mode {@code few|distributed}, accounts, attack requests per second, attack seconds). SQLite in a temporary directory
 * by default (a fresh one for each server); add {@code jdbc:postgresql://127.0.0.1:5432/doorman USER PASSWORD} to run
 * on PostgreSQL, where the rate-limit buckets live in the database: they are emptied before the measured server starts.
 */
public final class CredentialStuffingDriver {
    private static final int RETURNING_USERS = 50;
    private static final double RETURNING_RATE = 5;
    private static final double NEW_DEVICE_RATE = 0.1;
    private static final int NEW_DEVICE_ACCOUNTS = 20;
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final Duration BASELINE = Duration.ofSeconds(20);
    private static final Duration JIT_ATTACK = Duration.ofSeconds(20);

    public static void main(String[] args) throws Exception {
        Rig.quietAuditLog();
        String mode = args.length > 0 ? args[0] : "few";
        if (!mode.equals("few") && !mode.equals("distributed")) throw new IllegalArgumentException("mode is few or distributed, not " + mode);
        int accounts = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        double rate = args.length > 2 ? Double.parseDouble(args[2]) : 200;
        Duration attackFor = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 60);
        // The JIT's warm-up, on a server thrown away afterwards (its limits tripped): the same streams, the attack
        // included, so that the measured attack does not also carry the compilation of every path it is the first to
        // take, in the server and in this driver alike (a server in service has taken them before).
        try (var rig = Rig.start("doorman-stuffing-warm-up", args, 4)) {
            System.out.println("JIT warm-up (not reported): the same streams on a server thrown away afterwards");
            run(rig, mode, accounts, rate, new Durations(WARM_UP, Duration.ZERO, JIT_ATTACK, Duration.ZERO));
        }
        try (var rig = Rig.start("doorman-stuffing-bench", args, 4)) {
            rig.clearRateLimits();
            run(rig, mode, accounts, rate, new Durations(WARM_UP, BASELINE, attackFor, RECOVERY)).print();
        }
    }

    /** How long each phase lasts. */
    record Durations(Duration warmUp, Duration baseline, Duration attack, Duration recovery) { }

    private static Report run(Rig rig, String mode, int accounts, double rate, Durations d) throws Exception {
        int leaked = Math.max(1, accounts / 100);
        List<Browser> returning = new ArrayList<>();
        for (int i = 0; i < RETURNING_USERS; i++) returning.add(new Browser(rig.insertUser("user" + i, LEGIT_PASSWORD), "192.0.2." + (1 + i)));
        List<String> travellers = new ArrayList<>();
        for (int i = 0; i < NEW_DEVICE_ACCOUNTS; i++) travellers.add(rig.insertUser("traveller" + i, LEGIT_PASSWORD));
        for (int i = 0; i < leaked; i++) rig.insertUser("victim" + i, LEAKED_PASSWORD);
        System.out.printf("%s: %d returning users, %d new-device accounts, %d leaked accounts; attack %s, %d usernames, %.0f/s for %d s%n",
                rig.dialect(), RETURNING_USERS, NEW_DEVICE_ACCOUNTS, leaked, mode, accounts, rate, d.attack().toSeconds());

        long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        long baseline = t0 + d.warmUp().toNanos();
        long attackStart = baseline + d.baseline().toNanos();
        long recovery = attackStart + d.attack().toNanos();
        var phases = new Phases(t0, baseline, attackStart, recovery, recovery + d.recovery().toNanos());
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
            return new Report(phases, users, token, attack, d.attack());
        }
    }

    /** Where each phase starts, on the {@link System#nanoTime()} scale; a sample belongs to the phase of its arrival. */
    record Phases(long start, long baseline, long attack, long recovery, long end) { }

    /** What one legitimate login lived through: the final status, whether it had to solve a proof of work, how many 503s it waited out. */
    record LoginSample(Sample sample, boolean challenged, int shed) {
        boolean ok() {
            return sample.status() == 200;
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
    static final class Attack extends OpenLoop {
        private final URI login;
        private final String mode;
        private final int accounts;
        private final int leaked;
        private final String tag;
        private final String victimSuffix;
        private final AtomicLong next = new AtomicLong();
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
            int i = (int) (n % accounts);
            // The leaked pairs are spread through the list (every 100th), as in a real combo list.
            boolean real = i % 100 == 0 && i / 100 < leaked;
            String email = real ? "victim" + (i / 100) + victimSuffix : "stuffed" + i + "." + tag + "@example.net";
            String password = real ? LEAKED_PASSWORD : "leaked password " + n;
            // Every distributed request really comes from an address not used before.
            String ip = mode.equals("distributed") ? freshAddress(n) : "198.51.100." + (1 + n % 4);
            send(arrival, Rig.login(login, email, password, ip, Optional.empty()).build(), status -> {
                if (status == 200) breached.add(email);
            });
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
            var all = attack.samples.stream().filter(s -> s.status() != Sample.DROPPED).toList();
            long dropped = attack.samples.size() - all.size();
            long checked = all.stream().filter(s -> s.status() == 401 || s.status() == 200).count();
            double minutes = attackFor.toSeconds() / 60.0;
            System.out.printf("  attacker: %d sent (%.0f/s), %d dropped at the in-flight cap; by status %s%n", all.size(),
                    all.size() / (double) attackFor.toSeconds(), dropped, statuses(byStatus(all)));
            System.out.printf("    refused (429/503) %s | all answers %s%n", refused(), Dist.of(all));
            System.out.printf("    password guesses checked by the server (401 or 200): %d, %.1f/min; leaked pairs that got through: %d, %.2f/min%n",
                    checked, checked / minutes, attack.breached.size(), attack.breached.size() / minutes);
        }

        private static String seconds(Optional<Long> s) {
            return s.map(v -> v + " s").orElse("never (in the recovery phase)");
        }
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
