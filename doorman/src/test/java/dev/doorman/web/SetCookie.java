package dev.doorman.web;

import dev.doorman.testkit.TestHttp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code Set-Cookie} header, parsed the way a browser reads it: name, value, and the attributes with
 * lower-cased names (a flag such as {@code HttpOnly} maps to the empty string).
 */
public record SetCookie(String name, String value, Map<String, String> attributes) {

    public static SetCookie parse(String header) {
        String[] parts = header.split(";");
        int equals = parts[0].indexOf('=');
        if (equals <= 0) throw new AssertionError("not a name=value cookie: " + header);
        var attributes = new LinkedHashMap<String, String>();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim();
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            String key = (eq < 0 ? part : part.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            attributes.put(key, eq < 0 ? "" : part.substring(eq + 1).trim());
        }
        return new SetCookie(parts[0].substring(0, equals).trim(), parts[0].substring(equals + 1).trim(), attributes);
    }

    public static List<SetCookie> all(TestHttp.Response response) {
        return response.setCookies().stream().map(SetCookie::parse).toList();
    }

    /** The last cookie of this name the response sets (the one a browser keeps), if any. */
    public static Optional<SetCookie> named(TestHttp.Response response, String name) {
        return all(response).stream().filter(c -> c.name().equals(name)).reduce((first, second) -> second);
    }

    public boolean has(String attribute) {
        return attributes.containsKey(attribute.toLowerCase(Locale.ROOT));
    }

    public Optional<String> attribute(String attribute) {
        return Optional.ofNullable(attributes.get(attribute.toLowerCase(Locale.ROOT)));
    }

    /** Whether this header deletes the cookie (empty value with {@code Max-Age=0}). */
    public boolean deletes() {
        return attribute("Max-Age").map(v -> v.equals("0") || v.startsWith("-")).orElse(false);
    }
}
