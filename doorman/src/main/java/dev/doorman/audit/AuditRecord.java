package dev.doorman.audit;

import dev.doorman.account.UserId;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored audit event with its place in the chain. The type is kept as its stable wire name (e.g. {@code login_failed})
 * rather than as an {@link AuditType}, so that records written by a newer node, or by a feature this build does not
 * know, can still be listed and verified.
 *
 * @param seq      the record's position in the chain, from 1, without gaps unless retention pruned the oldest
 * @param prevHash the hash of the record before it (the anchor for the oldest kept record)
 * @param hash     SHA-256 over {@link AuditChain#canonical} of this record
 */
public record AuditRecord(long seq, String id, Instant at, String type, String outcome, Optional<String> reason,
                          Optional<UserId> user, Optional<String> subjectHint, String ip, String userAgent,
                          String prevHash, String hash) {
    public AuditRecord {
        Objects.requireNonNull(id);
        Objects.requireNonNull(at);
        Objects.requireNonNull(type);
        Objects.requireNonNull(outcome);
        Objects.requireNonNull(reason);
        Objects.requireNonNull(user);
        Objects.requireNonNull(subjectHint);
        Objects.requireNonNull(ip);
        Objects.requireNonNull(userAgent);
        Objects.requireNonNull(prevHash);
        Objects.requireNonNull(hash);
    }

    /** The hash this record's fields give now; differs from {@link #hash} when a field was altered. */
    public String recomputedHash() {
        return AuditChain.hash(prevHash, id, at.toEpochMilli(), type, outcome, reason.orElse(null),
                user.map(UserId::toString).orElse(null), subjectHint.orElse(null), ip, userAgent);
    }
}
