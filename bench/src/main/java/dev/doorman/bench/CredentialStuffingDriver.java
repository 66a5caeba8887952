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

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Replays a credential-stuffing attack against a local server with the default limits, behind a trusted proxy
 * (127.0.0.1) so that X-Forwarded-For stands for the attacker's addresses: a list of {@code accounts} distinct
 * e-mail/password pairs, 1 in 100 of them a real account with its real password (a reused, leaked password), sent
 * from a few addresses ({@code few}) or from a fresh address per request ({@code distributed}). The attacker is a
 * script: it never solves a proof of work. Meanwhile legitimate users log in (solving a challenge when asked, as
 * their browser would) and a client asks the token endpoint. Reports what got through per minute and what the
 * legitimate users and the token client saw. Loopback only; bounded by the duration.
 * Run: {@code java -cp bench/target/benchmarks.jar dev.doorman.bench.CredentialStuffingDriver few 5000 32 60}
 * (mode, accounts, attacker workers, seconds).
 */
public final class CredentialStuffingDriver {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LEGIT_PASSWORD = "correct horse battery staple";

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "few";
        int accounts = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        int attackers = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        Duration duration = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 60);
        var dir = Files.createTempDirectory("doorman-stuffing-bench");
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String base = "http://127.0.0.1:" + port;
        try (var db = Database.open(DbSettings.embedded(dir))) {
            db.migrate();
            var settings = DoormanSettings.dev(URI.create(base)).withGuard(GuardSettings.defaults().withTrustedProxies(List.of("127.0.0.1")));
            var doorman = Doorman.builder(settings, db).mailSender(mail -> { }).build();
            var app = doorman.createServer().start("127.0.0.1", port);
            try {
                // Real accounts: 50 legitimate users, and 1 in 100 of the attacker's pairs is a real account with its real (leaked) password.
                var now = Instant.now();
                String hash = doorman.passwordHasher().hash(new Password(LEGIT_PASSWORD));
                int leaked = Math.max(1, accounts / 100);
                for (int i = 0; i < 50; i++) insert(doorman, "user" + i + "@example.org", hash, now);
                String leakedHash = doorman.passwordHasher().hash(new Password("leaked password reused everywhere"));
                for (int i = 0; i < leaked; i++) insert(doorman, "victim" + i + "@example.org", leakedHash, now);
                var created = (CreateClientOutcome.Created) doorman.clientService().create(ClientRegistration.confidential("bench")
                        .grantType("client_credentials").scope("bench:read").build(), new ClientInfo("127.0.0.1", "bench"));
                String basic = "Basic " + Base64.getEncoder().encodeToString((URLEncoder.encode(created.client().id().getValue(), StandardCharsets.UTF_8)
                        + ":" + URLEncoder.encode(created.secret().orElseThrow().getValue(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

                var baseline = new Probe(http, base, basic);
                baseline.run(Duration.ofSeconds(10), false);
                System.out.printf("baseline (no attack, %ds): %s%n", 10, baseline.report());

                var attack = new Attack(http, base, mode, accounts, leaked);
                var during = new Probe(http, base, basic);
                long end = System.nanoTime() + duration.toNanos();
                try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int i = 0; i < attackers; i++) {
                        int worker = i;
                        pool.submit(() -> attack.loop(worker, end));
                    }
                    during.run(duration, true);
                }
                double minutes = duration.toSeconds() / 60.0;
                System.out.printf("attack mode=%s accounts=%d attacker workers=%d duration=%ds%n", mode, accounts, attackers, duration.toSeconds());
                System.out.printf("  attempts=%d (%.0f/s)  by status: %s%n", attack.attempts.sum(), attack.attempts.sum() / (double) duration.toSeconds(),
                        new java.util.TreeMap<>(attack.byStatus));
                System.out.printf("  password guesses checked by the server=%d (%.1f/min); correct pairs that got through=%d (%.2f/min) of %d leaked%n",
                        attack.checked.sum(), attack.checked.sum() / minutes, attack.breached.size(), attack.breached.size() / minutes, leaked);
                System.out.printf("during the attack: %s%n", during.report());
            } finally {
                app.stop();
                doorman.close();
            }
        }
    }

    private static void insert(Doorman doorman, String email, String hash, Instant now) {
        doorman.users().insert(new User(UserId.random(), new Email(email), Optional.empty(), Optional.of(hash), true, false, now, now));
    }

    /** The script: one pair after another, never solving a challenge. */
    private static final class Attack {
        final HttpClient http;
        final URI login;
        final String mode;
        final int accounts;
        final int leaked;
        final LongAdder attempts = new LongAdder();
        final LongAdder checked = new LongAdder();
        final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
        final java.util.Set<String> breached = ConcurrentHashMap.newKeySet();
        final AtomicLong next = new AtomicLong();

        Attack(HttpClient http, String base, String mode, int accounts, int leaked) {
            this.http = http;
            this.login = URI.create(base + "/api/v1/session");
            this.mode = mode;
            this.accounts = accounts;
            this.leaked = leaked;
        }

        void loop(int worker, long end) {
            while (System.nanoTime() < end) {
                long n = next.getAndIncrement();
                int i = (int) (n % accounts);
                // The leaked pairs are spread through the list (every 100th), as in a real combo list.
                boolean real = i % 100 == 0 && i / 100 < leaked;
                String email = real ? "victim" + (i / 100) + "@example.org" : "stuffed" + i + "@example.net";
                String password = real ? "leaked password reused everywhere" : "leaked password " + n;
                var rnd = ThreadLocalRandom.current();
                String ip = mode.equals("distributed")
                        ? "10." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + (1 + rnd.nextInt(254))
                        : "198.51.100." + (1 + worker % 4);
                try {
                    var r = http.send(HttpRequest.newBuilder(login).header("Content-Type", "application/json").header("X-Forwarded-For", ip)
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    attempts.increment();
                    byStatus.computeIfAbsent(r.statusCode(), s -> new LongAdder()).increment();
                    if (r.statusCode() == 401 || r.statusCode() == 200) checked.increment();
                    if (r.statusCode() == 200) breached.add(email);
                } catch (Exception e) {
                    byStatus.computeIfAbsent(-1, s -> new LongAdder()).increment();
                }
            }
        }
    }

    /** Legitimate users logging in (solving a challenge when asked), and a client at the token endpoint. */
    private static final class Probe {
        final HttpClient http;
        final String base;
        final String basic;
        final ConcurrentLinkedQueue<Long> loginNanos = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Long> tokenNanos = new ConcurrentLinkedQueue<>();
        final LongAdder loginOk = new LongAdder();
        final LongAdder loginFailed = new LongAdder();
        final LongAdder challenged = new LongAdder();
        final LongAdder tokenFailed = new LongAdder();
        final LongAdder shed = new LongAdder();

        Probe(HttpClient http, String base, String basic) {
            this.http = http;
            this.base = base;
            this.basic = basic;
        }

        void run(Duration duration, boolean underAttack) throws Exception {
            long end = System.nanoTime() + duration.toNanos();
            var legit = Thread.ofVirtual().start(() -> {
                int n = 0;
                while (System.nanoTime() < end) {
                    int user = n++ % 50;
                    long start = System.nanoTime();
                    try {
                        if (legitLogin(user)) {
                            loginOk.increment();
                            loginNanos.add(System.nanoTime() - start);
                        } else {
                            loginFailed.increment();
                        }
                        Thread.sleep(200); // about 4-5 logins a second
                    } catch (Exception e) {
                        loginFailed.increment();
                    }
                }
            });
            var token = Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    try {
                        var r = http.send(HttpRequest.newBuilder(URI.create(base + "/oauth2/token")).header("Authorization", basic)
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=bench%3Aread")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) tokenNanos.add(System.nanoTime() - start);
                        else tokenFailed.increment();
                        Thread.sleep(20);
                    } catch (Exception e) {
                        tokenFailed.increment();
                    }
                }
            });
            legit.join();
            token.join();
        }

        private boolean legitLogin(int user) throws Exception {
            String ip = "192.0.2." + (1 + user);
            String body = "{\"email\":\"user" + user + "@example.org\",\"password\":\"" + LEGIT_PASSWORD + "\"}";
            for (int attempt = 0; attempt < 5; attempt++) {
                var r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/session")).header("Content-Type", "application/json")
                        .header("X-Forwarded-For", ip).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return true;
                if (r.statusCode() == 503) {
                    shed.increment();
                    Thread.sleep(1000);
                    continue;
                }
                if (r.statusCode() != 429) return false;
                JsonNode problem = JSON.readTree(r.body());
                if (!problem.has("challenge")) return false;
                challenged.increment();
                String challenge = problem.get("challenge").asText();
                String nonce = ProofOfWork.solve(challenge, problem.get("bits").asInt());
                body = "{\"email\":\"user" + user + "@example.org\",\"password\":\"" + LEGIT_PASSWORD + "\",\"challenge\":\"" + challenge
                        + "\",\"nonce\":\"" + nonce + "\"}";
            }
            return false;
        }

        String report() {
            return String.format("legit logins ok=%d failed=%d challenged=%d shed(503, retried)=%d p50=%.0f ms p95=%.0f ms | token endpoint n=%d failed=%d p50=%.1f ms p95=%.1f ms",
                    loginOk.sum(), loginFailed.sum(), challenged.sum(), shed.sum(), pct(loginNanos, 0.5), pct(loginNanos, 0.95),
                    tokenNanos.size(), tokenFailed.sum(), pct(tokenNanos, 0.5), pct(tokenNanos, 0.95));
        }

        private static double pct(ConcurrentLinkedQueue<Long> q, double p) {
            List<Long> sorted = new ArrayList<>(q);
            if (sorted.isEmpty()) return Double.NaN;
            Collections.sort(sorted);
            return sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * p))) / 1e6;
        }
    }
}
