package dev.doorman.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import dev.doorman.DoormanSettings;
import dev.doorman.DoormanSettings.Mode;
import dev.doorman.account.AccountSettings;
import dev.doorman.account.Argon2Params;
import dev.doorman.account.PasswordSettings;
import dev.doorman.authz.Policy;
import dev.doorman.authz.PolicyException;
import dev.doorman.db.DbSettings;
import dev.doorman.db.Dialect;
import dev.doorman.guard.GuardSettings;
import dev.doorman.guard.Limit;
import dev.doorman.guard.LimitSpec;
import dev.doorman.mail.MailSettings;
import dev.doorman.mail.MailSettings.Tls;
import dev.doorman.mail.SmtpMailSender;
import dev.doorman.mfa.MfaSettings;
import dev.doorman.oauth2.OAuth2Settings;
import dev.doorman.metrics.MetricsSettings;
import dev.doorman.metrics.MetricsSettings.Exposure;
import dev.doorman.metrics.ObservabilitySettings;
import dev.doorman.session.SessionSettings;
import dev.doorman.session.SessionSettings.SameSite;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The server's whole configuration, loaded once from an optional YAML file and the environment, validated, and split
 * into the slices each part needs: {@link DoormanSettings} for the core, {@link DbSettings} for the database, and the
 * address to bind. Environment variables win over the file; defaults fill the rest (the safe ones: see
 * doorman-server/README.md). Nothing else reads the environment.
 *
 * @param warnings things that are allowed but probably not meant, for Main to print (an unknown DOORMAN_ variable,
 *                 SMTP credentials without an SMTP host)
 * @param policy   the authorization policy from {@code authz.policyFile}, loaded and validated here; empty: none
 */
public record ServerConfig(DoormanSettings doorman, DbSettings database, Http http, List<String> warnings, Optional<Policy> policy) {
    /** Every environment variable that sets a configuration key. */
    public static final List<String> ENVIRONMENT_VARIABLES = List.copyOf(ConfigReader.ENV_BY_KEY.values());

    /** Where the HTTP server listens; the public address is {@code doorman.baseUrl()}. */
    public record Http(String host, int port) {
        public Http {
            Objects.requireNonNull(host, "host");
        }
    }

    public ServerConfig {
        Objects.requireNonNull(doorman, "doorman");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(http, "http");
        warnings = List.copyOf(warnings);
        Objects.requireNonNull(policy, "policy");
    }

    /**
     * @param file the YAML file, if the operator gave one ({@code --config FILE})
     * @param env  the process environment (Main passes {@code System.getenv()}, tests a map)
     * @throws ConfigException naming every key or variable that is wrong
     */
    public static ServerConfig load(Optional<Path> file, Map<String, String> env) {
        JsonNode root = file.map(ServerConfig::readFile).orElseGet(ConfigReader::empty);
        return from(root, env);
    }

    private static JsonNode readFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + ": not found");
        } catch (IOException e) {
            throw new ConfigException("config file " + file + ": cannot be read (" + e.getMessage() + ")");
        }
        return ConfigReader.parseYaml(text, "config file " + file);
    }

    private static ServerConfig from(JsonNode root, Map<String, String> env) {
        var r = new ConfigReader(root, env);
        r.checkKeys();
        DoormanSettings defaults = DoormanSettings.dev(URI.create("http://localhost"));

        Mode mode = r.choice("mode", Mode.DEV, Map.of("dev", Mode.DEV, "production", Mode.PRODUCTION));
        boolean production = mode == Mode.PRODUCTION;
        int port = r.port("http.port", 8080);
        String host = host(r, "http.host", production ? "0.0.0.0" : "127.0.0.1");
        long maxRequestBytes = r.integer("http.maxRequestBytes", defaults.maxRequestBytes());
        r.build("http.maxRequestBytes", () -> new DoormanSettings(Mode.DEV, defaults.baseUrl(), defaults.session(), defaults.password(),
                defaults.accounts(), defaults.mail(), maxRequestBytes, defaults.oauth2()));
        Optional<URI> baseUrl = baseUrl(r, port);
        Path dataDir = dataDir(r);
        var warnings = new ArrayList<String>();
        Optional<DbSettings> db = database(r, dataDir, warnings);
        Optional<MailSettings> mail = mail(r, baseUrl.map(URI::getHost).orElse("localhost"), warnings);
        Optional<SessionSettings> session = session(r, production);
        Optional<PasswordSettings> password = password(r);
        Optional<AccountSettings> accounts = accounts(r);
        Optional<OAuth2Settings> oauth2 = oauth2(r);
        Optional<Policy> policy = policy(r);
        Optional<GuardSettings> guard = guard(r);
        Optional<ObservabilitySettings> observability = observability(r, production);
        Optional<MfaSettings> mfa = mfa(r);
        unknownVariables(env, warnings);

        if (!r.problems().isEmpty()) throw new ConfigException(r.problems());
        DoormanSettings settings;
        try {
            settings = new DoormanSettings(mode, baseUrl.orElseThrow(), session.orElseThrow(), password.orElseThrow(), accounts.orElseThrow(),
                    mail.orElseThrow(), maxRequestBytes, oauth2.orElseThrow(), guard.orElseThrow(), observability.orElseThrow(),
                    mfa.orElseThrow());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("configuration: " + e.getMessage());
        }
        return new ServerConfig(settings, db.orElseThrow(), new Http(host, port), warnings, policy);
    }

    /** The policy file is read and checked now, so that a bad one stops the start with each problem and its line. */
    private static Optional<Policy> policy(ConfigReader r) {
        String text = r.text("authz.policyFile", "");
        if (text.isEmpty()) return Optional.empty();
        String label = r.label("authz.policyFile");
        try {
            return Optional.of(Policy.load(Path.of(text)));
        } catch (InvalidPathException e) {
            r.problem(label, "\"" + text + "\" is not a file path");
        } catch (NoSuchFileException e) {
            r.problem(label, "policy file " + text + " not found");
        } catch (IOException e) {
            r.problem(label, "policy file " + text + " cannot be read (" + e.getMessage() + ")");
        } catch (PolicyException e) {
            r.problem(label, e.getMessage());
        }
        return Optional.empty();
    }

    private static String host(ConfigReader r, String key, String fallback) {
        String host = r.text(key, fallback);
        if (host.isEmpty() || host.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            r.problem(r.label(key), "\"" + host + "\" is not a host name or address to bind (e.g. 127.0.0.1 or 0.0.0.0)");
            return fallback;
        }
        return host;
    }

    private static Optional<URI> baseUrl(ConfigReader r, int port) {
        String text = r.text("baseUrl", "http://localhost:" + port);
        String label = r.label("baseUrl");
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            r.problem(label, "\"" + text + "\" is not a URL (e.g. https://login.example.org)");
            return Optional.empty();
        }
        return r.build(label, () -> DoormanSettings.dev(uri)).map(DoormanSettings::baseUrl);
    }

    private static Path dataDir(ConfigReader r) {
        String text = r.text("dataDir", "data");
        try {
            if (text.isEmpty()) throw new InvalidPathException(text, "empty");
            return Path.of(text);
        } catch (InvalidPathException e) {
            r.problem(r.label("dataDir"), "\"" + text + "\" is not a directory path");
            return Path.of("data");
        }
    }

    private static Optional<DbSettings> database(ConfigReader r, Path dataDir, List<String> warnings) {
        String url = r.text("db.url", "");
        Optional<String> user = nonEmpty(r.text("db.user", ""));
        Optional<String> password = nonEmpty(r.text("db.password", ""));
        if (url.isEmpty()) {
            if (user.isPresent() || password.isPresent())
                warnings.add(r.label(user.isPresent() ? "db.user" : "db.password") + " is ignored: there is no db.url (DOORMAN_DB_URL), so the embedded SQLite database is used");
            return Optional.of(DbSettings.embedded(dataDir));
        }
        return r.build(r.label("db.url"), () -> new DbSettings(Optional.of(url), user, password, dataDir));
    }

    private static Optional<MailSettings> mail(ConfigReader r, String publicHost, List<String> warnings) {
        String host = r.text("smtp.host", "");
        Tls tls = r.choice("smtp.tls", Tls.STARTTLS, Map.of("none", Tls.NONE, "starttls", Tls.STARTTLS, "tls", Tls.TLS));
        int port = r.port("smtp.port", tls == Tls.TLS ? 465 : 587);
        Optional<String> username = nonEmpty(r.text("smtp.username", ""));
        Optional<String> password = nonEmpty(r.text("smtp.password", ""));
        String from = r.text("smtp.from", "Doorman <no-reply@" + publicHost + ">");
        if (r.isSet("smtp.from") || !host.isEmpty()) {
            // The sender checks the address the way it will use it.
            r.build(r.label("smtp.from"), () -> new SmtpMailSender(new MailSettings.Smtp("localhost", 25, Optional.empty(), Optional.empty(), Tls.NONE), from));
        }
        if (host.isEmpty()) {
            var ignored = new TreeSet<String>();
            for (String key : List.of("smtp.port", "smtp.username", "smtp.password", "smtp.tls"))
                if (r.isSet(key)) ignored.add(r.label(key));
            if (!ignored.isEmpty())
                warnings.add(String.join(", ", ignored) + (ignored.size() == 1 ? " is" : " are")
                        + " ignored: there is no smtp.host (DOORMAN_SMTP_HOST), so mail goes to the dev outbox");
            return Optional.of(new MailSettings(Optional.empty(), from));
        }
        return r.build("smtp", () -> new MailSettings.Smtp(host, port, username, password, tls))
                .map(smtp -> new MailSettings(Optional.of(smtp), from));
    }

    private static Optional<SessionSettings> session(ConfigReader r, boolean production) {
        var d = SessionSettings.defaults();
        var idle = r.duration("session.idleTimeout", d.idleTimeout());
        var absolute = r.duration("session.absoluteTimeout", d.absoluteTimeout());
        var sameSite = r.choice("session.sameSite", d.sameSite(), Map.of("lax", SameSite.LAX, "strict", SameSite.STRICT));
        boolean secure = r.bool("session.secureCookie", d.secureCookie());
        // Production defaults to the __Host- prefix, which needs secure cookies; turning those off leaves both to be
        // reported by the production check rather than failing here on the combination.
        boolean hostPrefix = r.bool("session.hostPrefix", production ? secure : d.hostPrefix());
        return r.build("session", () -> new SessionSettings(idle, absolute, sameSite, secure, hostPrefix));
    }

    private static Optional<PasswordSettings> password(ConfigReader r) {
        var d = PasswordSettings.defaults();
        int min = r.smallInteger("password.minLength", d.minLength());
        int max = r.smallInteger("password.maxLength", d.maxLength());
        List<String> words = r.textList("password.contextWords", d.contextWords());
        int memory = r.smallInteger("password.argon2.memoryKib", d.argon2().memoryKib());
        int iterations = r.smallInteger("password.argon2.iterations", d.argon2().iterations());
        int parallelism = r.smallInteger("password.argon2.parallelism", d.argon2().parallelism());
        String corpus = r.text("password.breachedCorpus", "");
        boolean atLogin = r.bool("password.breachedCheckAtLogin", false);
        Optional<PasswordSettings.BreachedCheck> breached = corpus.isEmpty() && !atLogin ? Optional.of(PasswordSettings.BreachedCheck.none())
                : r.build(r.label("password.breachedCorpus"), () -> {
                    var check = new PasswordSettings.BreachedCheck(corpus.isEmpty() ? Optional.empty() : Optional.of(Path.of(corpus)), atLogin);
                    // Said at start, not at the first registration: the directory must be there and readable.
                    check.corpus().ifPresent(dev.doorman.account.BreachedPasswords::open);
                    return check;
                });
        if (breached.isEmpty()) return Optional.empty();
        return r.build("password.argon2", () -> new Argon2Params(memory, iterations, parallelism))
                .flatMap(argon2 -> r.build("password", () -> new PasswordSettings(min, max, argon2, words, breached.get())));
    }

    private static Optional<AccountSettings> accounts(ConfigReader r) {
        var d = AccountSettings.defaults();
        boolean requireVerified = r.bool("accounts.requireVerifiedEmail", d.requireVerifiedEmail());
        var verificationTtl = r.duration("accounts.verificationTtl", d.verificationTtl());
        var resetTtl = r.duration("accounts.resetTtl", d.resetTtl());
        return r.build("accounts", () -> new AccountSettings(requireVerified, verificationTtl, resetTtl));
    }

    private static Optional<OAuth2Settings> oauth2(ConfigReader r) {
        var d = OAuth2Settings.defaults();
        var algorithms = new LinkedHashMap<String, JWSAlgorithm>();
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA))
            algorithms.put(alg.getName(), alg);
        JWSAlgorithm algorithm = r.choice("oauth2.signingAlgorithm", d.signingAlgorithm(), algorithms);
        Duration accessTokenTtl = r.duration("oauth2.accessTokenTtl", d.accessTokenTtl());
        Duration codeTtl = r.duration("oauth2.codeTtl", d.codeTtl());
        Duration refreshIdle = r.duration("oauth2.refreshTokenIdleTtl", d.refreshTokenIdleTtl());
        Duration refreshAbsolute = r.duration("oauth2.refreshTokenAbsoluteTtl", d.refreshTokenAbsoluteTtl());
        // Checked on their own so that a problem names the key or variable rather than the section.
        Optional<String> kek = nonEmpty(r.text("oauth2.keyEncryptionKey", ""));
        boolean kekOk = kek.isEmpty() || r.build(r.label("oauth2.keyEncryptionKey"), () -> OAuth2Settings.decodeKeyEncryptionKey(kek.get())).isPresent();
        Optional<Duration> rotation = r.isSet("oauth2.keyRotation")
                ? Optional.of(r.duration("oauth2.keyRotation", OAuth2Settings.MIN_KEY_ROTATION)) : Optional.empty();
        boolean rotationOk = rotation.isEmpty() || r.build(r.label("oauth2.keyRotation"), () -> d.withKeyRotation(rotation.get())).isPresent();
        if (!kekOk || !rotationOk) return Optional.empty();
        return r.build("oauth2", () -> new OAuth2Settings(codeTtl, accessTokenTtl, refreshIdle, refreshAbsolute, algorithm, kek, rotation));
    }

    private static Optional<GuardSettings> guard(ConfigReader r) {
        var d = GuardSettings.defaults();
        String proxiesText = r.isSet("guard.trustedProxies") && r.raw("guard.trustedProxies").orElseThrow().fromEnv()
                ? r.text("guard.trustedProxies", "") : null;
        List<String> proxies = proxiesText != null
                ? java.util.Arrays.stream(proxiesText.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList()
                : r.textList("guard.trustedProxies", d.trustedProxies());
        GuardSettings.Store store = r.choice("guard.store", d.store(), Map.of("auto", GuardSettings.Store.AUTO,
                "memory", GuardSettings.Store.MEMORY, "database", GuardSettings.Store.DATABASE, "redis", GuardSettings.Store.REDIS));
        Optional<String> redis = nonEmpty(r.text("guard.redisUrl", ""));
        if (redis.isPresent() && !redis.get().matches("rediss?://\\S+"))
            r.problem(r.label("guard.redisUrl"), "expected a redis://host:port or rediss://host:port URL");
        int hashQueue = r.smallInteger("guard.hashQueue", d.hashQueue());
        var e = d.escalation();
        int delayAfter = r.smallInteger("guard.delayAfter", e.delayAfter());
        int challengeAfter = r.smallInteger("guard.challengeAfter", e.challengeAfter());
        int powBits = r.smallInteger("guard.powBits", e.powBits());
        int powBitsHard = r.smallInteger("guard.powBitsHard", Math.max(e.powBitsHard(), powBits));
        var limits = new java.util.EnumMap<Limit, LimitSpec>(Limit.class);
        for (Limit limit : Limit.values()) {
            if (limit == Limit.CHALLENGE_SPENT) continue;
            String key = "guard.limits." + ConfigReader.limitKey(limit);
            if (!r.isSet(key)) continue;
            r.build(r.label(key), () -> LimitSpec.parse(r.text(key, ""))).ifPresent(spec -> limits.put(limit, spec));
        }
        Optional<GuardSettings.Escalation> escalation = r.build("guard", () -> new GuardSettings.Escalation(delayAfter, e.delayBase(),
                e.delayMax(), challengeAfter, powBits, powBitsHard, e.challengeTtl(), e.unlockTtl(), e.deviceTtl()));
        if (escalation.isEmpty()) return Optional.empty();
        if (store == GuardSettings.Store.REDIS && redis.isEmpty())
            r.problem(r.label("guard.redisUrl"), "the redis rate-limit store needs a Redis URL (DOORMAN_REDIS_URL)");
        return r.build("guard.trustedProxies", () -> new GuardSettings(proxies, limits, escalation.get(), hashQueue, store, redis));
    }

    private static Optional<ObservabilitySettings> observability(ConfigReader r, boolean production) {
        var exposures = Map.of("open", Exposure.OPEN, "token", Exposure.BEARER_TOKEN, "port", Exposure.MANAGEMENT_PORT, "off", Exposure.OFF);
        // Production serves nothing until the operator picks how scrapers get in; dev serves it to anyone.
        Exposure exposure = r.choice("metrics.exposure", production ? Exposure.OFF : Exposure.OPEN, exposures);
        Optional<String> token = nonEmpty(r.text("metrics.token", ""));
        String host = host(r, "metrics.host", "127.0.0.1");
        int port = r.port("metrics.port", 9090);
        Optional<Duration> retention = r.isSet("audit.retention")
                ? Optional.of(r.duration("audit.retention", ObservabilitySettings.MIN_AUDIT_RETENTION)) : Optional.empty();
        var metrics = r.build(r.label(exposure == Exposure.BEARER_TOKEN ? "metrics.token" : "metrics.exposure"),
                () -> new MetricsSettings(exposure, token, host, port));
        if (metrics.isEmpty()) return Optional.empty();
        return r.build(r.label("audit.retention"), () -> new ObservabilitySettings(metrics.get(), retention));
    }

    private static Optional<MfaSettings> mfa(ConfigReader r) {
        var d = MfaSettings.defaults();
        String issuer = r.text("mfa.issuer", d.issuer());
        List<String> roles = r.textList("mfa.requiredForRoles", List.of());
        Duration reauth = r.duration("mfa.reauthWindow", d.reauthWindow());
        Optional<String> rpId = nonEmpty(r.text("mfa.webauthn.rpId", ""));
        List<String> origins = r.textList("mfa.webauthn.origins", List.of());
        return r.build("mfa", () -> new MfaSettings(issuer, d.challengeTtl(), d.maxFailuresPerChallenge(), d.maxFailuresPerAccount(),
                d.failureWindow(), reauth, java.util.Set.copyOf(roles), rpId, origins.stream().map(URI::create).toList()));
    }

    private static void unknownVariables(Map<String, String> env, List<String> warnings) {
        var known = new java.util.HashSet<>(ConfigReader.ENV_BY_KEY.values());
        known.addAll(ConfigReader.OTHER_ENV);
        new TreeSet<>(env.keySet()).stream()
                .filter(name -> name.startsWith("DOORMAN_") && !known.contains(name))
                .forEach(name -> warnings.add("environment variable " + name + " is not one Doorman reads (known: "
                        + String.join(", ", ENVIRONMENT_VARIABLES) + ")"));
    }

    private static Optional<String> nonEmpty(String s) {
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    /** For the startup line: {@code SQLite at /srv/doorman/data/doorman.db} or {@code PostgreSQL at jdbc:postgresql://db/doorman}. */
    public String databaseDescription() {
        if (database.url().isEmpty())
            return "SQLite at " + database.dataDir().resolve("doorman.db").toAbsolutePath().normalize();
        String url = database.jdbcUrl().replaceAll("\\?.*", "");
        return (database.dialect() == Dialect.POSTGRES ? "PostgreSQL at " : "SQLite at ") + url;
    }

    /** The address to show for the listener, e.g. {@code 127.0.0.1:8080}. */
    public String listenAddress() {
        return (http.host().contains(":") ? "[" + http.host() + "]" : http.host()) + ":" + http.port();
    }
}
