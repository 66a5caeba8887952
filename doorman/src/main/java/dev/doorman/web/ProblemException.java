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

    public ProblemException(int status, String code, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
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
