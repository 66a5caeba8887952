package dev.doorman.db;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * @param url     a JDBC URL; when empty, an embedded SQLite file {@code doorman.db} in {@code dataDir}
 * @param dataDir where the embedded database lives
 */
public record DbSettings(Optional<String> url, Optional<String> user, Optional<String> password, Path dataDir) {
    public DbSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(dataDir, "dataDir");
        url.ifPresent(Dialect::fromJdbcUrl);
    }

    public static DbSettings embedded(Path dataDir) {
        return new DbSettings(Optional.empty(), Optional.empty(), Optional.empty(), dataDir);
    }

    public static DbSettings jdbc(String url, String user, String password) {
        return new DbSettings(Optional.of(url), Optional.ofNullable(user), Optional.ofNullable(password), Path.of("data"));
    }

    public String jdbcUrl() {
        return url.orElseGet(() -> "jdbc:sqlite:" + dataDir.resolve("doorman.db"));
    }

    public Dialect dialect() {
        return Dialect.fromJdbcUrl(jdbcUrl());
    }
}
