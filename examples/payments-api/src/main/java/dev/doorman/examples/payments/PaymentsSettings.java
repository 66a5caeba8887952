package dev.doorman.examples.payments;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The app's settings, from the environment.
 *
 * @param limit      the largest payment (minor units) without the approver role or a step-up
 * @param dataDir    holds Doorman's {@code doorman.db} and the app's own {@code payments.db}
 * @param policyFile a policy file to use instead of the one the app ships with
 */
public record PaymentsSettings(int port, URI baseUrl, Path dataDir, long limit, Optional<Path> policyFile) {
    public static final int DEFAULT_PORT = 8083;
    public static final long DEFAULT_LIMIT = 100_000;   // 1,000.00

    public PaymentsSettings {
        if (limit < 0) throw new IllegalArgumentException("PAYMENTS_LIMIT must not be negative");
    }

    public static PaymentsSettings fromEnv(Map<String, String> env) {
        int port = number(env, "PAYMENTS_PORT", DEFAULT_PORT).intValue();
        // localhost, not 127.0.0.1: browsers keep Secure cookies from plain http only for localhost.
        URI baseUrl = URI.create(env.getOrDefault("PAYMENTS_BASE_URL", "http://localhost:" + port));
        return new PaymentsSettings(port, baseUrl, Path.of(env.getOrDefault("PAYMENTS_DATA_DIR", "data/payments-api")),
                number(env, "PAYMENTS_LIMIT", DEFAULT_LIMIT), Optional.ofNullable(env.get("PAYMENTS_POLICY_FILE")).map(Path::of));
    }

    private static Long number(Map<String, String> env, String name, long fallback) {
        try {
            return Long.parseLong(env.getOrDefault(name, String.valueOf(fallback)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number");
        }
    }
}
