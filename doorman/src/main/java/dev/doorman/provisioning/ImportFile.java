package dev.doorman.provisioning;

import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.doorman.account.Email;
import dev.doorman.account.Password;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The provisioning file ("configuration as code"): roles, users and OAuth clients that should exist. It states a
 * desired state for what it names and says nothing about the rest: accounts, roles and clients that are not in the file
 * are left alone, and a field left out of an entry leaves that field as it is. See {@link ImportFileReader} for the
 * JSON format.
 */
public record ImportFile(List<RoleEntry> roles, List<UserEntry> users, List<ClientEntry> clients) {
    public ImportFile {
        roles = List.copyOf(roles);
        users = List.copyOf(users);
        clients = List.copyOf(clients);
    }

    public ImportFile(List<RoleEntry> roles, List<UserEntry> users) {
        this(roles, users, List.of());
    }

    public static ImportFile parse(String json) {
        return ImportFileReader.read(json);
    }

    /** The file as pretty-printed JSON in the format {@link #parse} reads. */
    public String toJson() {
        return ImportFileWriter.write(this);
    }

    /**
     * @param description empty: keep the description a role already has (a new role gets none)
     */
    public record RoleEntry(String name, Optional<String> description) {
        public RoleEntry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
        }
    }

    /**
     * One account. Every optional field that is empty is "not stated": a new account gets the default (no name, no
     * password, not verified, not disabled, no roles), an existing one keeps what it has.
     *
     * @param roles when stated, exactly the roles the account should hold
     */
    public record UserEntry(Email email, Optional<PasswordEntry> password, Optional<String> name, Optional<Set<String>> roles,
                            Optional<Boolean> verified, Optional<Boolean> disabled) {
        public UserEntry {
            Objects.requireNonNull(email, "email");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(name, "name");
            roles = roles.map(Set::copyOf);
            Objects.requireNonNull(verified, "verified");
            Objects.requireNonNull(disabled, "disabled");
        }
    }

    /**
     * One OAuth client. Every optional field that is empty is "not stated": a new client gets the default of
     * {@link dev.doorman.client.ClientRegistration}, an existing one keeps what it has, its secret included.
     *
     * @param clientSecret the secret of a client_secret_basic/post client; compared with the stored hash, never stored
     * @param publicClient the file's {@code "public"}
     * @param jwks         the public JWK set of a private_key_jwt client, as JSON
     */
    public record ClientEntry(ClientID clientId, Optional<Secret> clientSecret, Optional<Boolean> publicClient, Optional<String> name,
                              Optional<List<String>> redirectUris, Optional<List<String>> grantTypes, Optional<List<String>> scopes,
                              Optional<List<String>> audiences, Optional<ClientAuthenticationMethod> authMethod, Optional<String> jwks,
                              Optional<Duration> accessTokenTtl, Optional<Duration> refreshTokenTtl, Optional<Boolean> consentRequired) {
        public ClientEntry {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(clientSecret, "clientSecret");
            Objects.requireNonNull(publicClient, "publicClient");
            Objects.requireNonNull(name, "name");
            redirectUris = redirectUris.map(List::copyOf);
            grantTypes = grantTypes.map(List::copyOf);
            scopes = scopes.map(List::copyOf);
            audiences = audiences.map(List::copyOf);
            Objects.requireNonNull(authMethod, "authMethod");
            Objects.requireNonNull(jwks, "jwks");
            Objects.requireNonNull(accessTokenTtl, "accessTokenTtl");
            Objects.requireNonNull(refreshTokenTtl, "refreshTokenTtl");
            Objects.requireNonNull(consentRequired, "consentRequired");
        }

        @Override
        public String toString() {
            return "ClientEntry[" + clientId + (clientSecret.isPresent() ? ", clientSecret=(redacted)" : "") + "]";
        }
    }

    /** How a file gives a password: as typed (checked against the policy, hashed on import) or already hashed. */
    public sealed interface PasswordEntry {
        record Plain(Password password) implements PasswordEntry {
            public Plain {
                Objects.requireNonNull(password, "password");
            }
        }

        /** A well-formed Argon2id PHC string, e.g. from an export. */
        record Hashed(String phc) implements PasswordEntry {
            public Hashed {
                Objects.requireNonNull(phc, "phc");
            }

            @Override
            public String toString() {
                return "Hashed[redacted]";
            }
        }
    }
}
