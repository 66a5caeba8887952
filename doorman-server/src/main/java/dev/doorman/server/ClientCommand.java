package dev.doorman.server;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Identifier;
import dev.doorman.client.ClientProblem;
import dev.doorman.client.ClientRegistration;
import dev.doorman.client.CreateClientOutcome;
import dev.doorman.client.RegisteredClient;
import dev.doorman.client.RotateSecretOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code doorman client create|list|rotate-secret|delete}: the operator's OAuth client commands. */
@Command(name = "client", description = "Register, list, rotate the secret of and delete OAuth clients.")
final class ClientCommand implements Callable<Integer> {
    /** The options that set each field {@link dev.doorman.client.ClientRules} may refuse. */
    private static final Map<String, String> OPTIONS = Map.ofEntries(Map.entry("clientId", "--id"), Map.entry("name", "--name"),
            Map.entry("authMethod", "--auth-method"), Map.entry("redirectUris", "--redirect-uri"), Map.entry("grantTypes", "--grant"),
            Map.entry("scopes", "--scope"), Map.entry("audiences", "--audience"), Map.entry("jwks", "--jwks"),
            Map.entry("accessTokenTtl", "--access-token-ttl"), Map.entry("refreshTokenTtl", "--refresh-token-ttl"));

    @Spec
    CommandSpec spec;

    private final CliContext cli;

    ClientCommand(CliContext cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(cli.err());
        return Main.EXIT_USAGE;
    }

    @Command(name = "create", description = {"Register an OAuth client.",
            "A confidential client authenticating with a secret gets a generated 256-bit secret, printed once: Doorman keeps only its hash."})
    static final class Create implements Callable<Integer> {
        @Mixin
        ConfigOption config = new ConfigOption();
        @Spec
        CommandSpec spec;

        @Option(names = "--id", paramLabel = "ID", description = "The client_id: 3-64 letters, digits and . _ - (generated when left out).")
        String id;
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Shown to users on the consent screen.")
        String name;
        @Option(names = "--public", description = "A public client (browser or native app): no secret, authenticates with none.")
        boolean publicClient;
        @Option(names = "--redirect-uri", paramLabel = "URI", description = "A redirect URI, compared exactly (repeatable).")
        List<String> redirectUris = new ArrayList<>();
        @Option(names = "--grant", paramLabel = "GRANT",
                description = "authorization_code, refresh_token or client_credentials (repeatable; default: authorization_code and refresh_token).")
        List<String> grants = new ArrayList<>();
        @Option(names = "--scope", paramLabel = "SCOPE", description = "A scope the client may ask for (repeatable; default: openid).")
        List<String> scopes = new ArrayList<>();
        @Option(names = "--audience", paramLabel = "AUDIENCE", description = "An API its access tokens are for (repeatable).")
        List<String> audiences = new ArrayList<>();
        @Option(names = "--auth-method", paramLabel = "METHOD",
                description = "client_secret_basic (default), client_secret_post or private_key_jwt.")
        String authMethod;
        @Option(names = "--jwks", paramLabel = "FILE", description = "The public JWK set of a private_key_jwt client.")
        Path jwks;
        @Option(names = "--access-token-ttl", paramLabel = "DURATION", description = "Access token lifetime, e.g. 10m (at most 1h).")
        String accessTokenTtl;
        @Option(names = "--refresh-token-ttl", paramLabel = "DURATION", description = "Refresh token lifetime, e.g. 14d.")
        String refreshTokenTtl;
        @Option(names = "--no-consent", description = "Skip the consent screen (first-party clients).")
        boolean noConsent;

        private final CliContext cli;

        Create(CliContext cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            var builder = publicClient ? ClientRegistration.publicClient(name) : ClientRegistration.confidential(name);
            if (id != null) builder.id(id);
            if (authMethod != null) builder.authMethod(ClientAuthenticationMethod.parse(authMethod));
            redirectUris.forEach(builder::redirectUri);
            grants.forEach(builder::grantType);
            scopes.forEach(builder::scope);
            audiences.forEach(builder::audience);
            if (jwks != null) builder.jwks(readJwks(jwks));
            duration("--access-token-ttl", accessTokenTtl).ifPresent(builder::accessTokenTtl);
            duration("--refresh-token-ttl", refreshTokenTtl).ifPresent(builder::refreshTokenTtl);
            builder.consentRequired(!noConsent);

            ServerConfig cfg = config.load(cli);
            try (var instance = DoormanInstance.open(cfg, cli.clock())) {
                switch (instance.doorman().clientService().create(builder.build(), CliContext.actor("client create"))) {
                    case CreateClientOutcome.Created c -> {
                        RegisteredClient client = c.client();
                        cli.out().println("created client " + client.id() + " (" + (client.confidential() ? "confidential" : "public")
                                + ", " + client.authMethod() + ", grants " + grants(client) + ")");
                        c.secret().ifPresent(secret -> printSecret(cli.out(), client.id(), secret));
                    }
                    case CreateClientOutcome.IdTaken t -> throw CommandFailure.failed("a client with id " + t.id() + " already exists");
                    case CreateClientOutcome.Rejected r -> throw CommandFailure.failed("client refused:" + r.problems().stream()
                            .map(p -> "\n  - " + option(p)).collect(Collectors.joining()));
                }
            }
            return Main.EXIT_OK;
        }

        private Optional<Duration> duration(String option, String text) {
            if (text == null) return Optional.empty();
            return Optional.of(ConfigReader.parseDuration(text).orElseThrow(() ->
                    new ParameterException(spec.commandLine(), option + ": \"" + text + "\" is not a duration (use 10m, 1h or PT10M)")));
        }

        private static String readJwks(Path file) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw CommandFailure.failed("--jwks: " + file + ": no such file");
            } catch (IOException e) {
                throw CommandFailure.failed("--jwks: " + file + " cannot be read (" + e.getMessage() + ")");
            }
        }

        /** {@code redirectUris[1]: …} as {@code --redirect-uri: …}, naming the option the operator typed. */
        private static String option(ClientProblem problem) {
            String field = problem.field().replaceAll("\\[\\d+]$", "");
            return OPTIONS.getOrDefault(field, field) + ": " + problem.message();
        }
    }

    @Command(name = "list", description = "List every client: id, name, type, authentication method, grants, scopes, consent, redirect URIs.")
    static final class ListClients implements Callable<Integer> {
        @Mixin
        ConfigOption config = new ConfigOption();

        private final CliContext cli;

        ListClients(CliContext cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            ServerConfig cfg = config.load(cli);
            List<RegisteredClient> clients;
            try (var instance = DoormanInstance.open(cfg, cli.clock())) {
                clients = instance.doorman().clientService().list();
            }
            if (clients.isEmpty()) {
                cli.out().println("no clients");
                return Main.EXIT_OK;
            }
            var rows = new ArrayList<List<String>>();
            rows.add(List.of("CLIENT_ID", "NAME", "TYPE", "AUTH_METHOD", "GRANTS", "SCOPES", "CONSENT", "REDIRECT_URIS"));
            for (RegisteredClient c : clients) {
                rows.add(List.of(c.id().getValue(), c.name(), c.confidential() ? "confidential" : "public", c.authMethod().getValue(),
                        String.join(",", grants(c)), c.scope().isEmpty() ? "-" : String.join(",", c.scope().toStringList()),
                        c.consentRequired() ? "yes" : "no",
                        c.redirectUris().isEmpty() ? "-" : c.redirectUris().stream().map(URI::toString).collect(Collectors.joining(","))));
            }
            Table.print(cli.out(), rows);
            return Main.EXIT_OK;
        }
    }

    @Command(name = "rotate-secret", description = {"Give a client a new generated secret, printed once.",
            "The old secret stops working at once."})
    static final class RotateSecret implements Callable<Integer> {
        @Mixin
        ConfigOption config = new ConfigOption();

        @Option(names = "--id", required = true, paramLabel = "ID", description = "The client_id.")
        String id;

        private final CliContext cli;

        RotateSecret(CliContext cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            ServerConfig cfg = config.load(cli);
            try (var instance = DoormanInstance.open(cfg, cli.clock())) {
                switch (instance.doorman().clientService().rotateSecret(new ClientID(id), CliContext.actor("client rotate-secret"))) {
                    case RotateSecretOutcome.Rotated r -> {
                        cli.out().println("rotated the secret of client " + r.id() + "; the old secret no longer works");
                        printSecret(cli.out(), r.id(), r.secret());
                    }
                    case RotateSecretOutcome.NotFound n -> throw CommandFailure.failed("no client with id " + n.id());
                    case RotateSecretOutcome.NoSecret n -> throw CommandFailure.failed("client " + n.id() + " has no secret to rotate: it "
                            + (n.method().equals(ClientAuthenticationMethod.NONE) ? "is a public client"
                            : "authenticates with " + n.method() + " (register new keys with an import instead)"));
                }
            }
            return Main.EXIT_OK;
        }
    }

    @Command(name = "delete", description = "Delete a client: it can no longer authenticate or obtain tokens.")
    static final class Delete implements Callable<Integer> {
        @Mixin
        ConfigOption config = new ConfigOption();

        @Option(names = "--id", required = true, paramLabel = "ID", description = "The client_id.")
        String id;

        private final CliContext cli;

        Delete(CliContext cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            ServerConfig cfg = config.load(cli);
            try (var instance = DoormanInstance.open(cfg, cli.clock())) {
                if (!instance.doorman().clientService().delete(new ClientID(id), CliContext.actor("client delete")))
                    throw CommandFailure.failed("no client with id " + id);
            }
            cli.out().println("deleted client " + id);
            return Main.EXIT_OK;
        }
    }

    private static List<String> grants(RegisteredClient client) {
        return client.grantTypes().stream().map(GrantType::getValue).sorted().toList();
    }

    private static void printSecret(PrintStream out, Identifier id, Secret secret) {
        out.println("client_secret: " + secret.getValue());
        out.println("This secret is shown only now: Doorman keeps only its hash. Store it where the client reads its secrets;");
        out.println("if it is lost, run: doorman client rotate-secret --id " + id);
    }
}
