package dev.doorman.examples.tasksapi;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the tasks API is configured: the Doorman it trusts, the name tokens must carry in {@code aud}, where it keeps
 * its own data, and which token role makes a caller an administrator here.
 *
 * @param issuer          the Doorman base URL, exactly as in its tokens' {@code iss}
 * @param audience        this API's identifier; clients are registered with {@code --audience} set to it
 * @param adminRole       the role in the token's {@code roles} claim that makes its holder this API's admin; no other
 *                        token role counts here (a Doorman "manager" is nobody's manager in this API)
 * @param policyFile      the authorization policy; empty means the one shipped in the jar
 * @param revocationPoll  how often Doorman's revocation list is read: a revoked token passes for at most this long
 */
public record TasksSettings(URI issuer, String audience, String host, int port, Path database, String adminRole,
                            Optional<Path> policyFile, Duration revocationPoll) {
    public static final String DEFAULT_ADMIN_ROLE = "tasks:admin";

    public TasksSettings {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(adminRole, "adminRole");
        Objects.requireNonNull(policyFile, "policyFile");
        Objects.requireNonNull(revocationPoll, "revocationPoll");
        if (audience.isBlank()) throw new IllegalArgumentException("TASKS_API_AUDIENCE must not be blank");
        if (adminRole.isBlank()) throw new IllegalArgumentException("TASKS_API_ADMIN_ROLE must not be blank");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("TASKS_API_PORT must be a port number: " + port);
        if (revocationPoll.compareTo(Duration.ofSeconds(1)) < 0 || revocationPoll.compareTo(Duration.ofMinutes(5)) > 0)
            throw new IllegalArgumentException("TASKS_API_REVOCATION_POLL_SECONDS must be 1 to 300");
    }

    /** Dev defaults: Doorman on http://localhost:8080, this API on 127.0.0.1:8084, data in ./tasks-api-data. */
    public static TasksSettings fromEnvironment(Map<String, String> env) {
        try {
            return new TasksSettings(
                    URI.create(env.getOrDefault("TASKS_API_ISSUER", "http://localhost:8080")),
                    env.getOrDefault("TASKS_API_AUDIENCE", "tasks-api"),
                    env.getOrDefault("TASKS_API_HOST", "127.0.0.1"),
                    Integer.parseInt(env.getOrDefault("TASKS_API_PORT", "8084")),
                    Path.of(env.getOrDefault("TASKS_API_DATABASE", "tasks-api-data/tasks.db")),
                    env.getOrDefault("TASKS_API_ADMIN_ROLE", DEFAULT_ADMIN_ROLE),
                    Optional.ofNullable(env.get("TASKS_API_POLICY_FILE")).filter(s -> !s.isBlank()).map(Path::of),
                    Duration.ofSeconds(Long.parseLong(env.getOrDefault("TASKS_API_REVOCATION_POLL_SECONDS", "30"))));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("TASKS_API_PORT and TASKS_API_REVOCATION_POLL_SECONDS are whole numbers: " + e.getMessage());
        }
    }
}
