package dev.doorman.examples.notes;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The app's settings, from the environment.
 *
 * @param baseUrl    the public origin (Doorman's origin checks and mailed links use it)
 * @param dataDir    holds Doorman's {@code doorman.db} and the app's own {@code notes.db}
 * @param policyFile a policy file to use instead of the one the app ships with
 */
public record NotesSettings(int port, URI baseUrl, Path dataDir, Optional<Path> policyFile) {
    public static final int DEFAULT_PORT = 8082;

    public static NotesSettings fromEnv(Map<String, String> env) {
        int port;
        try {
            port = Integer.parseInt(env.getOrDefault("NOTES_PORT", String.valueOf(DEFAULT_PORT)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("NOTES_PORT must be a port number");
        }
        // localhost, not 127.0.0.1: browsers keep Secure cookies from plain http only for localhost.
        URI baseUrl = URI.create(env.getOrDefault("NOTES_BASE_URL", "http://localhost:" + port));
        Path dataDir = Path.of(env.getOrDefault("NOTES_DATA_DIR", "data/notes-api"));
        return new NotesSettings(port, baseUrl, dataDir, Optional.ofNullable(env.get("NOTES_POLICY_FILE")).map(Path::of));
    }
}
