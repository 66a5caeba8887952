package dev.doorman.examples.tasksapi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Strict JSON in: exactly one object, no duplicate member at any depth, nothing after it, only the members a request
 * defines, each of exactly its type (no "1" for 1, no 1 for "1"), text without control characters and within its
 * length. A request that breaks any of this is refused whole with a {@link Invalid} naming what is wrong.
 */
final class JsonInput {
    static final int MAX_BODY_BYTES = 16 * 1024;
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}&&[^\\n\\t]]|[\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069]");
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).maxStringLength(MAX_BODY_BYTES).build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    /** The request body is not acceptable; {@code detail} says why, for the caller. */
    static final class Invalid extends Exception {
        Invalid(String detail) {
            super(detail, null, false, false);
        }
    }

    private final ObjectNode object;

    private JsonInput(ObjectNode object) {
        this.object = object;
    }

    /** Parses the body as one object whose members all belong to {@code allowed}. */
    static JsonInput parse(byte[] body, Set<String> allowed) throws Invalid {
        if (body.length > MAX_BODY_BYTES) throw new Invalid("The body is larger than " + MAX_BODY_BYTES + " bytes.");
        if (body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF)
            throw new Invalid("The body must be JSON in UTF-8 without a byte-order mark.");
        JsonNode node;
        try (JsonParser parser = MAPPER.createParser(body)) {
            node = MAPPER.readTree(parser);
        } catch (IOException e) {
            throw new Invalid("The body is not valid JSON (one object, no duplicate members, nothing after it).");
        }
        if (node == null || !node.isObject()) throw new Invalid("The body must be a JSON object.");
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) throw new Invalid("Unknown member '" + printable(name) + "'; allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ".");
        }
        return new JsonInput((ObjectNode) node);
    }

    boolean isEmpty() {
        return object.isEmpty();
    }

    boolean has(String name) {
        return object.has(name);
    }

    boolean isNull(String name) {
        return object.has(name) && object.get(name).isNull();
    }

    /** A required text member, stripped of surrounding spaces, 1 to {@code max} characters. */
    String text(String name, int max) throws Invalid {
        return optionalText(name, max, false).orElseThrow(() -> new Invalid("'" + name + "' is required."));
    }

    /** An optional text member; {@code allowEmpty} lets it be "" (a description), never null. */
    Optional<String> optionalText(String name, int max, boolean allowEmpty) throws Invalid {
        if (!object.has(name)) return Optional.empty();
        JsonNode value = object.get(name);
        if (!value.isTextual()) throw new Invalid("'" + name + "' must be a string.");
        String text = value.textValue().strip();
        if (text.isEmpty() && !allowEmpty) throw new Invalid("'" + name + "' must not be empty.");
        if (text.codePointCount(0, text.length()) > max) throw new Invalid("'" + name + "' has more than " + max + " characters.");
        if (CONTROL.matcher(text).find()) throw new Invalid("'" + name + "' contains control or bidirectional-override characters.");
        return Optional.of(text);
    }

    private static String printable(String name) {
        String shown = name.length() > 40 ? name.substring(0, 40) + "…" : name;
        return shown.replaceAll("[^\\x20-\\x7E]", "?").replace("'", "?");
    }
}
