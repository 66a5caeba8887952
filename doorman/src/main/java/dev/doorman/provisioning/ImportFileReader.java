package dev.doorman.provisioning;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.doorman.account.DisplayNames;
import dev.doorman.account.Email;
import dev.doorman.account.Password;
import dev.doorman.account.PasswordHasher;
import dev.doorman.client.ClientRules;
import dev.doorman.provisioning.ImportFile.ClientEntry;
import dev.doorman.provisioning.ImportFile.PasswordEntry;
import dev.doorman.provisioning.ImportFile.RoleEntry;
import dev.doorman.provisioning.ImportFile.UserEntry;
import dev.doorman.provisioning.ImportFileException.Problem;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a provisioning file strictly: every unknown section or field, wrong type, duplicate and malformed value is a
 * {@link Problem} that names its JSON path, and all of them are reported together.
 *
 * <pre>{@code
 * {
 *   "roles": [ "admin", { "name": "support", "description": "Answers tickets" } ],
 *   "users": [
 *     { "email": "alice@example.org", "name": "Alice", "password": "…", "roles": ["admin"], "verified": true },
 *     { "email": "bob@example.org", "passwordHash": "$argon2id$v=19$m=19456,t=4,p=1$…$…", "disabled": false }
 *   ]
 * }
 * }</pre>
 *
 * A section is added by adding a case to {@link #read(String)}; {@code clients} is reserved for OAuth clients.
 */
final class ImportFileReader {
    /** Role names: what an access rule or a token's claim can hold without quoting. */
    static final Pattern ROLE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}");
    static final int MAX_ROLE_DESCRIPTION = 500;

    /** A client secret given in a file: long enough to carry 128 bits or more when random, printable, no spaces. */
    static final Pattern CLIENT_SECRET = Pattern.compile("[\\x21-\\x7E]{32,512}");
    private static final Set<String> SECTIONS = Set.of("roles", "users", "clients");
    private static final Set<String> ROLE_FIELDS = Set.of("name", "description");
    private static final Set<String> USER_FIELDS = Set.of("email", "password", "passwordHash", "name", "roles", "verified", "disabled");
    private static final Set<String> CLIENT_FIELDS = Set.of("clientId", "clientSecret", "public", "name", "redirectUris", "grantTypes",
            "scopes", "audiences", "authMethod", "jwks", "accessTokenTtl", "refreshTokenTtl", "consentRequired");
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(1 << 20).build())
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final List<Problem> problems = new ArrayList<>();

    private ImportFileReader() {
    }

    static ImportFile read(String json) {
        return new ImportFileReader().file(json);
    }

    private ImportFile file(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            String at = where == null ? "" : "line " + where.getLineNr() + ", column " + where.getColumnNr() + ": ";
            throw new ImportFileException(List.of(new Problem("", "not valid JSON: " + at + firstLine(e.getOriginalMessage()))));
        }
        if (root == null || root.isMissingNode() || !root.isObject())
            throw new ImportFileException(List.of(new Problem("", "the file must be a JSON object with \"roles\", \"users\" and \"clients\"")));

        List<RoleEntry> roles = List.of();
        List<UserEntry> users = List.of();
        List<ClientEntry> clients = List.of();
        for (var field : root.properties()) {
            String section = field.getKey();
            switch (section) {
                case "roles" -> roles = roles(field.getValue());
                case "users" -> users = users(field.getValue());
                case "clients" -> clients = clients(field.getValue());
                default -> problem(printable(section), "unknown section (expected " + String.join(", ", new TreeSet<>(SECTIONS)) + ")");
            }
        }
        if (!problems.isEmpty()) throw new ImportFileException(problems);
        return new ImportFile(roles, users, clients);
    }

    private List<ClientEntry> clients(JsonNode node) {
        if (!node.isArray()) {
            problem("clients", "must be a list");
            return List.of();
        }
        var clients = new ArrayList<ClientEntry>();
        var seen = new HashMap<String, Integer>();
        for (int i = 0; i < node.size(); i++) {
            String path = "clients[" + i + "]";
            JsonNode entry = node.get(i);
            if (!entry.isObject()) {
                problem(path, "must be an object with at least \"clientId\"");
                continue;
            }
            int before = problems.size();
            knownFields(path, entry, CLIENT_FIELDS);
            Optional<String> id = Optional.empty();
            if (!entry.hasNonNull("clientId")) problem(path + ".clientId", "missing");
            else id = text(path + ".clientId", entry.get("clientId")).flatMap(raw -> {
                Optional<String> why = ClientRules.clientIdProblem(raw);
                why.ifPresent(p -> problem(path + ".clientId", p));
                return why.isPresent() ? Optional.empty() : Optional.of(raw);
            });
            var secret = optionalText(path + ".clientSecret", entry.get("clientSecret")).flatMap(raw -> {
                if (CLIENT_SECRET.matcher(raw).matches()) return Optional.of(new Secret(raw));
                problem(path + ".clientSecret", "must be 32 to 512 printable ASCII characters without spaces (use a random secret of 128 bits or more)");
                return Optional.<Secret>empty();
            });
            var publicClient = optionalBoolean(path + ".public", entry.get("public"));
            if (publicClient.orElse(false) && secret.isPresent())
                problem(path + ".clientSecret", "a public client has no secret");
            var name = optionalText(path + ".name", entry.get("name"));
            var redirectUris = optionalTextList(path + ".redirectUris", entry.get("redirectUris"));
            var grantTypes = optionalTextList(path + ".grantTypes", entry.get("grantTypes"));
            var scopes = optionalTextList(path + ".scopes", entry.get("scopes"));
            var audiences = optionalTextList(path + ".audiences", entry.get("audiences"));
            var authMethod = optionalText(path + ".authMethod", entry.get("authMethod")).map(ClientAuthenticationMethod::parse);
            Optional<String> jwks = Optional.empty();
            JsonNode jwksNode = entry.get("jwks");
            if (jwksNode != null && !jwksNode.isNull()) {
                if (jwksNode.isObject()) jwks = Optional.of(jwksNode.toString());
                else problem(path + ".jwks", "must be a JWK set: an object with \"keys\"");
            }
            var accessTokenTtl = optionalDuration(path + ".accessTokenTtl", entry.get("accessTokenTtl"));
            var refreshTokenTtl = optionalDuration(path + ".refreshTokenTtl", entry.get("refreshTokenTtl"));
            var consentRequired = optionalBoolean(path + ".consentRequired", entry.get("consentRequired"));
            if (id.isPresent()) {
                Integer first = seen.putIfAbsent(id.get(), i);
                if (first != null) problem(path + ".clientId", quote(id.get()) + " appears twice (also clients[" + first + "])");
            }
            if (problems.size() == before && id.isPresent())
                clients.add(new ClientEntry(new ClientID(id.get()), secret, publicClient, name, redirectUris, grantTypes, scopes, audiences,
                        authMethod, jwks, accessTokenTtl, refreshTokenTtl, consentRequired));
        }
        return clients;
    }

    private Optional<List<String>> optionalTextList(String path, JsonNode node) {
        if (node == null || node.isNull()) return Optional.empty();
        if (!node.isArray()) {
            problem(path, "must be a list of strings");
            return Optional.empty();
        }
        var values = new ArrayList<String>();
        for (int j = 0; j < node.size(); j++) text(path + "[" + j + "]", node.get(j)).ifPresent(values::add);
        return Optional.of(values);
    }

    private Optional<Duration> optionalDuration(String path, JsonNode node) {
        return optionalText(path, node).flatMap(raw -> {
            try {
                return Optional.of(Duration.parse(raw));
            } catch (DateTimeParseException e) {
                problem(path, quote(raw) + " is not an ISO-8601 duration such as PT10M or P7D");
                return Optional.empty();
            }
        });
    }

    private List<RoleEntry> roles(JsonNode node) {
        if (!node.isArray()) {
            problem("roles", "must be a list");
            return List.of();
        }
        var roles = new ArrayList<RoleEntry>();
        var seen = new HashMap<String, Integer>();
        for (int i = 0; i < node.size(); i++) {
            String path = "roles[" + i + "]";
            JsonNode entry = node.get(i);
            Optional<RoleEntry> role = Optional.empty();
            if (entry.isTextual()) {
                role = roleName(path, entry).map(name -> new RoleEntry(name, Optional.empty()));
            } else if (entry.isObject()) {
                if (!knownFields(path, entry, ROLE_FIELDS)) continue;
                if (!entry.hasNonNull("name")) {
                    problem(path + ".name", "missing");
                    continue;
                }
                var name = roleName(path + ".name", entry.get("name"));
                var description = optionalText(path + ".description", entry.get("description"));
                description.filter(d -> d.length() > MAX_ROLE_DESCRIPTION)
                        .ifPresent(d -> problem(path + ".description", "must be at most " + MAX_ROLE_DESCRIPTION + " characters"));
                if (name.isPresent()) role = Optional.of(new RoleEntry(name.get(), description.map(String::strip).filter(d -> !d.isEmpty())));
            } else {
                problem(path, "must be a role name or an object with \"name\" and \"description\"");
            }
            if (role.isEmpty()) continue;
            Integer first = seen.putIfAbsent(role.get().name(), i);
            if (first != null) problem(path, "role \"" + role.get().name() + "\" appears twice (also roles[" + first + "])");
            else roles.add(role.get());
        }
        return roles;
    }

    private List<UserEntry> users(JsonNode node) {
        if (!node.isArray()) {
            problem("users", "must be a list");
            return List.of();
        }
        var users = new ArrayList<UserEntry>();
        var seen = new HashMap<Email, Integer>();
        for (int i = 0; i < node.size(); i++) {
            String path = "users[" + i + "]";
            JsonNode entry = node.get(i);
            if (!entry.isObject()) {
                problem(path, "must be an object with at least \"email\"");
                continue;
            }
            int before = problems.size();
            knownFields(path, entry, USER_FIELDS);
            Optional<Email> email = Optional.empty();
            if (!entry.hasNonNull("email")) problem(path + ".email", "missing");
            else email = text(path + ".email", entry.get("email")).flatMap(raw -> {
                Optional<Email> parsed = Email.parse(raw);
                if (parsed.isEmpty()) problem(path + ".email", quote(raw) + " is not a valid e-mail address");
                return parsed;
            });
            var password = password(path, entry);
            var name = optionalText(path + ".name", entry.get("name")).flatMap(raw -> displayName(path + ".name", raw));
            var roles = roleList(path + ".roles", entry.get("roles"));
            var verified = optionalBoolean(path + ".verified", entry.get("verified"));
            var disabled = optionalBoolean(path + ".disabled", entry.get("disabled"));
            if (email.isPresent()) {
                Integer first = seen.putIfAbsent(email.get(), i);
                if (first != null) problem(path + ".email", quote(email.get().value()) + " appears twice (also users[" + first + "])");
            }
            if (problems.size() == before && email.isPresent())
                users.add(new UserEntry(email.get(), password, name, roles, verified, disabled));
        }
        return users;
    }

    private Optional<PasswordEntry> password(String path, JsonNode entry) {
        JsonNode plain = entry.get("password");
        JsonNode hashed = entry.get("passwordHash");
        boolean hasPlain = plain != null && !plain.isNull();
        boolean hasHash = hashed != null && !hashed.isNull();
        if (hasPlain && hasHash) {
            problem(path, "give either \"password\" or \"passwordHash\", not both");
            return Optional.empty();
        }
        if (hasPlain) {
            return text(path + ".password", plain).map(p -> new PasswordEntry.Plain(new Password(p)));
        }
        if (hasHash) {
            return text(path + ".passwordHash", hashed).flatMap(phc -> {
                if (PasswordHasher.isWellFormed(phc)) return Optional.of(new PasswordEntry.Hashed(phc));
                problem(path + ".passwordHash", "not a well-formed Argon2id hash ($argon2id$v=19$m=…,t=…,p=…$salt$hash)");
                return Optional.empty();
            });
        }
        return Optional.empty();
    }

    private Optional<Set<String>> roleList(String path, JsonNode node) {
        if (node == null || node.isNull()) return Optional.empty();
        if (!node.isArray()) {
            problem(path, "must be a list of role names");
            return Optional.empty();
        }
        var names = new LinkedHashSet<String>();
        for (int j = 0; j < node.size(); j++) {
            String at = path + "[" + j + "]";
            roleName(at, node.get(j)).ifPresent(name -> {
                if (!names.add(name)) problem(at, "role \"" + name + "\" is listed twice");
            });
        }
        return Optional.of(names);
    }

    private Optional<String> roleName(String path, JsonNode node) {
        return text(path, node).flatMap(name -> {
            if (ROLE_NAME.matcher(name).matches()) return Optional.of(name);
            problem(path, quote(name) + " is not a role name (letters, digits and _ . : -, at most 100 characters)");
            return Optional.empty();
        });
    }

    private Optional<String> displayName(String path, String raw) {
        try {
            Optional<String> name = DisplayNames.parse(raw);
            if (name.isEmpty()) problem(path, "must not be blank (leave the field out to keep the current name)");
            return name;
        } catch (IllegalArgumentException e) {
            problem(path, e.getMessage());
            return Optional.empty();
        }
    }

    private boolean knownFields(String path, JsonNode object, Set<String> known) {
        boolean ok = true;
        for (var name : object.properties()) {
            if (!known.contains(name.getKey())) {
                problem(path + "." + printable(name.getKey()), "unknown field (expected " + String.join(", ", new TreeSet<>(known)) + ")");
                ok = false;
            }
        }
        return ok;
    }

    private Optional<String> text(String path, JsonNode node) {
        if (node != null && node.isTextual()) return Optional.of(node.textValue());
        problem(path, "must be a string");
        return Optional.empty();
    }

    private Optional<String> optionalText(String path, JsonNode node) {
        if (node == null || node.isNull()) return Optional.empty();
        return text(path, node);
    }

    private Optional<Boolean> optionalBoolean(String path, JsonNode node) {
        if (node == null || node.isNull()) return Optional.empty();
        if (node.isBoolean()) return Optional.of(node.booleanValue());
        problem(path, "must be true or false");
        return Optional.empty();
    }

    private void problem(String path, String message) {
        problems.add(new Problem(path, message));
    }

    private static String quote(String value) {
        return "\"" + printable(value) + "\"";
    }

    private static String printable(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static String firstLine(String message) {
        if (message == null) return "unreadable";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
