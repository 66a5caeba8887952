package dev.doorman.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;

import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A strict reader for the JSON API's request bodies: the content type must be JSON, the body one object with
 * only the named fields, each of the right type, no duplicates. Every failure is a 4xx that names the problem.
 */
public final class JsonBody {
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(64 * 1024).build())
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final JsonNode node;

    private JsonBody(JsonNode node) {
        this.node = node;
    }

    /** Parses the body as an object whose fields are all in {@code required} or {@code optional}. */
    public static JsonBody read(Context ctx, Set<String> required, Set<String> optional) {
        String type = Optional.ofNullable(ctx.contentType()).orElse("").toLowerCase(Locale.ROOT);
        if (!type.equals("application/json") && !type.startsWith("application/json;"))
            throw new ProblemException(415, "request.unsupported_media_type", "Send the request body as application/json.");
        JsonNode node;
        try {
            node = MAPPER.readTree(ctx.bodyAsBytes());
        } catch (JsonProcessingException e) {
            throw new ProblemException(400, "request.malformed_json", "The request body is not valid JSON"
                    + (e.getMessage() != null && e.getMessage().contains("Duplicate field") ? ": a field appears twice." : "."));
        } catch (java.io.IOException e) {
            throw new ProblemException(400, "request.malformed_json", "The request body could not be read.");
        }
        if (node == null || !node.isObject())
            throw new ProblemException(400, "request.not_an_object", "The request body must be a JSON object.");
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!required.contains(name) && !optional.contains(name))
                throw new ProblemException(400, "request.unknown_field", "Unknown field '" + printable(name) + "'.");
        }
        for (String name : required) {
            if (!node.has(name) || node.get(name).isNull())
                throw new ProblemException(400, "request.missing_field", "Missing field '" + name + "'.");
        }
        return new JsonBody(node);
    }

    public String text(String field) {
        return optionalText(field).orElseThrow(() -> new ProblemException(400, "request.missing_field", "Missing field '" + field + "'."));
    }

    public Optional<String> optionalText(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return Optional.empty();
        if (!value.isTextual())
            throw new ProblemException(400, "request.wrong_type", "Field '" + field + "' must be a string.");
        return Optional.of(value.textValue());
    }

    /** A field of any JSON type, for bodies with nested objects (the AuthZEN API); the caller checks its shape. */
    public Optional<JsonNode> optionalNode(String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    public Optional<Boolean> optionalBoolean(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return Optional.empty();
        if (!value.isBoolean()) throw new ProblemException(400, "request.wrong_type", "Field '" + field + "' must be true or false.");
        return Optional.of(value.booleanValue());
    }

    /** A nested object, as JSON text (for a library that parses it itself, such as a WebAuthn credential). */
    public String object(String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isObject()) throw new ProblemException(400, "request.wrong_type", "Field '" + field + "' must be an object.");
        return value.toString();
    }

    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
