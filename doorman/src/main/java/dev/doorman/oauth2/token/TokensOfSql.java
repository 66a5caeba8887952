package dev.doorman.oauth2.token;

import org.jdbi.v3.core.statement.SqlStatement;

/**
 * The SQL condition for a {@link TokensOf} selection. {@code refresh_tokens} and {@code issued_access_tokens} name
 * the columns alike, so both stores share it.
 */
public final class TokensOfSql {
    private TokensOfSql() { }

    public static String where(TokensOf tokens) {
        return switch (tokens) {
            case TokensOf.Grant g -> "grant_id = :grant";
            case TokensOf.Family f -> "family_id = :family";
            case TokensOf.User u -> "user_id = :user";
            case TokensOf.Session s -> "session_id = :session";
            case TokensOf.UserAndClient uc -> "user_id = :user and client_id = :client";
            case TokensOf.Client c -> "client_id = :client";
        };
    }

    public static <S extends SqlStatement<S>> S bind(S statement, TokensOf tokens) {
        return switch (tokens) {
            case TokensOf.Grant g -> statement.bind("grant", g.grant().value());
            case TokensOf.Family f -> statement.bind("family", f.family().value());
            case TokensOf.User u -> statement.bind("user", u.user().toString());
            case TokensOf.Session s -> statement.bind("session", s.session().toString());
            case TokensOf.UserAndClient uc -> statement.bind("user", uc.user().toString()).bind("client", uc.client().getValue());
            case TokensOf.Client c -> statement.bind("client", c.client().getValue());
        };
    }
}
