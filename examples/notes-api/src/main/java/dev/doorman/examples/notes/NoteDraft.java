package dev.doorman.examples.notes;

/**
 * What a person sends to create or replace a note, checked once here: a title of 1 to 200 characters without
 * control characters, a body of at most 20,000 characters (line breaks and tabs allowed).
 */
public record NoteDraft(String title, String body) {
    public static final int MAX_TITLE = 200;
    public static final int MAX_BODY = 20_000;

    /** @throws IllegalArgumentException with a message for the person when a field is out of bounds */
    public NoteDraft {
        if (title == null || title.isBlank()) throw new IllegalArgumentException("The title must not be empty.");
        if (title.length() > MAX_TITLE) throw new IllegalArgumentException("The title is longer than " + MAX_TITLE + " characters.");
        if (title.chars().anyMatch(Character::isISOControl)) throw new IllegalArgumentException("The title must not contain control characters.");
        if (body == null) throw new IllegalArgumentException("The body is missing.");
        if (body.length() > MAX_BODY) throw new IllegalArgumentException("The body is longer than " + MAX_BODY + " characters.");
        if (body.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t'))
            throw new IllegalArgumentException("The body must not contain control characters other than line breaks and tabs.");
    }
}
