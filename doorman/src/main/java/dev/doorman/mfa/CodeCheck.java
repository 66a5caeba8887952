package dev.doorman.mfa;

import java.util.List;

/** The result of checking a second-factor code. */
public sealed interface CodeCheck {
    /** @param methods the RFC 8176 methods it proved ({@code otp}) */
    record Passed(List<String> methods) implements CodeCheck { }

    record Wrong() implements CodeCheck { }

    /** Too many wrong codes for this account lately: nothing is checked until the window has passed. */
    record Locked() implements CodeCheck { }
}
