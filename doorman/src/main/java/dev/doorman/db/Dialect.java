package dev.doorman.db;

/** The two databases Doorman runs on. Queries are standard SQL; this names where semantics differ. */
public enum Dialect {
    SQLITE, POSTGRES;

    public static Dialect fromJdbcUrl(String url) {
        if (url.startsWith("jdbc:sqlite:")) return SQLITE;
        if (url.startsWith("jdbc:postgresql:")) return POSTGRES;
        throw new IllegalArgumentException("unsupported database URL '" + url.replaceAll("\\?.*", "")
                + "': use jdbc:postgresql://… (or leave it empty for the embedded SQLite database)");
    }
}
