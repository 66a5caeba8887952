package dev.doorman.oauth2.code;

import java.util.Optional;

/** Authorization codes, by the SHA-256 of their value. */
public interface CodeStore {
    sealed interface Redemption {
        /** The first use. */
        record Redeemed(CodeGrant grant) implements Redemption { }

        /** A later use of a code already redeemed: refuse it, and revoke what the first use issued. */
        record Replayed(CodeGrant grant) implements Redemption { }
    }

    void save(String codeHash, CodeGrant grant);

    /** Atomic: of any number of concurrent calls for one code exactly one sees {@code Redeemed}; empty for an unknown code. */
    Optional<Redemption> consume(String codeHash);
}
