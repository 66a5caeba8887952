package dev.doorman.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.doorman.authz.AccessRequest;
import dev.doorman.authz.Action;
import dev.doorman.authz.Decision;
import dev.doorman.authz.Resource;
import dev.doorman.authz.ResourceRef;
import dev.doorman.authz.Subject;
import dev.doorman.web.ProblemException;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The OpenID AuthZEN Authorization API 1.0 messages, read strictly and mapped onto the policy engine:
 * <ul>
 *   <li>{@code subject {type: "user"|"client", id, properties?}}: roles are never taken from the request, only from
 *       Doorman's bindings. {@code properties.auth_time} (epoch seconds), {@code properties.amr} (array) and
 *       {@code properties.scope} (space-delimited) fill those subject fields; every other property is an attribute.</li>
 *   <li>{@code action {name: "type:verb", properties?}} (properties are accepted and not used).</li>
 *   <li>{@code resource {type, id, properties?}}: properties are the resource's attributes; {@code properties.parent}
 *       ("type/id") names the resource it belongs to.</li>
 *   <li>{@code context}: an object, the request context.</li>
 * </ul>
 * Unknown fields anywhere are a 400, like every Doorman JSON API.
 */
final class AuthZenMessages {
    static final int MAX_EVALUATIONS = 100;

    private AuthZenMessages() {
    }

    /** One request, each part from {@code item} or else from {@code defaults} (for evaluations). */
    static AccessRequest request(Optional<JsonNode> subject, Optional<JsonNode> action, Optional<JsonNode> resource,
                                 Optional<JsonNode> context) {
        return new AccessRequest(
                subject(subject.orElseThrow(() -> missing("subject"))),
                action(action.orElseThrow(() -> missing("action"))),
                resource(resource.orElseThrow(() -> missing("resource"))),
                context.map(c -> plainObject(c, "context")).orElse(Map.of()));
    }

    static Subject subject(JsonNode node) {
        object(node, "subject", Set.of("type", "id"), Set.of("properties"));
        String type = text(node, "type", "subject");
        Subject.Kind kind = switch (type) {
            case "user" -> Subject.Kind.USER;
            case "client" -> Subject.Kind.CLIENT;
            default -> throw bad("authzen.invalid_subject", "subject.type must be \"user\" or \"client\".");
        };
        String id = text(node, "id", "subject");
        Map<String, Object> properties = node.has("properties") ? plainObject(node.get("properties"), "subject.properties") : Map.of();
        Map<String, Object> attrs = new LinkedHashMap<>(properties);
        Optional<Instant> authTime = Optional.empty();
        Object at = attrs.remove("auth_time");
        if (at != null) {
            if (!(at instanceof Long seconds)) throw bad("authzen.invalid_subject", "subject.properties.auth_time must be seconds since the epoch.");
            try {
                authTime = Optional.of(Instant.ofEpochSecond(seconds));
            } catch (DateTimeException e) {
                throw bad("authzen.invalid_subject", "subject.properties.auth_time is out of range.");
            }
        }
        Set<String> amr = strings(attrs.remove("amr"), "subject.properties.amr");
        Object scope = attrs.remove("scope");
        if (scope != null && !(scope instanceof String)) throw bad("authzen.invalid_subject", "subject.properties.scope must be a space-delimited string.");
        Set<String> scopes = new LinkedHashSet<>();
        if (scope != null) scopes.addAll(List.of(((String) scope).trim().split(" +")));
        scopes.remove("");
        return new Subject(id, kind, Set.of(), scopes, attrs, authTime, amr);
    }

    static Action action(JsonNode node) {
        object(node, "action", Set.of("name"), Set.of("properties"));
        if (node.has("properties")) plainObject(node.get("properties"), "action.properties");
        try {
            return Action.parse(text(node, "name", "action"));
        } catch (IllegalArgumentException e) {
            throw bad("authzen.invalid_action", "action.name: " + e.getMessage() + ".");
        }
    }

    static Resource resource(JsonNode node) {
        object(node, "resource", Set.of("type", "id"), Set.of("properties"));
        Map<String, Object> attrs = new LinkedHashMap<>(node.has("properties") ? plainObject(node.get("properties"), "resource.properties") : Map.of());
        Object parent = attrs.remove("parent");
        try {
            Optional<ResourceRef> ref = Optional.empty();
            if (parent != null) {
                if (!(parent instanceof String p)) throw new IllegalArgumentException("properties.parent is written type/id");
                ref = Optional.of(ResourceRef.parse(p));
            }
            return new Resource(text(node, "type", "resource"), text(node, "id", "resource"), attrs, ref);
        } catch (IllegalArgumentException e) {
            throw bad("authzen.invalid_resource", "resource: " + e.getMessage() + ".");
        }
    }

    /** The AuthZEN response: the decision and, in its context, why (and the steps when explaining). */
    static Map<String, Object> response(Decision decision, boolean explain) {
        var context = new LinkedHashMap<String, Object>();
        context.put("reason", decision.reason().describe());
        decision.reason().source().ifPresent(s -> context.put("decided_by", s));
        if (explain) context.put("explain", decision.explain().stream().map(Decision.Step::toString).toList());
        var out = new LinkedHashMap<String, Object>();
        out.put("decision", decision.allowed());
        out.put("context", context);
        return out;
    }

    static void object(JsonNode node, String name, Set<String> required, Set<String> optional) {
        if (!node.isObject()) throw bad("request.wrong_type", "Field '" + name + "' must be an object.");
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!required.contains(field) && !optional.contains(field))
                throw bad("request.unknown_field", "Unknown field '" + name + "." + printable(field) + "'.");
        }
        for (String field : required) {
            if (!node.has(field) || node.get(field).isNull()) throw missing(name + "." + field);
        }
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.textValue().isEmpty() || value.textValue().length() > 256)
            throw bad("request.wrong_type", "Field '" + where + "." + field + "' must be a non-empty string (at most 256 characters).");
        return value.textValue();
    }

    static Map<String, Object> plainObject(JsonNode node, String name) {
        if (!node.isObject()) throw bad("request.wrong_type", "Field '" + name + "' must be an object.");
        var out = new LinkedHashMap<String, Object>();
        node.properties().forEach(e -> {
            Object v = plain(e.getValue());
            if (v != null) out.put(e.getKey(), v);
        });
        return out;
    }

    private static Object plain(JsonNode n) {
        if (n.isObject()) return plainObject(n, "value");
        if (n.isArray()) {
            var list = new ArrayList<Object>();
            n.forEach(item -> {
                Object v = plain(item);
                if (v != null) list.add(v);
            });
            return list;
        }
        if (n.isTextual()) return n.textValue();
        if (n.isBoolean()) return n.booleanValue();
        if (n.isIntegralNumber()) {
            if (!n.canConvertToLong()) throw bad("request.wrong_type", "A number is too large.");
            return n.longValue();
        }
        if (n.isNumber()) return n.doubleValue();
        return null;
    }

    private static Set<String> strings(Object value, String name) {
        if (value == null) return Set.of();
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return new LinkedHashSet<>(list.stream().map(String.class::cast).toList());
        }
        throw bad("request.wrong_type", "Field '" + name + "' must be an array of strings.");
    }

    static ProblemException missing(String field) {
        return bad("request.missing_field", "Missing field '" + field + "'.");
    }

    static ProblemException bad(String code, String detail) {
        return new ProblemException(400, code, detail);
    }

    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
