package dev.doorman.bench;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.doorman.Doorman;
import dev.doorman.DoormanSettings;
import dev.doorman.account.Email;
import dev.doorman.account.User;
import dev.doorman.account.UserId;
import dev.doorman.client.ClientRegistration;
import dev.doorman.client.CreateClientOutcome;
import dev.doorman.db.Database;
import dev.doorman.db.DbSettings;
import dev.doorman.oauth2.GrantId;
import dev.doorman.oauth2.code.CodeGrant;
import dev.doorman.session.SessionId;
import dev.doorman.support.ClientInfo;
import dev.doorman.support.Secrets;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The token endpoint under load over loopback HTTP: {@code client_credentials} and {@code refresh_token} grants per
 * second and their p50/p99 latency, for a signing algorithm (RS256 or EdDSA), on SQLite. Each worker is a closed loop
 * (send, wait, send); a refresh worker follows its own rotation chain, as a real client must.
 * Run: {@code java -cp bench/target/benchmarks.jar dev.doorman.bench.TokenEndpointDriver RS256 8 20}
 * (algorithm, concurrent workers, seconds per grant).
 */
public final class TokenEndpointDriver {
    private static final Pattern REFRESH = Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        JWSAlgorithm algorithm = JWSAlgorithm.parse(args.length > 0 ? args[0] : "RS256");
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        Duration duration = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 20);
        var dir = Files.createTempDirectory("doorman-token-bench");
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String base = "http://127.0.0.1:" + port;
        try (var db = Database.open(DbSettings.embedded(dir))) {
            db.migrate();
            DoormanSettings dev = DoormanSettings.dev(URI.create(base));
            var settings = new DoormanSettings(dev.mode(), dev.baseUrl(), dev.session(), dev.password(), dev.accounts(), dev.mail(),
                    dev.maxRequestBytes(), dev.oauth2().withSigningAlgorithm(algorithm));
            var doorman = Doorman.builder(settings, db).mailSender(mail -> { }).build();
            var app = doorman.createServer().start("127.0.0.1", port);
            try {
                var actor = new ClientInfo("127.0.0.1", "bench");
                var created = (CreateClientOutcome.Created) doorman.clientService().create(ClientRegistration.confidential("bench")
                        .redirectUri("https://bench.example.org/cb").grantType("authorization_code").grantType("refresh_token")
                        .grantType("client_credentials").scope("openid").scope("bench:read").build(), actor);
                ClientID id = created.client().id();
                String basic = "Basic " + Base64.getEncoder().encodeToString((URLEncoder.encode(id.getValue(), StandardCharsets.UTF_8) + ":"
                        + URLEncoder.encode(created.secret().orElseThrow().getValue(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                var now = Instant.now();
                var user = new User(UserId.random(), new Email("bench@example.org"), Optional.empty(), Optional.empty(), true, false, now, now);
                doorman.users().insert(user);
                var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                var endpoint = URI.create(base + "/oauth2/token");
                var secrets = new Secrets(new SecureRandom());

                run("client_credentials", algorithm, workers, duration, () -> () -> {
                    var r = post(http, endpoint, basic, "grant_type=client_credentials&scope=bench%3Aread");
                    if (r.statusCode() != 200) throw new IllegalStateException(r.statusCode() + " " + r.body());
                });
                run("refresh_token", algorithm, workers, duration, () -> {
                    // Each worker starts its own family with a code exchange, then follows the rotation chain.
                    var verifier = new CodeVerifier();
                    String code = secrets.newToken();
                    var at = Instant.now();
                    doorman.codes().save(Secrets.hash(code), new CodeGrant(GrantId.random().value(), id, URI.create("https://bench.example.org/cb"),
                            CodeChallenge.compute(CodeChallengeMethod.S256, verifier), new Scope("openid", "bench:read"), Optional.empty(),
                            user.id(), new SessionId(UUID.randomUUID()), at, List.of("pwd"), Optional.empty(), at.plusSeconds(60)));
                    var first = post(http, endpoint, basic, "grant_type=authorization_code&code=" + code
                            + "&redirect_uri=https%3A%2F%2Fbench.example.org%2Fcb&code_verifier=" + verifier.getValue());
                    String[] current = {refreshTokenOf(first)};
                    return () -> {
                        var r = post(http, endpoint, basic, "grant_type=refresh_token&refresh_token="
                                + URLEncoder.encode(current[0], StandardCharsets.UTF_8) + "&scope=bench%3Aread");
                        current[0] = refreshTokenOf(r);
                    };
                });
            } finally {
                app.stop();
                doorman.close();
            }
        }
    }

    interface Step {
        void run() throws Exception;
    }

    interface Worker {
        Step start() throws Exception;
    }

    private static void run(String grant, JWSAlgorithm algorithm, int workers, Duration duration, Worker worker) throws Exception {
        // Warm-up: a fifth of the duration, results discarded.
        measure(workers, duration.dividedBy(5), worker);
        List<Long> nanos = measure(workers, duration, worker);
        Collections.sort(nanos);
        double perSecond = nanos.size() / (double) duration.toSeconds();
        System.out.printf("%-18s %-6s workers=%d n=%d  %.0f/s  p50=%.2f ms  p99=%.2f ms%n", grant, algorithm, workers, nanos.size(), perSecond,
                nanos.get(nanos.size() / 2) / 1e6, nanos.get((int) (nanos.size() * 0.99)) / 1e6);
    }

    private static List<Long> measure(int workers, Duration duration, Worker worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            long end = System.nanoTime() + duration.toNanos();
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                futures.add(pool.submit(() -> {
                    Step step = worker.start();
                    List<Long> mine = new ArrayList<>();
                    while (System.nanoTime() < end) {
                        long start = System.nanoTime();
                        step.run();
                        mine.add(System.nanoTime() - start);
                    }
                    return mine;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (var f : futures) all.addAll(f.get());
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    private static HttpResponse<String> post(HttpClient http, URI endpoint, String basic, String form) throws Exception {
        var request = HttpRequest.newBuilder(endpoint).header("Authorization", basic)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String refreshTokenOf(HttpResponse<String> response) {
        Matcher m = REFRESH.matcher(response.body());
        if (response.statusCode() != 200 || !m.find()) throw new IllegalStateException(response.statusCode() + " " + response.body());
        return m.group(1);
    }
}
