package dev.doorman.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Identifier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Update;

import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The {@code clients} table; list columns hold JSON arrays, the scope its space-delimited form. Same SQL on SQLite and PostgreSQL. */
public final class JdbiClientStore implements ClientStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final String COLUMNS = "client_id, name, confidential, auth_method, secret_hash, redirect_uris, grant_types, scope, "
            + "audiences, jwks, access_token_ttl_ms, refresh_token_ttl_ms, consent_required, created_at, updated_at";

    private static final RowMapper<StoredClient> MAPPER = (rs, ctx) -> {
        var client = new RegisteredClient(
                new ClientID(rs.getString("client_id")),
                rs.getString("name"),
                rs.getBoolean("confidential"),
                ClientAuthenticationMethod.parse(rs.getString("auth_method")),
                strings(rs.getString("redirect_uris")).stream().map(URI::create).toList(),
                strings(rs.getString("grant_types")).stream().map(JdbiClientStore::grantType).collect(java.util.stream.Collectors.toSet()),
                scope(rs.getString("scope")),
                strings(rs.getString("audiences")).stream().map(Audience::new).toList(),
                millis(rs.getObject("access_token_ttl_ms")),
                millis(rs.getObject("refresh_token_ttl_ms")),
                rs.getBoolean("consent_required"));
        return new StoredClient(client, Optional.ofNullable(rs.getString("secret_hash")), jwks(rs.getString("jwks")),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")));
    };

    private final Jdbi jdbi;

    public JdbiClientStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public boolean insert(StoredClient c) {
        return jdbi.withHandle(h -> bind(h.createUpdate("insert into clients (" + COLUMNS + ") values (:id, :name, :confidential, "
                + ":method, :secret, :redirects, :grants, :scope, :audiences, :jwks, :access, :refresh, :consent, :created, :updated) "
                + "on conflict (client_id) do nothing"), c).execute()) == 1;
    }

    @Override
    public boolean update(StoredClient c) {
        return jdbi.withHandle(h -> bind(h.createUpdate("update clients set name = :name, confidential = :confidential, "
                + "auth_method = :method, secret_hash = :secret, redirect_uris = :redirects, grant_types = :grants, scope = :scope, "
                + "audiences = :audiences, jwks = :jwks, access_token_ttl_ms = :access, refresh_token_ttl_ms = :refresh, "
                + "consent_required = :consent, updated_at = :updated where client_id = :id"), c).execute()) == 1;
    }

    private static Update bind(Update update, StoredClient stored) {
        RegisteredClient c = stored.client();
        return update.bind("id", c.id().getValue())
                .bind("name", c.name())
                .bind("confidential", c.confidential())
                .bind("method", c.authMethod().getValue())
                .bind("secret", stored.secretHash().orElse(null))
                .bind("redirects", json(c.redirectUris().stream().map(URI::toString).toList()))
                .bind("grants", json(c.grantTypes().stream().map(GrantType::getValue).sorted().toList()))
                .bind("scope", c.scope().toString())
                .bind("audiences", json(Identifier.toStringList(c.audiences())))
                .bind("jwks", stored.jwks().map(set -> set.toString(true)).orElse(null))
                .bind("access", c.accessTokenTtl().map(Duration::toMillis).orElse(null))
                .bind("refresh", c.refreshTokenTtl().map(Duration::toMillis).orElse(null))
                .bind("consent", c.consentRequired())
                .bind("created", stored.createdAt().toEpochMilli())
                .bind("updated", stored.updatedAt().toEpochMilli());
    }

    @Override
    public Optional<StoredClient> findStored(ClientID id) {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from clients where client_id = :id")
                .bind("id", id.getValue()).map(MAPPER).findOne());
    }

    @Override
    public List<StoredClient> list() {
        return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from clients order by client_id").map(MAPPER).list());
    }

    @Override
    public boolean remove(ClientID id) {
        return jdbi.withHandle(h -> h.createUpdate("delete from clients where client_id = :id").bind("id", id.getValue()).execute()) == 1;
    }

    @Override
    public boolean replaceSecretHash(ClientID id, String secretHash, Instant at) {
        return jdbi.withHandle(h -> h.createUpdate("update clients set secret_hash = :secret, updated_at = :at "
                        + "where client_id = :id and secret_hash is not null")
                .bind("id", id.getValue()).bind("secret", secretHash).bind("at", at.toEpochMilli()).execute()) == 1;
    }

    private static String json(Collection<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of strings always serializes", e);
        }
    }

    private static List<String> strings(String json) {
        try {
            return JSON.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the clients table holds a malformed JSON list", e);
        }
    }

    private static GrantType grantType(String value) {
        try {
            return GrantType.parse(value);
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw new IllegalStateException("the clients table holds a malformed grant type", e);
        }
    }

    private static Scope scope(String value) {
        Scope parsed = Scope.parse(value);
        return parsed == null ? new Scope() : parsed;
    }

    private static Optional<Duration> millis(Object value) {
        return value == null ? Optional.empty() : Optional.of(Duration.ofMillis(((Number) value).longValue()));
    }

    private static Optional<JWKSet> jwks(String json) {
        if (json == null) return Optional.empty();
        try {
            return Optional.of(JWKSet.parse(json));
        } catch (ParseException e) {
            throw new IllegalStateException("the clients table holds a malformed JWK set", e);
        }
    }
}
