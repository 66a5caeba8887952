package dev.doorman.web;

import io.javalin.http.Context;

import java.util.Locale;
import java.util.Optional;

/** Reads HTML form fields at the edge, with the same caps the JSON API has. */
public final class Forms {
    private static final int MAX_FIELD = 4096;

    private Forms() {
    }

    /** Refuses anything but a url-encoded or multipart form, so a page POST is what it claims to be. */
    public static void requireForm(Context ctx) {
        String type = Optional.ofNullable(ctx.contentType()).orElse("").toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data"))
            throw new ProblemException(415, "request.unsupported_media_type", "Submit this form from its page.");
    }

    public static String field(Context ctx, String name) {
        String value = ctx.formParam(name);
        if (value == null) return "";
        if (value.length() > MAX_FIELD) throw new ProblemException(413, "request.field_too_large", "The field '" + name + "' is too long.");
        return value;
    }
}
