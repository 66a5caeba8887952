package dev.doorman.support;

/** Where a request came from, as recorded in sessions and audit events. */
public record ClientInfo(String ip, String userAgent) {
    public static final int MAX_USER_AGENT = 512;

    public ClientInfo {
        ip = ip == null ? "" : ip;
        userAgent = userAgent == null ? "" : userAgent.length() > MAX_USER_AGENT ? userAgent.substring(0, MAX_USER_AGENT) : userAgent;
    }

    public static ClientInfo unknown() {
        return new ClientInfo("", "");
    }
}
