package dev.doorman.resource;

/** The issuer's keys or revocation feed cannot be had now; verification fails closed. */
final class IssuerUnavailableException extends Exception {
    IssuerUnavailableException(String message) {
        super(message, null, false, false);
    }
}
