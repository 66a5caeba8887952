package dev.doorman.provisioning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.doorman.provisioning.ImportFile.PasswordEntry;

import java.util.TreeSet;

/**
 * Writes a provisioning file in the format {@link ImportFileReader} reads. Passwords are only ever written as hashes:
 * a file holding a plain password (one that was parsed, not exported) is refused.
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
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
