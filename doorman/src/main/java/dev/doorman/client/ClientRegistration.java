package dev.doorman.client;

import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.ClientID;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A client as an operator asks for it (the {@code client create} command or an import file), before
 * {@link ClientRules} checks it. Values are raw where a check must be able to name what it refuses.
 *
 * @param id            empty: {@link ClientService#create} generates one
 * @param authMethod    empty: {@code client_secret_basic} for a confidential client, {@code none} for a public one
 * @param grantTypes    empty: {@code authorization_code} and {@code refresh_token}
 * @param scopes        empty: {@code openid} when the client has the {@code authorization_code} grant
 * @param jwks          the public JWK set (JSON) of a {@code private_key_jwt} client
 */
public record ClientRegistration(Optional<ClientID> id, String name, boolean confidential, Optional<ClientAuthenticationMethod> authMethod,
                                 List<String> redirectUris, List<String> grantTypes, List<String> scopes, List<String> audiences,
                                 Optional<String> jwks, Optional<Duration> accessTokenTtl, Optional<Duration> refreshTokenTtl,
                                 boolean consentRequired) {
    public ClientRegistration {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(authMethod, "authMethod");
        redirectUris = List.copyOf(redirectUris);
        grantTypes = List.copyOf(grantTypes);
        scopes = List.copyOf(scopes);
        audiences = List.copyOf(audiences);
        Objects.requireNonNull(jwks, "jwks");
        Objects.requireNonNull(accessTokenTtl, "accessTokenTtl");
        Objects.requireNonNull(refreshTokenTtl, "refreshTokenTtl");
    }

    public ClientRegistration withId(ClientID newId) {
        return new ClientRegistration(Optional.of(newId), name, confidential, authMethod, redirectUris, grantTypes, scopes, audiences,
                jwks, accessTokenTtl, refreshTokenTtl, consentRequired);
    }

    /** A confidential client authenticating with a generated secret, needing consent, until told otherwise. */
    public static Builder confidential(String name) {
        return new Builder(name, true);
    }

    /** A public client (a browser or native app): it has no credentials and authenticates with {@code none}. */
    public static Builder publicClient(String name) {
        return new Builder(name, false);
    }

    public static final class Builder {
        private final String name;
        private final boolean confidential;
        private Optional<ClientID> id = Optional.empty();
        private Optional<ClientAuthenticationMethod> authMethod = Optional.empty();
        private final List<String> redirectUris = new ArrayList<>();
        private final List<String> grantTypes = new ArrayList<>();
        private final List<String> scopes = new ArrayList<>();
        private final List<String> audiences = new ArrayList<>();
        private Optional<String> jwks = Optional.empty();
        private Optional<Duration> accessTokenTtl = Optional.empty();
        private Optional<Duration> refreshTokenTtl = Optional.empty();
        private boolean consentRequired = true;

        private Builder(String name, boolean confidential) {
            this.name = name;
            this.confidential = confidential;
        }

        public Builder id(String value) {
            this.id = Optional.of(new ClientID(value));
            return this;
        }

        public Builder authMethod(ClientAuthenticationMethod method) {
            this.authMethod = Optional.of(method);
            return this;
        }

        public Builder redirectUri(String uri) {
            redirectUris.add(uri);
            return this;
        }

        public Builder grantType(String grantType) {
            grantTypes.add(grantType);
            return this;
        }

        public Builder scope(String scope) {
            scopes.add(scope);
            return this;
        }

        public Builder audience(String audience) {
            audiences.add(audience);
            return this;
        }

        public Builder jwks(String json) {
            this.jwks = Optional.of(json);
            return this;
        }

        public Builder accessTokenTtl(Duration ttl) {
            this.accessTokenTtl = Optional.of(ttl);
            return this;
        }

        public Builder refreshTokenTtl(Duration ttl) {
            this.refreshTokenTtl = Optional.of(ttl);
            return this;
        }

        public Builder consentRequired(boolean required) {
            this.consentRequired = required;
            return this;
        }

        public ClientRegistration build() {
            return new ClientRegistration(id, name, confidential, authMethod, redirectUris, grantTypes, scopes, audiences, jwks,
                    accessTokenTtl, refreshTokenTtl, consentRequired);
        }
    }
}
