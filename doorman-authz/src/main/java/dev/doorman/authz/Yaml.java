package dev.doorman.authz;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers where each node was (Jackson's YAML parser, streaming), so that
 * every policy error can name its line. Duplicate keys are errors.
 */
final class Yaml {
    private Yaml() {}

    sealed interface Node {
        int line();

        int column();

        default String kind() {
            return switch (this) {
                case MapNode m -> "a mapping";
                case ListNode l -> "a list";
                case Scalar s -> s.value() == null ? "null" : s.value() instanceof String ? "a string" : "a " + s.value().getClass().getSimpleName().toLowerCase();
            };
        }
    }

    record Key(String name, int line, int column) {}

    record MapNode(Map<String, Node> entries, Map<String, Key> keys, int line, int column) implements Node {}

    record ListNode(List<Node> items, int line, int column) implements Node {}

    record Scalar(Object value, int line, int column) implements Node {}

    static final class SyntaxError extends Exception {
        final int line;
        final int column;

        SyntaxError(String message, int line, int column) {
            super(message);
            this.line = line;
            this.column = column;
        }
    }

    static Node parse(String text) throws SyntaxError {
        YAMLFactory factory = YAMLFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
                .build();
        try (JsonParser p = factory.createParser(new StringReader(text))) {
            JsonToken first = p.nextToken();
            if (first == null) throw new SyntaxError("the file is empty", 1, 1);
            Node root = read(p);
            if (p.nextToken() != null) {
                JsonLocation at = p.currentTokenLocation();
                throw new SyntaxError("only one YAML document is allowed", at.getLineNr(), at.getColumnNr());
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new SyntaxError(e.getOriginalMessage(), at == null ? -1 : at.getLineNr(), at == null ? -1 : at.getColumnNr());
        } catch (IOException e) {
            throw new SyntaxError(e.getMessage(), -1, -1);
        }
    }

    private static Node read(JsonParser p) throws IOException, SyntaxError {
        JsonLocation at = p.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        JsonToken token = p.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Node> entries = new LinkedHashMap<>();
                Map<String, Key> keys = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    JsonLocation k = p.currentTokenLocation();
                    String name = p.currentName();
                    if (keys.containsKey(name)) throw new SyntaxError("duplicate key '" + name + "'", k.getLineNr(), k.getColumnNr());
                    keys.put(name, new Key(name, k.getLineNr(), k.getColumnNr()));
                    p.nextToken();
                    entries.put(name, read(p));
                }
                return new MapNode(entries, keys, line, column);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) items.add(read(p));
                return new ListNode(items, line, column);
            }
            case VALUE_STRING -> {
                return new Scalar(p.getText(), line, column);
            }
            case VALUE_NUMBER_INT -> {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) throw new SyntaxError("number too large", line, column);
                return new Scalar(p.getLongValue(), line, column);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new Scalar(p.getDoubleValue(), line, column);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Scalar(token == JsonToken.VALUE_TRUE, line, column);
            }
            case VALUE_NULL -> {
                return new Scalar(null, line, column);
            }
            default -> throw new SyntaxError("unexpected " + token, line, column);
        }
    }
}
