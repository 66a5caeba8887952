package dev.doorman.audit;

import java.util.List;

/**
 * What {@code audit verify} found. Intact when there are no problems.
 *
 * @param checked  how many records were read
 * @param firstSeq the oldest record's position (greater than 1 once retention pruned)
 * @param lastSeq  the newest record's position according to the chain head
 */
public record AuditVerification(long checked, long firstSeq, long lastSeq, List<Problem> problems) {
    public enum Kind {
        /** a record's fields no longer give its hash */
        ALTERED,
        /** positions are missing between two records */
        MISSING,
        /** a record does not link to the one before it although none is missing: records were reordered or renumbered */
        OUT_OF_PLACE,
        /** the newest records are gone, or the head was rewritten */
        TRUNCATED
    }

    /** @param seq the record concerned (for MISSING and TRUNCATED, the first missing position) */
    public record Problem(Kind kind, long seq, String detail) { }

    public AuditVerification {
        problems = List.copyOf(problems);
    }

    public boolean intact() {
        return problems.isEmpty();
    }
}
