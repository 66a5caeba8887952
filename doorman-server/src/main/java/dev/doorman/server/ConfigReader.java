package dev.doorman.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Reads typed values from the YAML tree, with the environment variables laid over it, and collects every problem
 * instead of stopping at the first, each labelled with the key or variable the operator has to fix. Values not given
 * anywhere fall back to the default the caller passes.
 */
final class ConfigReader {
    /** The configuration keys an environment variable overrides. Operators rely on these names. */
    static final Map<String, String> ENV_BY_KEY = envByKey();
    /** Variables Doorman reads that are not configuration keys. */
    static final Set<String> OTHER_ENV = Set.of("DOORMAN_DEBUG");

    private static final Set<String> SECTIONS = Set.of("http", "db", "smtp", "session", "password", "password.argon2", "accounts", "oauth2", "authz",
            "guard", "guard.limits", "metrics", "audit", "mfa", "mfa.webauthn");
    private static final Set<String> LEAVES = Set.of(
            "mode", "baseUrl", "dataDir",
            "http.host", "http.port", "http.maxRequestBytes",
            "db.url", "db.user", "db.password",
            "smtp.host", "smtp.port", "smtp.username", "smtp.password", "smtp.tls", "smtp.from",
            "session.idleTimeout", "session.absoluteTimeout", "session.sameSite", "session.secureCookie", "session.hostPrefix",
            "password.minLength", "password.maxLength", "password.contextWords", "password.breachedCorpus", "password.breachedCheckAtLogin",
            "metrics.exposure", "metrics.token", "metrics.host", "metrics.port", "audit.retention",
            "password.argon2.memoryKib", "password.argon2.iterations", "password.argon2.parallelism",
            "accounts.requireVerifiedEmail", "accounts.verificationTtl", "accounts.resetTtl",
            "oauth2.signingAlgorithm", "oauth2.accessTokenTtl", "oauth2.codeTtl", "oauth2.refreshTokenIdleTtl",
            "oauth2.refreshTokenAbsoluteTtl", "oauth2.keyRotation", "oauth2.keyEncryptionKey",
            "authz.policyFile",
            "guard.trustedProxies", "guard.store", "guard.redisUrl", "guard.hashQueue", "guard.delayAfter", "guard.challengeAfter",
            "guard.powBits", "guard.powBitsHard",
            "guard.limits.loginSource", "guard.limits.loginAccount", "guard.limits.loginFailuresGlobal", "guard.limits.loginPair", "guard.limits.loginSourceAccounts", "guard.limits.loginAccountSources", "guard.limits.registerSource", "guard.limits.resetRequestSource", "guard.limits.resetRequestAccount", "guard.limits.resetConfirmSource", "guard.limits.verifySource", "guard.limits.verifyResendSource", "guard.limits.verifyResendAccount", "guard.limits.tokenClient", "guard.limits.introspectClient", "guard.limits.mfaSource", "guard.limits.mfaAccount", "guard.limits.unlockSource", "guard.limits.attackMailAccount",
            "mfa.issuer", "mfa.requiredForRoles", "mfa.reauthWindow", "mfa.webauthn.rpId", "mfa.webauthn.origins");
    /** Keys whose values never appear in a message. */
    private static final Set<String> SECRETS = Set.of("db.password", "smtp.password", "oauth2.keyEncryptionKey", "guard.redisUrl", "metrics.token");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    /** A value as found: where it came from (key or variable name) and its node (text for a variable). */
    record Raw(String label, JsonNode node, boolean fromEnv) { }

    private final JsonNode root;
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    ConfigReader(JsonNode root, Map<String, String> env) {
        this.root = root;
        this.env = env;
    }

    private static Map<String, String> envByKey() {
        var m = new LinkedHashMap<String, String>();
        m.put("mode", "DOORMAN_MODE");
        m.put("http.host", "DOORMAN_HTTP_HOST");
        m.put("http.port", "DOORMAN_HTTP_PORT");
        m.put("baseUrl", "DOORMAN_BASE_URL");
        m.put("dataDir", "DOORMAN_DATA_DIR");
        m.put("db.url", "DOORMAN_DB_URL");
        m.put("db.user", "DOORMAN_DB_USER");
        m.put("db.password", "DOORMAN_DB_PASSWORD");
        m.put("smtp.host", "DOORMAN_SMTP_HOST");
        m.put("smtp.port", "DOORMAN_SMTP_PORT");
        m.put("smtp.username", "DOORMAN_SMTP_USERNAME");
        m.put("smtp.password", "DOORMAN_SMTP_PASSWORD");
        m.put("smtp.tls", "DOORMAN_SMTP_TLS");
        m.put("smtp.from", "DOORMAN_SMTP_FROM");
        m.put("oauth2.signingAlgorithm", "DOORMAN_SIGNING_ALG");
        m.put("oauth2.keyEncryptionKey", "DOORMAN_KEY_ENCRYPTION_KEY");
        m.put("authz.policyFile", "DOORMAN_POLICY_FILE");
        m.put("guard.trustedProxies", "DOORMAN_TRUSTED_PROXIES");
        m.put("guard.store", "DOORMAN_RATE_LIMIT_STORE");
        m.put("guard.redisUrl", "DOORMAN_REDIS_URL");
        for (var limit : dev.doorman.guard.Limit.values()) {
            if (limit != dev.doorman.guard.Limit.CHALLENGE_SPENT) m.put("guard.limits." + limitKey(limit), "DOORMAN_LIMIT_" + limit.name());
        }
        m.put("password.breachedCorpus", "DOORMAN_BREACHED_PASSWORDS");
        m.put("metrics.exposure", "DOORMAN_METRICS_EXPOSURE");
        m.put("metrics.token", "DOORMAN_METRICS_TOKEN");
        m.put("metrics.host", "DOORMAN_METRICS_HOST");
        m.put("metrics.port", "DOORMAN_METRICS_PORT");
        m.put("audit.retention", "DOORMAN_AUDIT_RETENTION");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** {@code LOGIN_SOURCE} → {@code loginSource}, the key under {@code guard.limits}. */
    static String limitKey(dev.doorman.guard.Limit limit) {
        var parts = limit.name().toLowerCase(java.util.Locale.ROOT).split("_");
        var key = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) key.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        return key.toString();
    }

    /** Parses YAML text; an empty document is an empty configuration. */
    static JsonNode parseYaml(String text, String source) {
        // Built here rather than held statically: without a file, the YAML classes are never loaded (faster start).
        var yaml = YAMLMapper.builder(YAMLFactory.builder().build()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
        JsonNode node;
        try {
            node = yaml.readTree(text);
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            String at = where == null ? "" : " line " + where.getLineNr() + ", column " + where.getColumnNr() + ":";
            throw new ConfigException(source + ":" + at + " not valid YAML: " + firstLine(e.getOriginalMessage()));
        }
        if (node == null || node.isMissingNode() || node.isNull()) return JsonNodeFactory.instance.objectNode();
        if (!node.isObject()) throw new ConfigException(source + ": expected a mapping of settings (mode, http, baseUrl, …) at the top level");
        return node;
    }

    /** Reports every key the schema does not know, and every section that is not a mapping. */
    void checkKeys() {
        checkSection(root, "");
    }

    private void checkSection(JsonNode section, String prefix) {
        for (var field : section.properties()) {
            String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode value = field.getValue();
            if (SECTIONS.contains(key)) {
                if (value.isObject()) checkSection(value, key);
                else if (!value.isNull()) problem(key, "expected a mapping of " + String.join(", ", childrenOf(key)) + ", got " + kind(value));
            } else if (!LEAVES.contains(key)) {
                problem(printable(key), "unknown key" + suggestion(prefix, field.getKey()));
            }
        }
    }

    private static String suggestion(String prefix, String name) {
        List<String> siblings = childrenOf(prefix);
        for (String s : siblings) {
            if (s.equalsIgnoreCase(name) || editDistance(s.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT)) <= 2)
                return " (did you mean " + (prefix.isEmpty() ? s : prefix + "." + s) + "?)";
        }
        return " (known keys" + (prefix.isEmpty() ? "" : " in " + prefix) + ": " + String.join(", ", siblings) + ")";
    }

    private static List<String> childrenOf(String prefix) {
        var names = new TreeSet<String>();
        String start = prefix.isEmpty() ? "" : prefix + ".";
        for (var keys : List.of(SECTIONS, LEAVES)) {
            for (String k : keys) {
                if (k.startsWith(start) && !k.substring(start.length()).contains(".")) names.add(k.substring(start.length()));
            }
        }
        return List.copyOf(names);
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++)
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The value for a key: its environment variable when set and not empty, else the file's, else nothing. */
    Optional<Raw> raw(String key) {
        String var = ENV_BY_KEY.get(key);
        if (var != null) {
            String value = env.get(var);
            if (value != null && !value.isEmpty()) return Optional.of(new Raw(var, TextNode.valueOf(value), true));
        }
        JsonNode node = root;
        for (String part : key.split("\\.")) {
            node = node == null || !node.isObject() ? null : node.get(part);
        }
        if (node == null || node.isNull()) return Optional.empty();
        return Optional.of(new Raw(key, node, false));
    }

    boolean isSet(String key) {
        return raw(key).isPresent();
    }

    /** The label a problem about this key should carry: the variable when the value came from one. */
    String label(String key) {
        return raw(key).map(Raw::label).orElse(key);
    }

    String text(String key, String fallback) {
        var raw = raw(key);
        if (raw.isEmpty()) return fallback;
        JsonNode node = raw.get().node();
        if (node.isTextual()) return node.textValue().strip();
        problem(raw.get().label(), "expected a string, got " + kind(node) + (node.isValueNode() ? " (put the value in quotes)" : ""));
        return fallback;
    }

    int port(String key, int fallback) {
        var raw = raw(key);
        if (raw.isEmpty()) return fallback;
        JsonNode node = raw.get().node();
        Optional<Long> n = node.isIntegralNumber() ? Optional.of(node.longValue())
                : node.isTextual() ? parseLong(node.textValue().strip()) : Optional.empty();
        if (n.isPresent() && n.get() >= 1 && n.get() <= 65535) return n.get().intValue();
        problem(raw.get().label(), show(raw.get()) + " is not a port number (1-65535)");
        return fallback;
    }

    long integer(String key, long fallback) {
        var raw = raw(key);
        if (raw.isEmpty()) return fallback;
        JsonNode node = raw.get().node();
        Optional<Long> n = node.isIntegralNumber() && node.canConvertToLong() ? Optional.of(node.longValue())
                : raw.get().fromEnv() ? parseLong(node.textValue().strip()) : Optional.empty();
        if (n.isPresent()) return n.get();
        problem(raw.get().label(), show(raw.get()) + " is not a whole number");
        return fallback;
    }

    int smallInteger(String key, int fallback) {
        long n = integer(key, fallback);
        if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) return (int) n;
        problem(label(key), n + " is out of range");
        return fallback;
    }

    boolean bool(String key, boolean fallback) {
        var raw = raw(key);
        if (raw.isEmpty()) return fallback;
        JsonNode node = raw.get().node();
        if (node.isBoolean()) return node.booleanValue();
        if (raw.get().fromEnv()) {
            String v = node.textValue().strip().toLowerCase(Locale.ROOT);
            if (v.equals("true")) return true;
            if (v.equals("false")) return false;
        }
        problem(raw.get().label(), show(raw.get()) + " is not true or false");
        return fallback;
    }

    Duration duration(String key, Duration fallback) {
        var raw = raw(key);
        if (raw.isEmpty()) return fallback;
        JsonNode node = raw.get().node();
        Optional<Duration> d = node.isTextual() ? parseDuration(node.textValue()) : Optional.empty();
        if (d.isPresent()) return d.get();
        problem(raw.get().label(), show(raw.get()) + " is not a duration (use 30m, 12h or PT30M)");
        return fallback;
    }

    /** One of a fixed set of words, case-insensitive; the message lists them as the map spells them. */
    <E> E choice(String key, E fallback, Map<String, E> choices) {
        var raw = raw(key);
        if (raw.isEmpty()) return fallback;
        JsonNode node = raw.get().node();
        if (node.isTextual()) {
            String given = node.textValue().strip();
            for (var choice : choices.entrySet()) {
                if (choice.getKey().equalsIgnoreCase(given)) return choice.getValue();
            }
        }
        var names = new TreeSet<String>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(choices.keySet());
        problem(raw.get().label(), show(raw.get()) + " is not one of " + String.join(", ", names));
        return fallback;
    }

    List<String> textList(String key, List<String> fallback) {
        var raw = raw(key);
        if (raw.isEmpty()) return fallback;
        JsonNode node = raw.get().node();
        if (node.isArray()) {
            var values = new ArrayList<String>();
            for (int i = 0; i < node.size(); i++) {
                if (node.get(i).isTextual()) values.add(node.get(i).textValue());
                else problem(key + "[" + i + "]", "expected a string, got " + kind(node.get(i)));
            }
            return values;
        }
        problem(raw.get().label(), "expected a list of strings, got " + kind(node));
        return fallback;
    }

    /**
     * Runs a settings record's constructor; its IllegalArgumentException becomes a problem that names the section.
     */
    <T> Optional<T> build(String label, Supplier<T> constructor) {
        try {
            return Optional.of(constructor.get());
        } catch (IllegalArgumentException e) {
            problem(label, e.getMessage());
            return Optional.empty();
        }
    }

    void problem(String label, String message) {
        problems.add(label + ": " + message);
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    static Optional<Duration> parseDuration(String text) {
        String s = text.strip();
        var m = SHORT_DURATION.matcher(s);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return Optional.of(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> throw new IllegalStateException("unreachable unit " + m.group(2));
            });
        }
        if (s.startsWith("P") || s.startsWith("p")) {
            try {
                return Optional.of(Duration.parse(s));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Optional<Long> parseLong(String s) {
        try {
            return Optional.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The value as the operator wrote it, quoted when it is text; never the value of a secret. */
    private String show(Raw raw) {
        String key = ENV_BY_KEY.entrySet().stream().filter(e -> e.getValue().equals(raw.label())).map(Map.Entry::getKey)
                .findFirst().orElse(raw.label());
        if (SECRETS.contains(key)) return "the value";
        JsonNode node = raw.node();
        String shown = node.isTextual() ? "\"" + printable(node.textValue()) + "\"" : node.isValueNode() ? node.asText() : kind(node);
        return shown;
    }

    private static String kind(JsonNode node) {
        if (node.isObject()) return "a mapping";
        if (node.isArray()) return "a list";
        if (node.isTextual()) return "a string";
        if (node.isBoolean()) return "true/false";
        if (node.isNumber()) return "a number";
        return "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static String firstLine(String message) {
        if (message == null) return "unreadable";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** An empty configuration, for when there is no file. */
    static ObjectNode empty() {
        return JsonNodeFactory.instance.objectNode();
    }
}
