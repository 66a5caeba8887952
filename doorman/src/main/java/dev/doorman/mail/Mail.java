package dev.doorman.mail;

import dev.doorman.account.Email;

/** A plain-text message. Bodies may hold single-use links: they are never logged or stored. */
public record Mail(Email to, String subject, String text) {
    @Override
    public String toString() {
        return "Mail[to=" + to + ", subject=" + subject + "]";
    }
}
