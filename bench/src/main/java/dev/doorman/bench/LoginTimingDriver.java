package dev.doorman.bench;

import dev.doorman.Doorman;
import dev.doorman.DoormanSettings;
import dev.doorman.account.Email;
import dev.doorman.account.Password;
import dev.doorman.account.User;
import dev.doorman.account.UserId;
import dev.doorman.db.Database;
import dev.doorman.db.DbSettings;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * EN-02: does login timing reveal whether an account exists? Sends interleaved failed logins over loopback HTTP —
 * a wrong password for an existing account and any password for an unknown one — and compares the latencies
 * (medians, p95, and a two-sided Mann-Whitney U test). Bounded: {@code attempts} pairs, one at a time.
 * Run: {@code java -cp bench/target/benchmarks.jar dev.doorman.bench.LoginTimingDriver 200}
 */
public final class LoginTimingDriver {
    public static void main(String[] args) throws Exception {
        int attempts = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        var dir = Files.createTempDirectory("doorman-timing");
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (var db = Database.open(DbSettings.embedded(dir))) {
            db.migrate();
            var doorman = Doorman.builder(DoormanSettings.dev(URI.create("http://127.0.0.1:" + port)), db).mailSender(mail -> { }).build();
            var now = Instant.now();
            doorman.users().insert(new User(UserId.random(), new Email("known@example.org"), Optional.empty(),
                    Optional.of(doorman.passwordHasher().hash(new Password("correct horse battery staple"))), true, false, now, now));
            var app = doorman.createServer().start("127.0.0.1", port);
            try {
                var http = HttpClient.newHttpClient();
                var uri = URI.create("http://127.0.0.1:" + port + "/api/v1/session");
                for (int i = 0; i < 20; i++) {   // warm-up
                    time(http, uri, "known@example.org");
                    time(http, uri, "unknown" + i + "@example.org");
                }
                List<Double> known = new ArrayList<>();
                List<Double> unknown = new ArrayList<>();
                for (int i = 0; i < attempts; i++) {
                    known.add(time(http, uri, "known@example.org"));
                    unknown.add(time(http, uri, "nobody" + i + "@example.org"));
                }
                report("existing account, wrong password", known);
                report("unknown account", unknown);
                System.out.printf("median difference: %.2f ms%n", median(known) - median(unknown));
                System.out.printf("Mann-Whitney U two-sided p = %.3f (p > 0.01: no detectable difference)%n", mannWhitneyP(known, unknown));
            } finally {
                app.stop();
                doorman.close();
            }
        }
    }

    private static double time(HttpClient http, URI uri, String email) throws Exception {
        var request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\",\"password\":\"not the password at all\"}")).build();
        long start = System.nanoTime();
        var response = http.send(request, HttpResponse.BodyHandlers.ofString());
        double ms = (System.nanoTime() - start) / 1e6;
        if (response.statusCode() != 401) throw new IllegalStateException("expected 401, got " + response.statusCode());
        return ms;
    }

    private static void report(String label, List<Double> ms) {
        double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf("%-34s n=%d median=%.2f ms p95=%.2f ms%n", label, sorted.length, median(ms), sorted[(int) (sorted.length * 0.95) - 1]);
    }

    private static double median(List<Double> ms) {
        double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    /** Normal approximation of the Mann-Whitney U test (fine for n in the hundreds; ties are negligible for timings). */
    static double mannWhitneyP(List<Double> a, List<Double> b) {
        int n1 = a.size();
        int n2 = b.size();
        double[][] all = new double[n1 + n2][];
        for (int i = 0; i < n1; i++) all[i] = new double[]{a.get(i), 0};
        for (int i = 0; i < n2; i++) all[n1 + i] = new double[]{b.get(i), 1};
        Arrays.sort(all, (x, y) -> Double.compare(x[0], y[0]));
        double rankSumA = 0;
        for (int i = 0; i < all.length; i++) if (all[i][1] == 0) rankSumA += i + 1;
        double u = rankSumA - n1 * (n1 + 1) / 2.0;
        double mean = n1 * n2 / 2.0;
        double sd = Math.sqrt(n1 * n2 * (n1 + n2 + 1) / 12.0);
        double z = Math.abs(u - mean) / sd;
        return 2 * (1 - normalCdf(z));
    }

    private static double normalCdf(double z) {
        // Abramowitz-Stegun 7.1.26 approximation of erf.
        double t = 1 / (1 + 0.3275911 * z / Math.sqrt(2));
        double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z / 2);
        return 0.5 * (1 + erf);
    }
}
