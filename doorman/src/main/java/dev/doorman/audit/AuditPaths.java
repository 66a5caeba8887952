package dev.doorman.audit;

public final class AuditPaths {
    public static final String API_LIST = "/api/v1/admin/audit";
    public static final String API_VERIFY = "/api/v1/admin/audit/verify";
    public static final String ADMIN_PAGE = "/admin/security";

    private AuditPaths() {
    }
}
