package dev.doorman.web;

/**
 * Bad input found at the HTTP edge. {@link WebErrors} turns it into problem+json for the API and an error page
 * for browsers; nothing has changed when it is thrown.
 *
 * @param code a stable id such as {@code request.malformed_json}
 */
public final class ProblemException extends RuntimeException {
    private final int status;
    private final String code;
    private final java.util.Map<String, Object> extensions;

    public ProblemException(int status, String code, String detail) {
        this(status, code, detail, java.util.Map.of());
    }

    /** @param extensions extra members of the problem+json body (RFC 9457 §3.2), e.g. a challenge to solve */
    public ProblemException(int status, String code, String detail, java.util.Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.extensions = java.util.Map.copyOf(extensions);
    }

    public java.util.Map<String, Object> extensions() {
        return extensions;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }
}
