package dev.doorman.provisioning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.doorman.provisioning.ImportFile.PasswordEntry;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Writes a provisioning file in the format {@link ImportFileReader} reads. Passwords are only ever written as hashes:
 * a file holding a plain password (one that was parsed, not exported) is refused. Client secrets are never written:
 * Doorman keeps only their hash, and a file holding one (parsed, not exported) is refused too.
 */
final class ImportFileWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ImportFileWriter() {
    }

    static String write(ImportFile file) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode roles = root.putArray("roles");
        for (var role : file.roles()) {
            if (role.description().isEmpty()) roles.add(role.name());
            else roles.addObject().put("name", role.name()).put("description", role.description().get());
        }
        ArrayNode users = root.putArray("users");
        for (var user : file.users()) {
            ObjectNode u = users.addObject().put("email", user.email().value());
            user.name().ifPresent(n -> u.put("name", n));
            user.password().ifPresent(p -> {
                switch (p) {
                    case PasswordEntry.Hashed h -> u.put("passwordHash", h.phc());
                    case PasswordEntry.Plain ignored ->
                            throw new IllegalArgumentException("refusing to write a plain password for " + user.email());
                }
            });
            user.verified().ifPresent(v -> u.put("verified", v));
            user.disabled().ifPresent(d -> u.put("disabled", d));
            user.roles().ifPresent(rs -> {
                ArrayNode list = u.putArray("roles");
                new TreeSet<>(rs).forEach(list::add);
            });
        }
        ArrayNode clients = root.putArray("clients");
        for (var client : file.clients()) {
            if (client.clientSecret().isPresent())
                throw new IllegalArgumentException("refusing to write the secret of client " + client.clientId());
            ObjectNode c = clients.addObject().put("clientId", client.clientId().getValue());
            client.name().ifPresent(n -> c.put("name", n));
            client.publicClient().ifPresent(p -> c.put("public", p));
            client.authMethod().ifPresent(m -> c.put("authMethod", m.getValue()));
            list(c, "redirectUris", client.redirectUris());
            list(c, "grantTypes", client.grantTypes());
            list(c, "scopes", client.scopes());
            list(c, "audiences", client.audiences());
            client.jwks().ifPresent(j -> c.set("jwks", parse(j)));
            client.accessTokenTtl().ifPresent(d -> c.put("accessTokenTtl", d.toString()));
            client.refreshTokenTtl().ifPresent(d -> c.put("refreshTokenTtl", d.toString()));
            client.consentRequired().ifPresent(r -> c.put("consentRequired", r));
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    private static void list(ObjectNode node, String field, Optional<List<String>> values) {
        values.ifPresent(vs -> {
            ArrayNode array = node.putArray(field);
            vs.forEach(array::add);
        });
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a client's JWK set is not JSON", e);
        }
    }
}
