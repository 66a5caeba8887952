package dev.doorman.access;

/** The access API's paths: the AuthZEN decision point and the administrators' role-binding API. */
public final class AccessPaths {
    public static final String PREFIX = "/access/";
    /** OpenID AuthZEN Authorization API 1.0, access evaluation and evaluations. */
    public static final String EVALUATION = "/access/v1/evaluation";
    public static final String EVALUATIONS = "/access/v1/evaluations";
    public static final String ADMIN_BINDINGS = "/api/v1/admin/role-bindings";

    /** The scope a client's access token must carry to ask the decision point. */
    public static final String DECISION_SCOPE = "doorman:authz";
    /** The role an account needs for the administrators' API (global, from user_roles or a global binding). */
    public static final String ADMIN_ROLE = "admin";

    private AccessPaths() {
    }
}
