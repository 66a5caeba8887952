package dev.doorman.support;

/** Something Doorman depends on (a corpus on disk, a remote store) cannot be used right now: a clean 503, never a 500. */
public final class ServiceUnavailable extends RuntimeException {
    public ServiceUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
