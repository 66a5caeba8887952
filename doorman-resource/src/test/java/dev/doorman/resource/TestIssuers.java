package dev.doorman.resource;

import java.util.Map;

/** Opens the package-private {@link TestIssuer} to tests in other packages (the Javalin adapter's). */
public final class TestIssuers {
    private TestIssuers() {
    }

    public static Handle start() {
        return new Handle(new TestIssuer());
    }

    public static final class Handle implements AutoCloseable {
        private final TestIssuer issuer;

        private Handle(TestIssuer issuer) {
            this.issuer = issuer;
        }

        public JwtAccessTokenVerifier verifier() {
            return issuer.verifier();
        }

        public Map<String, Object> claims() {
            return issuer.claims();
        }

        public long now() {
            return issuer.clock.instant().getEpochSecond();
        }

        public String rs256(Map<String, Object> claims) {
            return issuer.rs256(claims);
        }

        @Override
        public void close() {
            issuer.close();
        }
    }
}
